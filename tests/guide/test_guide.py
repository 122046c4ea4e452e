"""使用说明: the pages and who may read them, the "?" that opens the section for the page and role,
the registry's pages and anchors, the screenshots it names, and the Word manual's content."""

import io
import re
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.text import chinese_ordinal
from guide import figures, manual
from guide.content import render_section
from guide.manual import UnsupportedMarkup, blocks
from guide.sections import BY_SLUG, SECTIONS
from reports.models import ReportBatch
from tests.guide_shots import BY_NAME, SHOTS

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "guide" / "sections"


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            names |= _url_names(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


# --- the registry ---------------------------------------------------------------------------------


def test_every_section_has_its_template_and_names_real_pages():
    names = _url_names(get_resolver())
    for section in SECTIONS:
        assert (TEMPLATES / f"{section.slug}.html").exists(), section.slug
        assert section.roles and section.title and section.summary
        unknown = set(section.pages) - names
        assert not unknown, f"{section.slug} names pages that do not exist: {unknown}"


def test_every_anchor_a_section_points_to_is_in_its_text():
    for section in SECTIONS:
        html = render_section(section)
        for view, anchor in section.pages.items():
            assert not anchor or f'id="{anchor}"' in html, f"{section.slug}#{anchor} ({view})"


def test_no_template_is_a_section_without_its_registry_line():
    assert {p.stem for p in TEMPLATES.glob("*.html")} == set(BY_SLUG)


def test_every_section_reads_as_the_manual_prints_it():
    for section in SECTIONS:
        paragraphs = blocks(render_section(section, manual=True))
        assert paragraphs and all(b.text for b in paragraphs), section.slug
        text = "".join(b.text for b in paragraphs)
        assert "{%" not in text and "{{" not in text and "<" not in text


def test_the_manual_refuses_markup_it_cannot_print():
    with pytest.raises(UnsupportedMarkup):
        blocks("<p>前</p><table><tr><td>表格</td></tr></table>")
    with pytest.raises(UnsupportedMarkup):
        blocks("<ol><li>一<ul><li>二</li></ul></li></ol>")
    with pytest.raises(UnsupportedMarkup):
        blocks("没有段落的文字")


def test_the_manual_closes_up_spaces_beside_chinese_and_quotes_the_words_on_buttons():
    (block,) = blocks(
        "<p>点导航栏 <b>管理</b> → <b>导入单位名册</b>，连续 5 次，不超过 20 MB，命令 <kbd>manage.py db_worker</kbd>。</p>"
    )
    assert block.text == "点导航栏“管理”→“导入单位名册”，连续5次，不超过20 MB，命令manage.py db_worker。"


# --- the screenshots ------------------------------------------------------------------------------


def referenced() -> dict[str, str]:
    found = {}
    for section in SECTIONS:
        for name in figures.referenced((TEMPLATES / f"{section.slug}.html").read_text(encoding="utf-8")):
            found[name] = section.slug
    return found


def test_every_screenshot_the_guide_names_is_committed_small_and_taken_by_the_browser_test():
    names = referenced()
    assert len(names) >= 10
    for name, slug in names.items():
        path = figures.path(name)
        assert path.exists(), f"{slug} shows {name}, missing: run tests/browser/test_guide_screenshots.py"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert path.stat().st_size <= figures.MAX_BYTES, f"{name}: {path.stat().st_size:,} bytes"
        assert figures.size(name)[0] <= 960, name
        assert name in BY_NAME, f"{name} is not taken by the browser test (tests/guide_shots.py)"


def test_no_screenshot_is_left_over_or_taken_for_nothing():
    on_disk = {p.name for p in figures.directory().glob("*.png")}
    assert on_disk == set(referenced()) == {shot.name for shot in SHOTS}


# --- the pages ------------------------------------------------------------------------------------


GUIDE_PAGES = [("guide:index", []), ("guide:section", ["fieldwork"]), ("guide:manual", [])]


@pytest.mark.parametrize(("name", "args"), [*GUIDE_PAGES, ("guide:for_page", [])])
def test_the_anonymous_are_sent_to_sign_in(client, db, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["admin", "reviewer", "leader", "member", "outsider"])
def test_everyone_signed_in_reads_every_section(setup, login, role):
    client = login(setup[role])
    index = client.get(reverse("guide:index")).content.decode()
    for section in SECTIONS:
        assert reverse("guide:section", args=[section.slug]) in index
        page = client.get(reverse("guide:section", args=[section.slug]))
        assert page.status_code == 200
        assert str(section.title) in page.content.decode()
    assert client.get(reverse("guide:section", args=["no-such-section"])).status_code == 404


def test_a_section_shows_its_screenshots_and_this_installations_numbers(setup, login, settings):
    settings.SESSION_IDLE_TIMEOUT = 45 * 60
    client = login(setup["member"])
    html = client.get(reverse("guide:section", args=["fieldwork"])).content.decode()
    assert '<img src="/static/guide/fieldwork-items.png"' in html
    account = client.get(reverse("guide:section", args=["account"])).content.decode()
    assert "45 分钟没有任何操作" in account and f"连续 {settings.AXES_FAILURE_LIMIT} 次输错密码" in account


def test_the_contents_marks_the_sections_for_the_readers_role(setup, login):
    html = login(setup["reviewer"]).get(reverse("guide:index")).content.decode()
    mine = re.findall(r'app-guide-mine[^>]*>.*?href="/guide/([a-z]+)/"', html, re.S)
    assert mine == ["review", "results", "meetings", "ballots", "rectification", "account"]


def test_every_page_has_the_question_mark_for_itself(setup, login):
    client = login(setup["member"])
    url = reverse("campaigns:target", args=[setup["qs_target"].pk])
    html = client.get(url).content.decode()
    assert f'href="/guide/page/?from={url}"' in html and 'data-testid="guide-link"' in html


# --- the "?" of a page ---------------------------------------------------------------------------


def opened(client, path: str) -> str:
    response = client.get(reverse("guide:for_page"), {"from": path})
    assert response.status_code == 302
    return response["Location"]


def test_the_question_mark_opens_the_section_for_the_page_and_the_role(setup, login):
    target, campaign = setup["qs_target"].pk, setup["campaign"].pk
    workspace, preview = f"/campaigns/targets/{target}/", f"/reports/targets/{target}/"
    expected = {
        "admin": {
            "/": "/guide/",
            "/units/": "/guide/prepare/#roster",
            f"/campaigns/{campaign}/checklist/": "/guide/prepare/#checklist",
            f"/campaigns/{campaign}/sampling/": "/guide/draw/",
            workspace: "/guide/close/#finalize",
            preview: "/guide/close/#finalize",
            "/accounts/lockouts/": "/guide/account/#lockout",
        },
        "reviewer": {
            "/": "/guide/review/",
            f"/reports/campaigns/{campaign}/dashboard/": "/guide/review/#dashboard",
            workspace: "/guide/review/#decide",
            preview: "/guide/review/#decide",
        },
        "leader": {
            "/": "/guide/fieldwork/",
            workspace: "/guide/fieldwork/#items",
            preview: "/guide/submit/",
            f"/campaigns/targets/{target}/sample/": "/guide/draw/#sheet",
        },
        "member": {
            workspace: "/guide/fieldwork/#items",
            f"/campaigns/targets/{target}/history/": "/guide/fieldwork/#history",
            preview: "/guide/fieldwork/#preview",
            "/accounts/password/": "/guide/account/#password",
            "/guide/": "/guide/",
        },
    }
    for role, pages in expected.items():
        client = login(setup[role])
        for path, section in pages.items():
            assert opened(client, path) == section, f"{role} on {path}"


def test_a_role_in_another_campaign_does_not_decide_the_section(setup, login):
    """The reviewer of this campaign is a group member in another one: on this campaign's county
    the guide speaks to a reviewer."""
    from tests.factories import CampaignFactory, GroupFactory, add_member

    other = GroupFactory(campaign=CampaignFactory(year=2030))
    add_member(other, setup["reviewer"])
    client = login(setup["reviewer"])
    assert opened(client, f"/campaigns/targets/{setup['qs_target'].pk}/") == "/guide/review/#decide"


def test_the_batch_page_and_anything_else_fall_back_sensibly(setup, login):
    batch = ReportBatch.objects.create(campaign=setup["campaign"], requested_by=setup["admin"], total=1)
    client = login(setup["admin"])
    assert opened(client, f"/reports/batches/{batch.pk}/") == "/guide/close/#batch"
    for nowhere in ("/no/such/page/", "https://elsewhere.example/", "", "guide"):
        assert opened(client, nowhere) == "/guide/"


# --- the Word manual ------------------------------------------------------------------------------


def test_the_manual_is_the_whole_guide_in_one_word_file(setup, login):
    response = login(setup["member"]).get(reverse("guide:manual"))
    assert response.status_code == 200 and response["Content-Type"] == manual.CONTENT_TYPE
    assert (
        "%E5%85%9A%E5%BB%BA%E8%80%83%E6%A0%B8%E7%B3%BB%E7%BB%9F%E4%BD%BF%E7%94%A8%E8%AF%B4%E6%98%8E.docx"
        in (response["Content-Disposition"])
    )
    document = docx.Document(io.BytesIO(response.content))
    lines = [p.text for p in document.paragraphs]
    text = "\n".join(lines)
    assert lines[1] == "党建工作年终考核系统使用说明"
    assert [section.title for section in SECTIONS[:6]] == [
        "准备考核工作",
        "抽签（抽查）",
        "考核组实地考核",
        "组长提交",
        "审核",
        "管理员定稿与导出",
    ]
    assert SECTIONS[-1].title == "账号与安全"
    for n, section in enumerate(SECTIONS):
        heading = f"{chinese_ordinal(n + 1)}、{section.title}"
        assert lines.count(heading) == 1, heading  # its chapter (the contents add the roles)
    for subheading in ("（一）单位名册", "（二）人员账号", "（四）批量导出全部报告", "（三）登录锁定"):
        assert subheading in lines, subheading
    assert "1.点导航栏“管理”→“导入单位名册”（或“单位名册”页的“导入”）。" in lines
    assert "（1）在对应评分细则下点“＋扣分”。" in lines  # steps under a 1. heading are （1）
    assert f"同一用户名从同一网络地址连续{settings.AXES_FAILURE_LIMIT}次输错密码" in text
    assert "注意：如果页面显示“后台任务未运行，请联系系统管理员启动”" in text
    captions = [line for line in lines if line.startswith("图")]
    assert len(captions) == len(referenced())
    assert captions[0] == "图1　单位名册：各县区及下属单位数，管理员可导入、导出和新增"
    assert len(document.inline_shapes) == len(referenced())
    assert "<" not in text and "{%" not in text and "  " not in text


def test_the_manuals_layout_follows_the_official_document_conventions(setup, login):
    document = docx.Document(io.BytesIO(login(setup["member"]).get(reverse("guide:manual")).content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm)
        for m in (section.top_margin, section.left_margin, section.bottom_margin, section.right_margin)
    ] == [37, 28, 35, 26]
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in footer
    body = document.element.body.xml
    assert (
        'w:eastAsia="仿宋_GB2312"' in body
        and 'w:eastAsia="黑体"' in body
        and 'w:eastAsia="楷体_GB2312"' in body
    )
    assert body.count("<w:pageBreakBefore/>") == len(SECTIONS)  # each part starts a page
    # every paragraph keeps its line-end punctuation inside the margin in LibreOffice too
    assert body.count("<w:overflowPunct/>") == len(document.paragraphs)
    assert body.count('<w:outlineLvl w:val="0"/>') == len(SECTIONS)
