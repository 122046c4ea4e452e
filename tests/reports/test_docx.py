"""The Word report (core.officialdoc): read back with python-docx and checked against GB/T 9704-2012
as ../shared/design/report-format.md states it, and against the seed report's skeleton."""

import datetime as dt
import hashlib
import io
import time
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import etree

from assessment.models import Target
from assessment.services.editing import LATEST
from assessment.services.findings import deduction_create, problem_create
from assessment.services.overview import narrative_save, recommendation_create
from assessment.services.workflow import target_finalize
from core.officialdoc import render_docx, signature_indents, title_lines
from core.text import chinese_ordinal
from reports.context import Block, Kind, ReportContext, build_report
from tests.factories import (
    CampaignFactory,
    ChecklistItemFactory,
    CriterionFactory,
    GroupFactory,
    UserFactory,
    add_target,
    city,
    county,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"

# The seed report's skeleton (../shared/seeds/000_44ba0aa45b7e73ee.txt) with the demo's items.
ITEM_HEADINGS = ["1.得分情况", "2.总体评价", "3.问题清单"]
DEMO_HEADINGS = [
    (0, "一、工作情况"),
    (0, "二、考核项目落实情况"),
    (1, "（一）落实全面从严治党主体责任"),
    *[(2, h) for h in ITEM_HEADINGS],
    (1, "（二）党的统一战线工作和民族宗教工作"),
    *[(2, h) for h in ITEM_HEADINGS],
    (1, "（三）老干部工作"),
    *[(2, h) for h in ITEM_HEADINGS],
    (1, "（四）落实网络安全工作责任制"),
    *[(2, h) for h in ITEM_HEADINGS],
    (0, "三、有关意见建议"),
    (2, "1.发现值得推广的典型"),
    (2, "2.工作改进建议"),
]
HEADING_LOOK = {0: (HEITI, False), 1: (KAITI, False), 2: (FANGSONG, True)}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def outline(paragraph) -> int | None:
    found = paragraph._p.find(f"{W}pPr/{W}outlineLvl")
    return None if found is None else int(found.get(f"{W}val"))


def rfonts(run) -> dict:
    element = run._r.find(f"{W}rPr/{W}rFonts")
    return {etree.QName(k).localname: v for k, v in element.attrib.items()}


def assert_fonts(run, font: str) -> None:
    attrs = rfonts(run)
    assert (attrs["ascii"], attrs["hAnsi"], attrs["eastAsia"]) == (font, font, font), run.text
    assert not [a for a in attrs if a.endswith("Theme") or a == "cstheme"], attrs


def ind(paragraph) -> dict:
    element = paragraph._p.find(f"{W}pPr/{W}ind")
    return {etree.QName(k).localname: v for k, v in element.attrib.items()}


def spacing(paragraph) -> dict:
    element = paragraph._p.find(f"{W}pPr/{W}spacing")
    return {etree.QName(k).localname: v for k, v in element.attrib.items()}


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def open_docx(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))  # every part well-formed
    return Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


# --- the demo's complete county, rendered once (its data rolled back right after) --------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> dict:
    """青山县 of ``load_demo`` (已审核: a draft), rendered twice, then finalized and rendered again."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", force=True, verbosity=0)
        target = Target.objects.get(unit__name="青山县", campaign__title__contains="2021")
        context = build_report(target)
        draft = render_docx(context)
        again = render_docx(build_report(target))
        target_finalize(target=target, user=get_user_model().objects.get(username="admin"))
        final_context = build_report(target)
        final = render_docx(final_context)
        transaction.set_rollback(True)
    return {
        "context": context,
        "draft": draft,
        "again": again,
        "final_context": final_context,
        "final": final,
    }


def test_demo_headings_follow_the_seed_report(demo):
    document = open_docx(demo["draft"])
    headings = [(outline(p), p.text) for p in document.paragraphs if outline(p) is not None]
    assert headings == DEMO_HEADINGS


def test_demo_says_exactly_what_the_context_says(demo):
    """Every block is one paragraph, in order, word for word; blank lines only under the title and
    above the signature."""
    document = open_docx(demo["draft"])
    paragraphs = [t.replace("\n", "") for t in texts(document)]
    blocks = demo["context"].blocks
    assert [t for t in paragraphs if t] == [b.text for b in blocks]
    assert paragraphs[1] == "" and paragraphs[-3] == ""
    assert paragraphs.count("") == 2


def test_demo_fonts_and_sizes_per_level(demo):
    document = open_docx(demo["draft"])
    paragraphs = document.paragraphs
    kinds = [b.kind for b in demo["context"].blocks]
    nonblank = [p for p in paragraphs if p.text]
    assert len(nonblank) == len(kinds)
    for paragraph, kind in zip(nonblank, kinds, strict=True):
        assert paragraph.runs
        for run in paragraph.runs:
            if kind == Kind.TITLE:
                assert_fonts(run, XIAOBIAOSONG)
                assert run.font.size == Pt(22)
            elif kind in (Kind.H1, Kind.H2, Kind.H3):
                font, bold = HEADING_LOOK[outline(paragraph)]
                assert_fonts(run, font)
                assert run.font.size == Pt(16)
                assert bool(run.font.bold) is bold
            else:
                assert_fonts(run, FANGSONG)
                assert run.font.size == Pt(16)
                assert not run.font.bold
        if kind in (Kind.H1, Kind.H2, Kind.H3, Kind.BODY):  # headings indented like body text
            # 2 characters; in twips 2 of LibreOffice's 314.6-twip grid cells (640 would indent 3).
            assert ind(paragraph) == {"firstLineChars": "200", "firstLine": "628"}
            assert spacing(paragraph) == {"before": "0", "after": "0", "line": "579", "lineRule": "exact"}
            assert paragraph.paragraph_format.line_spacing == Pt(28.95)
    # No theme fonts anywhere in the styles either: the defaults and Normal name 仿宋_GB2312.
    styles = part_xml(demo["draft"], "word/styles.xml")
    defaults = etree.fromstring(styles.encode()).find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == FANGSONG and defaults.get(f"{W}asciiTheme") is None


def test_demo_title(demo):
    document = open_docx(demo["draft"])
    title = document.paragraphs[0]
    assert title.text.replace("\n", "") == demo["context"].title
    # Too long for one 22 pt line: broken after a whole word, the first line the longer.
    assert title.text == "关于青山县2021年度党建工作\n年终考核情况的报告"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert ind(title) == {"firstLineChars": "0", "firstLine": "0"}
    assert spacing(title)["line"] == "700" and spacing(title)["lineRule"] == "exact"
    assert title._p.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0"
    assert outline(title) is None


def test_demo_page_grid_and_normal_style(demo):
    document = open_docx(demo["draft"])
    section = document.sections[0]
    mm = {
        name: round(getattr(section, name).mm, 1)
        for name in (
            "page_width",
            "page_height",
            "top_margin",
            "left_margin",
            "bottom_margin",
            "right_margin",
        )
    }
    assert mm == {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "left_margin": 28,
        "bottom_margin": 35,
        "right_margin": 26,
    }
    grid = section._sectPr.find(f"{W}docGrid")
    attrs = {etree.QName(k).localname: v for k, v in grid.attrib.items()}
    assert attrs == {"type": "linesAndChars", "linePitch": "579", "charSpace": "-842"}
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    rpr = normal.element.find(f"{W}rPr")
    assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == FANGSONG
    assert rpr.find(f"{W}spacing") is None  # no negative character spacing: the grid gives 28
    assert rpr.find(f"{W}w").get(f"{W}val") == "98"
    assert normal.element.find(f"{W}pPr/{W}overflowPunct").get(f"{W}val") is None
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    assert normal.paragraph_format.space_before == 0 and normal.paragraph_format.space_after == 0
    # No built-in Heading style is used.
    used = {p.style.name for p in document.paragraphs}
    assert not [name for name in used if name.lower().startswith("heading")]


def test_demo_grid_gives_22_lines_of_28_characters(demo):
    """The grid as Word reads it (ECMA-376 17.6.5: w:charSpace/4096 pt added to each character of
    the Normal font, 16 pt): 28 characters fill the 156 mm line and a 29th does not fit; 22 lines
    of 28.95 pt fill the 225 mm block. The page's sizes in twips, as written."""
    section = open_docx(demo["draft"]).sections[0]._sectPr
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    width = int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    height = int(size.get(f"{W}h")) - int(margins.get(f"{W}top")) - int(margins.get(f"{W}bottom"))
    grid = section.find(f"{W}docGrid")
    pitch = (16 + Decimal(grid.get(f"{W}charSpace")) / 4096) * 20  # twips a character
    assert 28 * pitch <= width < 29 * pitch
    line = int(grid.get(f"{W}linePitch"))
    assert 22 * line <= height < 23 * line


def test_demo_paragraphs_state_overflow_punct_off_the_char_grid_at_98_percent(demo):
    """Every paragraph states w:overflowPunct (LibreOffice reads it inverted: stated, it keeps
    line-end marks inside the line) and does not snap to the character grid (LibreOffice would
    leave a gap after every number); body runs are scaled to 98% (28 characters a line), the
    title, the signature and the date are full width. No character spacing anywhere."""
    data = demo["draft"]
    document = open_docx(data)
    title, *body, signature, date = document.paragraphs
    for paragraph in document.paragraphs:
        assert paragraph._p.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0", paragraph.text
        overflow = paragraph._p.find(f"{W}pPr/{W}overflowPunct")
        assert overflow is not None and overflow.get(f"{W}val") is None, paragraph.text
    for paragraph in body:
        for run in paragraph.runs:
            assert run._r.find(f"{W}rPr/{W}w").get(f"{W}val") == "98", run.text
    for paragraph in (title, signature, date):
        for run in paragraph.runs:
            assert run._r.find(f"{W}rPr/{W}w").get(f"{W}val") == "100", run.text
    for name in ("公文标题", "落款"):
        assert document.styles[name].element.find(f"{W}rPr/{W}w").get(f"{W}val") == "100"
    for name in ("Header", "Footer"):
        assert document.styles[name].element.find(f"{W}rPr/{W}w").get(f"{W}val") == "100"
    for part in ("word/document.xml", "word/footer1.xml", "word/footer2.xml", "word/header1.xml"):
        assert "<w:spacing w:val=" not in part_xml(data, part), part
    for name in {p.style.name for p in document.paragraphs} | {"Header", "Footer"}:
        assert document.styles[name].element.find(f"{W}rPr/{W}spacing") is None, name
    settings = part_xml(data, "word/settings.xml")
    assert '<w:characterSpacingControl w:val="doNotCompress"/>' in settings  # full-width marks


def _field_text(footer_element) -> str:
    instr = "".join(t.text for t in footer_element.iter(f"{W}instrText"))
    simple = "".join(f.get(f"{W}instr") for f in footer_element.iter(f"{W}fldSimple"))
    return instr + simple


def test_demo_page_numbers_alternate_sides(demo):
    document = open_docx(demo["draft"])
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        assert not footer.is_linked_to_previous
        (paragraph,) = footer.paragraphs
        assert _field_text(footer._element).strip() == "PAGE"
        assert paragraph.alignment == align
        assert ind(paragraph)[f"{side}Chars"] == "100"  # one character in
        visible = "".join(t.text for t in paragraph._p.iter(f"{W}t"))
        assert visible == "— 1 —"  # the em dashes around the field's placeholder
        for run in paragraph._p.iter(f"{W}r"):
            fonts = run.find(f"{W}rPr/{W}rFonts")
            assert fonts.get(f"{W}ascii") == SONGTI and fonts.get(f"{W}eastAsia") == SONGTI
            assert run.find(f"{W}rPr/{W}sz").get(f"{W}val") == "28"  # 14 pt


def test_demo_signature_and_date(demo):
    document = open_docx(demo["draft"])
    *_, before, blank, signature, date = document.paragraphs
    assert before.text and blank.text == ""
    assert (signature.text, date.text) == ("市委第五考核组", "2022年1月14日")
    for paragraph in (signature, date):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert ind(paragraph)["firstLineChars"] == "0"
    # 市委第五考核组 is 7 characters wide, 2022年1月14日 7.75 (with the space around its digits): the
    # date is the longer, so it ends 2 characters in and the signature starts 2 characters left of it.
    assert ind(signature)["rightChars"] == "475" and ind(date)["rightChars"] == "200"
    # In twips, whole grid cells of LibreOffice's (which snaps indents up to whole cells).
    assert ind(signature)["right"] == "1491" and ind(date)["right"] == "628"


def test_draft_header_until_finalized(demo):
    draft, final = open_docx(demo["draft"]), open_docx(demo["final"])
    assert demo["context"].draft and not demo["final_context"].draft
    section = draft.sections[0]
    for header in (section.header, section.even_page_header):
        assert not header.is_linked_to_previous
        assert [p.text for p in header.paragraphs] == ["草稿"]
    section = final.sections[0]
    for header in (section.header, section.even_page_header, section.first_page_header):
        assert "".join(p.text for p in header.paragraphs) == ""
    assert "草稿" not in part_xml(demo["final"], "word/document.xml")
    # The page numbers stay.
    assert _field_text(section.footer._element).strip() == "PAGE"


def test_demo_core_properties_and_same_bytes(demo):
    assert sha(demo["draft"]) == sha(demo["again"])
    props = open_docx(demo["draft"]).core_properties
    stamp = demo["context"].timestamp.astimezone(dt.UTC).replace(microsecond=0)
    assert (props.title, props.author, props.revision) == (demo["context"].title, "党建考核", 1)
    assert props.created == props.modified == props.last_printed == stamp
    with zipfile.ZipFile(io.BytesIO(demo["draft"])) as archive:
        infos = archive.infolist()
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert infos[0].filename == "[Content_Types].xml"


# --- small targets built through the services ---------------------------------------------------


@pytest.fixture
def world(db) -> dict:
    """青山县 assessed by 市委第五考核组 in a campaign of one item; a member; no findings yet."""
    unit = county(city("云山市"), "青山县")
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    item = ChecklistItemFactory(campaign=campaign, order=1, title="老干部工作", full_score=Decimal("15"))
    criterion = CriterionFactory(item=item, order=1, points=Decimal("5"))
    group = GroupFactory(
        campaign=campaign,
        name="市委第五考核组",
        start_date=dt.date(2022, 1, 10),
        end_date=dt.date(2022, 1, 14),
    )
    return {
        "campaign": campaign,
        "item": item,
        "criterion": criterion,
        "group": group,
        "target": add_target(group, unit),
        "member": UserFactory(username="member", name="李组员"),
    }


def test_twenty_three_items_numbered_in_chinese(db):
    campaign = CampaignFactory(year=2021)
    titles = [f"考核项目第{i}项" for i in range(1, 24)]
    for order, title in enumerate(titles, start=1):
        item = ChecklistItemFactory(campaign=campaign, order=order, title=title, full_score=Decimal("4"))
        CriterionFactory(item=item, order=1)
    target = add_target(GroupFactory(campaign=campaign), county(city("云山市"), "青山县"))
    document = open_docx(render_docx(build_report(target)))
    level_two = [p.text for p in document.paragraphs if outline(p) == 1]
    assert level_two == [f"（{chinese_ordinal(i)}）{t}" for i, t in enumerate(titles, start=1)]
    assert level_two[10].startswith("（十一）")
    assert level_two[19].startswith("（二十）")
    assert level_two[20].startswith("（二十一）")
    assert level_two[22] == "（二十三）考核项目第23项"


def test_no_findings_leaves_no_empty_heading(world):
    document = open_docx(render_docx(build_report(world["target"])))
    paragraphs = list(document.paragraphs)
    levels = [outline(p) for p in paragraphs]
    headings = [i for i, level in enumerate(levels) if level is not None]
    assert headings
    for i in headings:
        following, level = paragraphs[i + 1], levels[i + 1]
        if level is None:
            assert following.text.strip(), f"{paragraphs[i].text} is followed by an empty paragraph"
        else:
            assert level > levels[i], f"{paragraphs[i].text} has nothing under it"
    # The deepest headings are always followed by text.
    assert all(levels[i + 1] is None for i in headings if levels[i] == 2)


HOSTILE = '<script>alert("x")</script> & "引号" \'单引号\'\n第二行😀\x07结束'


def test_hostile_text_is_written_as_is(world):
    target, item, member = world["target"], world["item"], world["member"]
    deduction_create(
        target=target, item=item, criterion=None, unit=None, points="1", reason=HOSTILE, user=member
    )
    problem_create(target=target, item=item, user=member, text=HOSTILE)
    recommendation_create(target=target, headline="进一步<b>加强</b>&统筹", body=HOSTILE, user=member)
    narrative_save(target=target, narrative="工作情况😀\x07", version=LATEST, user=member)
    context = build_report(target)
    data = render_docx(context)
    document = open_docx(data)
    paragraphs = texts(document)
    expected = [b.text for b in context.blocks if b.kind != Kind.TITLE]
    assert not any("\x07" in b.text for b in context.blocks)  # the context already drops it
    for text in expected:
        assert text in paragraphs
    joined = "\n".join(paragraphs)
    assert "<script>alert(" in joined and "</script> &" in joined
    assert "😀" in joined and "第二行" in joined and "\x07" not in joined
    assert "&lt;script&gt;" in part_xml(data, "word/document.xml")
    # A line break typed inside a deduction reason joins the sentence (one paragraph, no break).
    scored = next(p for p in document.paragraphs if p.text.startswith("该项满分"))
    assert "第二行😀结束" in scored.text and "\n第二行" not in scored.text


def test_control_characters_anywhere_never_crash():
    context = ReportContext(
        title="关于\x01青山县\x0b的报告\ufffe",
        blocks=[
            Block(Kind.TITLE, "关于\x01青山县\x0b的报告\ufffe"),
            Block(Kind.H1, "一、工作\x1f情况"),
            Block(Kind.BODY, "正文\t制表\r\n换行\x08😀"),
            Block(Kind.SIGNATURE, "市委第五考核组\x0c"),
            Block(Kind.DATE, "2022年1月14日"),
        ],
        draft=True,
        status_label="填报中",
        file_name="x.docx",
        timestamp=dt.datetime(2022, 1, 14, 8, 0, tzinfo=dt.UTC),
        target_id=1,
    )
    document = open_docx(render_docx(context))
    assert texts(document) == [
        "关于青山县的报告",
        "",
        "一、工作情况",
        "正文\t制表\n换行😀",
        "",
        "市委第五考核组",
        "2022年1月14日",
    ]
    assert document.core_properties.title == "关于青山县的报告"


def test_same_data_same_bytes_whatever_the_clock(world, monkeypatch):
    target = world["target"]
    deduction_create(
        target=target,
        item=world["item"],
        criterion=world["criterion"],
        unit=None,
        points="0.5",
        reason="主题党日未按月开展",
        user=world["member"],
    )
    first = render_docx(build_report(target))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 86400 + 7)  # zipfile's clock
    second = render_docx(build_report(target))
    assert sha(first) == sha(second)
    stamp = build_report(target).timestamp.astimezone(dt.UTC).replace(microsecond=0)
    assert open_docx(first).core_properties.created == stamp


@pytest.mark.parametrize(
    ("signature", "date", "expected"),
    [
        ("市委第五考核组", "2022年1月14日", (4.75, 2.0)),  # the date the longer: it is 2 in
        ("中共云山市委第五党建工作考核组", "2022年1月5日", (2.0, 7.75)),  # a long signature: it is 2 in
    ],
)
def test_signature_indents(signature, date, expected):
    assert signature_indents(signature, date) == expected


def test_title_lines():
    assert title_lines("关于青山县考核情况的报告") == ["关于青山县考核情况的报告"]
    assert title_lines("关于青山县2021年度党建工作年终考核情况的报告") == [
        "关于青山县2021年度党建工作",
        "年终考核情况的报告",
    ]
    unbreakable = "关于" + "很" * 30 + "的报告"
    assert title_lines(unbreakable) == [unbreakable]
