"""The guide as one Word manual (使用说明.docx), for offices that hand out paper.

The manual is the guide's own pages: each section's template is rendered as for the page and its
HTML read back here (``blocks``), so the two never say different things. The templates keep to
a few elements (see guide.sections); anything else is refused, so a section cannot silently lose
text on paper.

The layout borrows the official-document conventions of the inspection report (core.officialdoc,
../shared/design/report-format.md) where they suit a manual: A4 with the 37/28/35/26 mm margins,
仿宋_GB2312 3号 body with a 2-character first-line indent on fixed 28.95 pt lines, a 小标宋 title,
黑体 一、 / 楷体 （一） / bold 仿宋 1. headings marked for Word's navigation pane, and ``— 1 —``
page numbers right on odd pages, left on even ones. Unlike a report it has screenshots: a
figure's paragraph has automatic line spacing (a fixed line would crop the picture), is centred,
and stays with its caption (图1　……, 楷体 4号).
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image

from core.officialdoc import (
    BODY_SIZE,
    FANGSONG,
    HEITI,
    KAITI,
    LINE,
    SMALL_SIZE,
    SONGTI,
    TITLE_SIZE,
    XIAOBIAOSONG,
)
from core.officialdoc import clean_text as xml_safe
from core.text import chinese_ordinal

from . import figures
from .content import render_section
from .sections import SECTIONS

FILE_NAME = "党建考核系统使用说明.docx"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "党建工作年终考核系统使用说明"
GRID_CELL = 320  # twips in one 16 pt character: the 2-character first-line indent is 640
TEXT_WIDTH_MM, MAX_FIGURE_HEIGHT_MM = 156, 150


# --- reading a section's HTML ----------------------------------------------------------------------


@dataclass
class Block:
    """One paragraph of the manual: kind h3 (a subsection), h4, p, ol, ul (a list item), note or
    figure; ``runs`` its text as (text, emphasised) pairs; a figure's ``image`` file name."""

    kind: str
    runs: list[tuple[str, bool]] = field(default_factory=list)
    image: str = ""

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


BLOCK_TAGS = {"h3": "h3", "h4": "h4", "p": "p", "aside": "note", "figcaption": "figure"}
INLINE_TAGS = {"b", "strong", "a", "em", "kbd", "code", "span"}
CONTAINER_TAGS = {"ol", "ul", "figure"}


class UnsupportedMarkup(ValueError):
    """A section template uses an element the manual cannot print."""


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.lists: list[str] = []
        self.current: Block | None = None
        self.emphasis = 0
        self.figure: str = ""

    def _open(self, kind: str) -> None:
        self._close()
        self.current = Block(kind, image=self.figure if kind == "figure" else "")

    def _close(self) -> None:
        if self.current is not None and (self.current.text.strip() or self.current.image):
            self.blocks.append(self.current)
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCK_TAGS:
            self._open(BLOCK_TAGS[tag])
        elif tag == "li":
            if not self.lists:
                raise UnsupportedMarkup("<li> outside <ol> or <ul>")
            self._open(self.lists[-1])
        elif tag in ("ol", "ul"):
            if self.lists:
                raise UnsupportedMarkup("a list inside a list")
            self._close()
            self.lists.append(tag)
        elif tag == "figure":
            self._close()
        elif tag == "img":
            self.figure = attrs.get("data-figure") or ""
            if not self.figure:
                raise UnsupportedMarkup("<img> without data-figure: use {% guide_figure %}")
        elif tag in ("b", "strong"):
            self.emphasis += 1
        elif tag == "br":
            self._text("\n")
        elif tag not in INLINE_TAGS:
            raise UnsupportedMarkup(f"<{tag}> is not printed by the manual")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS or tag == "li":
            self._close()
        elif tag in ("ol", "ul"):
            self._close()
            self.lists.pop()
        elif tag == "figure":
            self._close()
            self.figure = ""
        elif tag in ("b", "strong"):
            self.emphasis -= 1

    def handle_data(self, data):
        if not data.strip() and self.current is None:
            return
        if self.current is None:
            raise UnsupportedMarkup(f"text outside a paragraph: {data.strip()[:30]!r}")
        self._text(data)

    def _text(self, data: str) -> None:
        if self.current is not None:
            self.current.runs.append((data, self.emphasis > 0))


# Spaces typed around a term or a number for the screen's sake; print closes them up beside Chinese.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》"
_LOOSE = re.compile(rf"(?<=[{_CJK}])[ \t\r\n]+(?=\S)|(?<=\S)[ \t\r\n]+(?=[{_CJK}])")


def _tidy(block: Block) -> Block:
    """Whitespace collapsed, spaces beside Chinese closed up, an emphasised term “quoted”."""
    runs = []
    for text, emphasised in block.runs:
        text = re.sub(r"[ \t\r\n]+", " ", text) if text != "\n" else text
        runs.append((f"“{text.strip()}”" if emphasised else text, False))
    joined = "".join(text for text, _ in runs)
    joined = _LOOSE.sub("", joined).strip()
    joined = re.sub(r" *\n *", "\n", joined)
    return Block(block.kind, [(joined, False)], block.image)


def blocks(html: str) -> list[Block]:
    """The paragraphs of a section's HTML, in order (UnsupportedMarkup for anything else)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._close()
    return [_tidy(block) for block in reader.blocks]


# --- writing Word ------------------------------------------------------------------------------------


def _el(tag: str, **attrs):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _rpr(font: str, size: int, *, bold: bool = False, color: str | None = None):
    rpr = _el("w:rPr")
    rpr.append(_el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia"))
    if bold:
        rpr.extend([_el("w:b"), _el("w:bCs")])
    if color:
        rpr.append(_el("w:color", val=color))
    rpr.extend([_el("w:sz", val=size), _el("w:szCs", val=size)])
    return rpr


def _ppr(
    *, jc="both", first_line=True, line=LINE, rule="exact", keep_next=False, outline=None, page_break=False
):
    ppr = _el("w:pPr")
    if keep_next:
        ppr.append(_el("w:keepNext"))
    if page_break:
        ppr.append(_el("w:pageBreakBefore"))
    ppr.append(_el("w:widowControl", val=0))
    ppr.append(
        _el("w:overflowPunct")
    )  # LibreOffice reads it inverted: keeps line-end marks in (core.officialdoc)
    ppr.append(_el("w:spacing", before=0, after=0, line=line, lineRule=rule))
    indent = (
        {"firstLineChars": 200, "firstLine": 2 * GRID_CELL}
        if first_line
        else {"firstLineChars": 0, "firstLine": 0}
    )
    ppr.append(_el("w:ind", **indent))
    ppr.append(_el("w:jc", val=jc))
    if outline is not None:
        ppr.append(_el("w:outlineLvl", val=outline))
    return ppr


def _paragraph(body, ppr, text: str, rpr):
    p = OxmlElement("w:p")
    p.append(ppr)
    for n, line in enumerate(xml_safe(text).split("\n")):
        r = OxmlElement("w:r")
        r.append(copy.deepcopy(rpr))
        if n:
            r.append(_el("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        p.append(r)
    body.find(qn("w:sectPr")).addprevious(p)
    return p


class _Writer:
    def __init__(self):
        self.document = Document()
        self.body = self.document.element.body
        self.figures = 0
        self._page()
        self._defaults()

    def _page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(25)
        self.document.settings.odd_and_even_pages_header_footer = True
        number = _rpr(SONGTI, SMALL_SIZE)
        odd = {"rightChars": 100, "right": 280, "firstLineChars": 0, "firstLine": 0}
        even = {"leftChars": 100, "left": 280, "firstLineChars": 0, "firstLine": 0}
        for footer, indent, jc in ((section.footer, odd, "right"), (section.even_page_footer, even, "left")):
            footer.is_linked_to_previous = False
            element = footer._element
            for p in element.findall(qn("w:p")):
                element.remove(p)
            p = OxmlElement("w:p")
            ppr = _el("w:pPr")
            ppr.append(_el("w:ind", **indent))
            ppr.append(_el("w:jc", val=jc))
            p.append(ppr)
            for part in ("— ", "begin", " PAGE ", "separate", "1", "end", " —"):
                r = OxmlElement("w:r")
                r.append(copy.deepcopy(number))
                if part in ("begin", "separate", "end"):
                    r.append(_el("w:fldChar", fldCharType=part))
                else:
                    child = OxmlElement("w:instrText" if part == " PAGE " else "w:t")
                    child.text = part
                    child.set(qn("xml:space"), "preserve")
                    r.append(child)
                p.append(r)
            element.append(p)

    def _defaults(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr_default.remove(rpr_default.find(qn("w:rPr")))
        rpr = _rpr(FANGSONG, BODY_SIZE)
        rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
        rpr_default.append(rpr)
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.attrib.clear()
        spacing.set(qn("w:after"), "0")

    def text(self, text: str, *, font=FANGSONG, size=BODY_SIZE, bold=False, **ppr) -> None:
        _paragraph(self.body, _ppr(**ppr), text, _rpr(font, size, bold=bold))

    def blank(self) -> None:
        self.text("")

    def figure(self, name: str, caption: str) -> None:
        file = figures.path(name)
        with Image.open(file) as image:
            width_px, height_px = image.size
        scale = min(TEXT_WIDTH_MM / width_px, MAX_FIGURE_HEIGHT_MM / height_px)
        p = OxmlElement("w:p")
        p.append(_ppr(jc="center", first_line=False, line=240, rule="auto", keep_next=True))
        self.body.find(qn("w:sectPr")).addprevious(p)
        paragraph = self.document.paragraphs[-1]
        assert paragraph._p is p
        paragraph.add_run().add_picture(str(file), width=Mm(width_px * scale), height=Mm(height_px * scale))
        self.figures += 1
        self.text(f"图{self.figures}　{caption}", font=KAITI, size=SMALL_SIZE, jc="center", first_line=False)

    def save(self) -> bytes:
        props = self.document.core_properties
        props.title, props.author, props.last_modified_by = TITLE, "党建考核", "党建考核"
        stream = io.BytesIO()
        self.document.save(stream)
        return stream.getvalue()


def render_manual() -> bytes:
    """The whole guide, every section in order, as .docx bytes."""
    writer = _Writer()
    writer.blank()
    writer.text(TITLE, font=XIAOBIAOSONG, size=TITLE_SIZE, jc="center", first_line=False, line=700)
    writer.blank()
    writer.text("目　录", font=HEITI, jc="center", first_line=False)
    for n, section in enumerate(SECTIONS, start=1):
        who = "、".join(section.role_names)
        writer.text(f"{chinese_ordinal(n)}、{section.title}（{who}）", first_line=False)
    writer.blank()
    writer.text(
        "本手册与系统中的“使用说明”内容相同。在系统任何页面点导航栏右侧的问号，可直接打开说明当前页面的部分。",
        font=KAITI,
    )
    for n, section in enumerate(SECTIONS, start=1):
        writer.text(
            f"{chinese_ordinal(n)}、{section.title}", font=HEITI, keep_next=True, outline=0, page_break=True
        )
        writer.text("适用于：" + "、".join(section.role_names), font=KAITI, keep_next=True)
        sub, sub_sub, item, in_sub_sub = 0, 0, 0, False
        for block in blocks(render_section(section, manual=True)):
            if block.kind not in ("ol", "ul"):
                item = 0  # a list's numbers start again after anything else
            if block.kind == "h3":
                sub, sub_sub, in_sub_sub = sub + 1, 0, False
                writer.text(f"（{chinese_ordinal(sub)}）{block.text}", font=KAITI, keep_next=True, outline=1)
            elif block.kind == "h4":
                sub_sub, in_sub_sub = sub_sub + 1, True
                writer.text(f"{sub_sub}.{block.text}", bold=True, keep_next=True, outline=2)
            elif block.kind == "ol":
                item += 1
                writer.text(f"（{item}）{block.text}" if in_sub_sub else f"{item}.{block.text}")
            elif block.kind == "ul":
                writer.text(f"●{block.text}")
            elif block.kind == "note":
                writer.text(f"注意：{block.text}", font=KAITI)
            elif block.kind == "figure":
                writer.figure(block.image, block.text)
            else:
                writer.text(block.text)
    return writer.save()
