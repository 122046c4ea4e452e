"""An official document (公文) as a Word file, laid out as GB/T 9704-2012
(../shared/design/report-format.md): the inspection report, the 通报, the 述职评议 主持词 and
feedback sheets all come out of here.

``render_docx(paper)`` gives the .docx bytes of anything with a ``title``, its ``blocks`` (``Block``:
a ``Kind`` and its text), ``draft`` and a ``timestamp`` (e.g. ``reports.context.ReportContext``).
Every word comes from the blocks; this module decides only the layout: A4, the 37/28/35/26 mm margins,
22 lines × 28 characters (Word's document grid, see "The grid" below),
仿宋_GB2312 3号 body with a 2-character first-line indent, a 2号 方正小标宋简体 title, 黑体 /
楷体_GB2312 / bold 仿宋 headings that show in Word's navigation pane (``w:outlineLvl``, not
the theme-coloured built-in Heading styles), the signature and date, ``— 1 —`` page
numbers right on odd pages and left on even ones, and 草稿 in the header of a report
that is not finalized. A placeholder block (something still to be written or decided) is
highlighted, so a draft shows at a glance what is missing.

Formatting lives in named styles (for whoever edits the file in Word) and is repeated on
every paragraph and run (for whoever pastes it into another document, where that
document's styles win): every run names its fonts in ``w:ascii``/``w:hAnsi``/``w:eastAsia``.

The grid. As GB/T 9704 templates do, the section has a ``linesAndChars`` document grid: a
28.95 pt line pitch (22 lines) and a ``w:charSpace`` of −842/4096 pt (what Word's Page Setup writes
for 28 characters of 16 pt on the 156 mm line). No negative character spacing anywhere. The
paragraphs themselves do not snap to the character grid (``<w:snapToGrid w:val="0"/>``): their
text is scaled to 98% (``w:w``, 15.68 pt a character, 28 on the line) and their lines are an
exact 28.95 pt, so Word and LibreOffice (7.4, which draws the reports here) both give 22 × 28.
Why not snap to the grid, as Word would:

- LibreOffice turns the grid into 28 cells and starts the Chinese character after any digits or
  Latin letters on the next cell, which leaves a visible gap after every number ("2022　年");
  off the grid, numbers sit in the line as typed;
- it reads ``w:overflowPunct`` inverted (its DOCX import sets "hanging punctuation" to ``not
  val``): without the element it hangs a line-end comma or stop 5–6 mm into the right margin, and
  with the −0.25 pt spacing of earlier versions it dropped some of them altogether. Paragraphs
  therefore say ``<w:overflowPunct/>`` explicitly, which is Word's own default, and LibreOffice
  then moves the mark's preceding character to the next line instead (避头尾);
- ``w:kinsoku``, ``w:autoSpaceDE``/``DN``, ``w:adjustRightInd`` and ``w:characterSpacingControl``
  change nothing there; Word's defaults are kept. Indents are given in characters
  (``w:firstLineChars``) with a twips fallback of 628 (two 98% characters).
- The title, signature and date are full width (100%).

The same context gives the same bytes: the core properties carry the context's
timestamp, and the zip is rewritten with fixed entry times (python-docx stamps each
entry with the current time) and a fixed order.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Protocol

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from .text import strip_invisible


class Kind:
    TITLE = "title"
    BODY = "body"
    SALUTATION = "salutation"  # 同志们： / the 主送机关, flush left
    H1 = "h1"  # 一、
    H2 = "h2"  # （一）
    H3 = "h3"  # 1.
    SIGNATURE = "signature"
    DATE = "date"


HEADINGS = (Kind.H1, Kind.H2, Kind.H3)


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    placeholder: bool = False  # still to be written or decided: highlighted in the draft

    @property
    def is_heading(self) -> bool:
        return self.kind in HEADINGS


class Paper(Protocol):
    """What the renderer reads of a document."""

    title: str
    blocks: list[Block]
    draft: bool
    timestamp: dt.datetime


@dataclass
class SimplePaper:
    """A document that is only its blocks (a 主持词, a 通报, a feedback sheet)."""

    title: str
    blocks: list[Block]
    timestamp: dt.datetime
    draft: bool = False


FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
BODY_SIZE, TITLE_SIZE, SMALL_SIZE = 32, 44, 28  # half-points: 3号 16 pt, 2号 22 pt, 4号 14 pt
LINE = 579  # twips: 28.95 pt, the 225 mm text block ÷ 22 lines
TITLE_LINE = 700  # 35 pt
CHAR = 320  # twips in one 16 pt character
PAGE_WIDTH, LEFT_MARGIN, RIGHT_MARGIN = 11906, 1587, 1474  # twips: 210, 28 and 26 mm
LINE_CHARS = 28
# 1/4096 pt added to each character of the Normal font on the grid: (8845 twips ÷ 28 − 16 pt) × 4096,
# rounded down, so that 28 characters always fit (Word's Page Setup writes the same −842).
CHAR_SPACE = math.floor(((PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN) / LINE_CHARS - CHAR) / 20 * 4096)
# One character of body text at 98% (15.68 pt, 313.6 twips), rounded up: the twips fallback of a
# *Chars indent.
GRID_CELL = 314
GRID_SCALE = 98  # percent: 28 characters of 16 pt on the 156 mm line (see the docstring)
TITLE_CHARS = 20  # 22 pt characters on a 156 mm line
AUTHOR = "党建考核"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# Where a long title may break without splitting a word: after one of these.
TITLE_BREAKS = ("年度", "工作", "考核", "情况")
# Characters XML 1.0 cannot carry; \t and \n become <w:tab/> and <w:br/>.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TAB_OR_BREAK = re.compile("([\t\n])")
# Names Word may fall back to when an office lacks the official fonts; charset 86 is GB2312.
FONT_TABLE = (
    (SONGTI, "SimSun", "auto", "variable"),
    (FANGSONG, "仿宋", "modern", "fixed"),
    (HEITI, "SimHei", "modern", "fixed"),
    (KAITI, "楷体", "modern", "fixed"),
    (XIAOBIAOSONG, "宋体", "auto", "variable"),
)


# --- small XML helpers ------------------------------------------------------------------------


def _el(tag: str, **attrs):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _rpr(
    font: str, size: int, *, bold: bool = False, color: str | None = None, scale: int | None = GRID_SCALE
):
    """Run properties naming ``font`` for Latin and Chinese text alike, no theme fonts; ``scale`` the
    horizontal scale in percent (body text is 98%, see the module's docstring)."""
    rpr = _el("w:rPr")
    rpr.append(_el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia"))
    if bold:
        rpr.extend([_el("w:b"), _el("w:bCs")])
    if color:
        rpr.append(_el("w:color", val=color))
    if scale is not None:
        rpr.append(_el("w:w", val=scale))
    rpr.extend([_el("w:sz", val=size), _el("w:szCs", val=size)])
    return rpr


NO_INDENT = {"firstLineChars": 0, "firstLine": 0}
FIRST_LINE = {"firstLineChars": 200, "firstLine": 2 * GRID_CELL}


def _ppr(
    *,
    jc: str = "both",
    indent: dict | None = None,
    line: int = LINE,
    rule: str = "exact",
    keep_next: bool = False,
    widow: bool = False,
    outline: int | None = None,
):
    """Paragraph properties, children in schema order. ``indent`` defaults to a 2-character first line."""
    ppr = _el("w:pPr")
    if keep_next:
        ppr.append(_el("w:keepNext"))
    if not widow:  # widow control would leave 21 lines on some pages
        ppr.append(_el("w:widowControl", val=0))
    ppr.append(_el("w:overflowPunct"))  # LibreOffice reads it inverted: keeps line-end marks in
    ppr.append(_el("w:snapToGrid", val=0))  # off the character grid (see the module's docstring)
    ppr.append(_el("w:spacing", before=0, after=0, line=line, lineRule=rule))
    ppr.append(_el("w:ind", **(indent if indent is not None else FIRST_LINE)))
    ppr.append(_el("w:jc", val=jc))
    if outline is not None:
        ppr.append(_el("w:outlineLvl", val=outline))
    return ppr


def _right_indent(chars: float) -> dict:
    return {"rightChars": round(chars * 100), "right": math.floor(chars * GRID_CELL), **NO_INDENT}


def _script(char: str) -> str | None:
    if char.isascii():
        return "latin" if char.isalnum() else None
    return "cjk" if unicodedata.east_asian_width(char) in "WF" and char.isalpha() else None


def _width(text: str) -> float:
    """Width in characters: Chinese (and the ambiguous “”—…) one, Latin letters and digits half,
    and the quarter character Word and LibreOffice put between Chinese and Latin or digits."""
    width, previous = 0.0, None
    for char in text:
        width += 1 if unicodedata.east_asian_width(char) in "WFA" else 0.5
        script = _script(char)
        if script and previous and script != previous:
            width += 0.25
        previous = script
    return width


def clean_text(text: str) -> str:
    """The text as written, minus what XML cannot carry and any bidi override; any line break
    becomes \\n."""
    return strip_invisible(_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


# --- what each kind of block looks like ----------------------------------------------------------

# kind: (style id, style name as Word shows it, font, size in half-points, bold, outline level)
LOOKS = {
    Kind.TITLE: ("ReportTitle", "公文标题", XIAOBIAOSONG, TITLE_SIZE, False, None),
    Kind.H1: ("ReportHeading1", "一级标题", HEITI, BODY_SIZE, False, 0),
    Kind.H2: ("ReportHeading2", "二级标题", KAITI, BODY_SIZE, False, 1),
    Kind.H3: ("ReportHeading3", "三级标题", FANGSONG, BODY_SIZE, True, 2),
    Kind.SIGNATURE: ("ReportSignature", "落款", FANGSONG, BODY_SIZE, False, None),
}


FULL_WIDTH = (Kind.TITLE, Kind.SIGNATURE, Kind.DATE)  # a centred title, single right-aligned lines


def _scale(kind: str) -> int:
    """Body text and headings are 98% wide; the title, signature and date full width."""
    return 100 if kind in FULL_WIDTH else GRID_SCALE


def _look_ppr(kind: str, indent: dict | None = None):
    """The paragraph properties of a title, heading, signature or date."""
    if kind == Kind.TITLE:
        return _ppr(jc="center", indent=NO_INDENT, line=TITLE_LINE, keep_next=True)
    if kind in (Kind.SIGNATURE, Kind.DATE):
        return _ppr(jc="right", indent=indent or _right_indent(2), keep_next=kind == Kind.SIGNATURE)
    outline = LOOKS[kind][5] if kind in LOOKS else None
    return _ppr(keep_next=outline is not None, outline=outline)


def title_lines(title: str) -> list[str]:
    """A title too long for one line, broken in two after a whole word, the first line the longer
    (a trapezoid, as GB/T 9704 asks); left to the word processor when no break fits."""
    if _width(title) <= TITLE_CHARS:
        return [title]
    best = None
    for token in TITLE_BREAKS:
        for match in re.finditer(re.escape(token), title):
            head, tail = title[: match.end()], title[match.end() :]
            w1, w2 = _width(head), _width(tail)
            if tail and w1 <= TITLE_CHARS and w2 <= TITLE_CHARS:
                key = (w1 < w2, abs(w1 - w2))
                if best is None or key < best[0]:
                    best = (key, [head, tail])
    return best[1] if best else [title]


def signature_indents(signature: str, date: str) -> tuple[float, float]:
    """Right indents, in characters, of the signature and the date (GB/T 9704, 7.3.5.2, unsealed):
    the signature 2 characters from the right, the date on the next line starting 2 characters to
    the right of the signature's start; a date that would then end nearer than 2 characters to the
    edge ends 2 characters from it, and the signature moves left to match."""
    ws, wd = _width(signature), _width(date)
    if ws - wd >= 2:
        return 2.0, ws - wd
    return 4 + wd - ws, 2.0


# --- the document ---------------------------------------------------------------------------------


def _replace(parent, new):
    """Put ``new`` (a pPr or rPr) in place of ``parent``'s, created where the schema wants it."""
    getter = parent.get_or_add_pPr if new.tag == qn("w:pPr") else parent.get_or_add_rPr
    old = getter()
    old.getparent().replace(old, new)


def _styles(document) -> dict:
    """Normal as the body text, one named paragraph style per look; returns kind → style id."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.remove(rpr_default.find(qn("w:rPr")))
    rpr = _rpr(FANGSONG, BODY_SIZE, scale=None)
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    rpr_default.append(rpr)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    spacing = ppr_default.find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")

    normal = styles["Normal"].element
    _replace(normal, _ppr())
    rpr = _rpr(FANGSONG, BODY_SIZE)  # its 16 pt is the size the grid's w:charSpace is added to
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    _replace(normal, rpr)
    for name in ("Header", "Footer"):
        style = styles[name].element
        _replace(style, _ppr(jc="center", indent=NO_INDENT, line=240, rule="auto"))
        _replace(style, _rpr(SONGTI, SMALL_SIZE, scale=100))

    ids = {}
    for kind, (style_id, name, font, size, bold, _outline) in LOOKS.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = styles["Normal"]
        style.next_paragraph_style = styles["Normal"]
        style.quick_style = True
        _replace(style.element, _look_ppr(kind))
        _replace(style.element, _rpr(font, size, bold=bold, scale=_scale(kind)))
        ids[kind] = style_id
    ids[Kind.DATE] = ids[Kind.SIGNATURE]
    return ids


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number's dash about 7 mm below the text block; the 草稿 mark above it.
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    document.settings.odd_and_even_pages_header_footer = True
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph(container, ppr, runs: list, style_id: str | None = None):
    """A paragraph of ``runs`` [(text, rPr) or (field runs, None)] appended to ``container`` (a body,
    header or footer element; in a body, before its sectPr)."""
    p = OxmlElement("w:p")
    if style_id:
        ppr.insert(0, _el("w:pStyle", val=style_id))
    p.append(ppr)
    for text, rpr in runs:
        if rpr is None:  # field runs, already built
            p.extend(text)
            continue
        r = OxmlElement("w:r")
        r.append(copy.deepcopy(rpr))
        p.append(r)
        _set_text(r, text)
    sect_pr = container.find(qn("w:sectPr"))
    if sect_pr is not None:
        sect_pr.addprevious(p)
    else:
        container.append(p)
    return p


def _set_text(r, text: str) -> None:
    """``text`` into run ``r``: \t a <w:tab/>, \n a <w:br/> (python-docx's ``run.text`` does the
    same one character at a time, which is most of a long report's render time)."""
    for piece in _TAB_OR_BREAK.split(text):
        if piece in ("\t", "\n"):
            r.append(_el("w:tab" if piece == "\t" else "w:br"))
        elif piece:
            t = OxmlElement("w:t")
            t.text = piece
            if piece != piece.strip():
                t.set(qn("xml:space"), "preserve")
            r.append(t)


def _page_field(rpr) -> list:
    """The PAGE field as Word writes it: begin, instruction, separate, a placeholder, end."""
    runs = []
    for part in ("begin", " PAGE ", "separate", "1", "end"):
        r = OxmlElement("w:r")
        r.append(copy.deepcopy(rpr))
        if part in ("begin", "separate", "end"):
            r.append(_el("w:fldChar", fldCharType=part))
        else:
            child = OxmlElement("w:instrText" if part == " PAGE " else "w:t")
            child.text = part
            child.set(qn("xml:space"), "preserve")
            r.append(child)
        runs.append(r)
    return runs


def _header_footer(part, style_id: str, runs: list, indent: dict, jc: str) -> None:
    """Make ``part`` (a header or footer) its own, holding one paragraph of ``runs``."""
    part.is_linked_to_previous = False
    element = part._element
    for p in element.findall(qn("w:p")):
        element.remove(p)
    ppr = _ppr(jc=jc, indent=indent, line=240, rule="auto")
    _paragraph(element, ppr, runs, style_id)


def _headers_and_footers(document, draft: bool) -> None:
    section = document.sections[0]
    number = _rpr(SONGTI, SMALL_SIZE, scale=100)
    # One 14 pt character (280 twips) in from the outer edge: right on odd pages, left on even ones.
    odd = {"rightChars": 100, "right": 280, **NO_INDENT}
    even = {"leftChars": 100, "left": 280, **NO_INDENT}
    for footer, indent, jc in ((section.footer, odd, "right"), (section.even_page_footer, even, "left")):
        runs = [("— ", number), (_page_field(number), None), (" —", number)]
        _header_footer(footer, "Footer", runs, indent, jc)
    if draft:  # no titlePg: the first page takes the odd pages' header
        mark = [("草稿", _rpr(FANGSONG, SMALL_SIZE, color="808080", scale=100))]
        for header in (section.header, section.even_page_header):
            _header_footer(header, "Header", mark, NO_INDENT, "right")


def _properties(document, context: Paper) -> None:
    stamp = context.timestamp
    stamp = (stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp).replace(tzinfo=None, microsecond=0)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = clean_text(context.title)[:255], AUTHOR, AUTHOR
    props.subject = props.keywords = props.comments = props.category = ""
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    # Neither the template's thumbnail (a blank Letter page) nor Word 2010's styles copy is needed.
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            document.part.drop_rel(rel_id)


def _font_table() -> bytes:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, family, pitch in FONT_TABLE
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/>'
        f'<w:pitch w:val="variable"/></w:font>{fonts}</w:fonts>'
    ).encode()


FONT_TABLE_XML = _font_table()


def _fixed_zip(data: bytes) -> bytes:
    """The package again, with fixed entry times and order, and our font table."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            blob = FONT_TABLE_XML if name == "word/fontTable.xml" else source.read(name)
            target.writestr(info, blob)
    return out.getvalue()


def render_docx(context: Paper) -> bytes:
    """The report of ``context`` as .docx bytes; the same context always gives the same bytes."""
    document = Document()
    style_ids = _styles(document)
    _page(document)
    body = document.element.body
    blocks = context.blocks
    kinds = [b.kind for b in blocks]
    signature = next((clean_text(b.text) for b in blocks if b.kind == Kind.SIGNATURE), "")
    date = next((clean_text(b.text) for b in blocks if b.kind == Kind.DATE), "")
    indents = signature_indents(signature, date)
    plain = _rpr(FANGSONG, BODY_SIZE)
    marked = _rpr(FANGSONG, BODY_SIZE)  # a placeholder (【待填写：…】, （尚未评分）): highlighted
    marked.append(_el("w:highlight", val="yellow"))
    looks = {kind: _rpr(font, size, bold=bold) for kind, (_i, _n, font, size, bold, _o) in LOOKS.items()}
    looks[Kind.DATE] = looks[Kind.SIGNATURE]
    for kind in FULL_WIDTH:
        looks[kind].find(qn("w:w")).set(qn("w:val"), str(_scale(kind)))

    # Paragraph properties built once a kind and copied: a report has hundreds of paragraphs.
    pprs = {kind: _look_ppr(kind) for kind in (Kind.TITLE, Kind.H1, Kind.H2, Kind.H3)}
    pprs[Kind.BODY], pprs["keep"] = _ppr(), _ppr(keep_next=True)
    pprs[Kind.SALUTATION] = _ppr(indent={"firstLine": 0, "firstLineChars": 0})

    for index, block in enumerate(blocks):
        text, kind = clean_text(block.text), block.kind
        if kind == Kind.TITLE:
            runs = [("\n".join(title_lines(text)), looks[kind])]
            _paragraph(body, copy.deepcopy(pprs[kind]), runs, style_ids[kind])
            _paragraph(body, copy.deepcopy(pprs[Kind.BODY]), [])  # a blank line under the title
        elif kind in (Kind.SIGNATURE, Kind.DATE):
            if kind == Kind.SIGNATURE or Kind.SIGNATURE not in kinds[:index]:
                _paragraph(body, copy.deepcopy(pprs["keep"]), [])  # a blank line above the signature
            indent = _right_indent(indents[0] if kind == Kind.SIGNATURE else indents[1])
            _paragraph(body, _look_ppr(kind, indent), [(text, looks[kind])], style_ids[kind])
        elif kind in LOOKS:
            _paragraph(body, copy.deepcopy(pprs[kind]), [(text, looks[kind])], style_ids[kind])
        else:
            # The last paragraph stays with the signature: never a page holding only the signature.
            last = index + 1 < len(kinds) and kinds[index + 1] in (Kind.SIGNATURE, Kind.DATE)
            runs = [(text, marked if block.placeholder else plain)]
            ppr = pprs[Kind.SALUTATION] if kind == Kind.SALUTATION else pprs["keep" if last else Kind.BODY]
            _paragraph(body, copy.deepcopy(ppr), runs)

    _headers_and_footers(document, context.draft)
    _properties(document, context)
    stream = io.BytesIO()
    document.save(stream)
    return _fixed_zip(stream.getvalue())
