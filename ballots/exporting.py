"""Files of a 民主测评: the QR slips, the paper form (A4), the Excel entry template, and the results
(测评结果统计表) as Excel and Word. The same data gives the same bytes (fixed document properties and
zip timestamps)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import segno
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.responses import docx_response as docx_response
from core.xlsx import export_text, protect_formulas

from .domain import tokens
from .domain.counting import ABSTAIN, INVALID
from .models import Ballot, Category, Token
from .selectors.results import Results

FIXED_TIME = dt.datetime(2000, 1, 1)
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
SLIPS_PER_ROW = 3
SLIP_WIDTH_MM = 63
SLIP_HEIGHT_MM = 54


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so that the same document gives the same bytes (openpyxl
    stamps the modification time with the clock when it saves: set back to the fixed time here)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                blob = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", blob)
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, blob)
    return out.getvalue()


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _document(*, landscape: bool = False) -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(25 if landscape else 37), Mm(20 if landscape else 35)
    section.left_margin, section.right_margin = Mm(20 if landscape else 28), Mm(20 if landscape else 26)
    props = document.core_properties
    props.author = "党建考核"
    props.last_modified_by = "党建考核"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    return document


def _title(document, text: str, size: float = 22) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), TITLE_FONT, size)


def _line(container, text: str, size: float = 12, bold: bool = False, center: bool = False):
    paragraph = container.add_paragraph() if hasattr(container, "add_paragraph") else container
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, size, bold)
    return paragraph


def _cell(cell, text: str, size: float = 11, bold: bool = False, center: bool = True) -> None:
    paragraph = cell.paragraphs[0]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), BODY_FONT, size, bold)


def _widths(table, widths_mm: list[float]) -> None:
    """Fixed column widths (Word reads the cells' widths, LibreOffice the grid's)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _row(row, *, header: bool = False, height_mm: float | None = None, exact: bool = False) -> None:
    """A row that is not split across pages; a header row repeats at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))
    if height_mm is not None:
        row.height = Mm(height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


# --- QR slips -------------------------------------------------------------------------------------


def vote_url(address: str, code: str) -> str:
    return f"{address.rstrip('/')}/v/{code}/"


def slips_docx(*, ballot: Ballot, category: Category, address: str) -> bytes:
    """The category's unused codes as slips, three across and five down an A4 page: the QR code (the
    ballot page's address with the code), the code, the meeting and the category; no name."""
    codes = list(
        Token.objects.filter(category=category, used=False).order_by("pk").values_list("code", flat=True)
    )
    document = _document()
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Mm(10)
    section.left_margin = section.right_margin = Mm(10)
    if not codes:
        _line(document, "此类别没有未使用的测评码。", 14)
        return _save(document)
    # One table of fixed-height rows: five fit on a page (5 × 54 mm of the 277 mm inside the margins)
    # and the sixth flows onto the next, so the slips cut apart alike and no page is left blank.
    table = document.add_table(rows=-(-len(codes) // SLIPS_PER_ROW), cols=SLIPS_PER_ROW)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [SLIP_WIDTH_MM] * SLIPS_PER_ROW)
    for row in table.rows:
        _row(row, height_mm=SLIP_HEIGHT_MM, exact=True)
    for index, code in enumerate(codes):
        cell = table.cell(index // SLIPS_PER_ROW, index % SLIPS_PER_ROW)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell(cell, ballot.title, 9, bold=True)
        _line(cell.add_paragraph(), ballot.campaign.title, 7, center=True)
        image = io.BytesIO()
        segno.make(vote_url(address, code), error="m").save(image, kind="png", scale=4, border=2)
        image.seek(0)
        picture = cell.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(image, width=Mm(27))
        _line(cell.add_paragraph(), tokens.display(code), 12, bold=True, center=True)
        _line(cell.add_paragraph(), category.name, 9, center=True)
        _line(cell.add_paragraph(), "扫码或打开 " + address.rstrip("/") + "/v/ 输入测评码", 6.5, center=True)
    end = document.add_paragraph().paragraph_format  # the paragraph a document ends with, kept tiny
    end.space_before = end.space_after = Pt(0)
    end.line_spacing = Pt(1)
    return _save(document)


# --- the paper form --------------------------------------------------------------------------------


def paper_form_docx(ballot: Ballot) -> bytes:
    """The ballot on paper (A4): subjects as rows, options as columns, a box for the category."""
    subjects = list(ballot.subjects.all())
    options = list(ballot.options.all())
    document = _document()
    _title(document, f"{ballot.title}票", 20)
    _line(document, ballot.campaign.title, 12, center=True)
    # The boxes on a line of their own, so that a box never parts from its category at a line's end.
    _line(document, "测评人类别（请勾选一项）：", 12)
    _line(document, "\u3000".join(f"□ {c.name}" for c in ballot.categories.all()), 12)
    _line(document, "序号：__________（由工作人员填写）", 12)
    table = document.add_table(rows=len(subjects) + 1, cols=3 + len(options))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # 156 mm inside the margins: number, unit and name, then the options share what is left.
    fixed = [15.0, 40.0, 48.0]
    _widths(table, [*fixed, *[(156 - sum(fixed)) / max(1, len(options))] * len(options)])
    # "编号" numbers the people (the keyboard entry's order); "序号" is the ballot's own number.
    for column, text in enumerate(["编号", "单位", "姓名及职务", *(o.label for o in options)]):
        _cell(table.cell(0, column), text, 12, bold=True)
    _row(table.rows[0], header=True)
    for row, subject in enumerate(subjects, start=1):
        _row(table.rows[row], height_mm=10)
        for column in range(3):
            table.cell(row, column).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell(table.cell(row, 0), str(row), 11)
        _cell(table.cell(row, 1), subject.label, 11)
        _cell(table.cell(row, 2), f"{subject.name} {subject.title}".strip(), 10.5)
    _line(document, "说明：每位同志只在一个选项下打“√”；不打视为弃权，多打视为无效。无记名填写。", 10)
    return _save(document)


def paper_template_xlsx(ballot: Ballot) -> bytes:
    """The Excel sheet offices type paper ballots into: title row, then 序号 | 测评人类别 | subjects."""
    subjects = list(ballot.subjects.all())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "纸质票录入"
    sheet.append([export_text(f"{ballot.title}纸质票录入表")])
    sheet.append(["序号", "测评人类别", *(export_text(s.label) for s in subjects)])
    sheet.column_dimensions["B"].width = 26
    for index in range(len(subjects)):
        sheet.column_dimensions[get_column_letter(index + 3)].width = 12
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the results (测评结果统计表) ---------------------------------------------------------------------


def _text(value) -> str:
    return "—" if value is None else f"{value}"


def results_table(results: Results) -> tuple[list[str], list[list[str]]]:
    """The results as a table: one row per subject and category (and the subject's total), the
    counts per option, 弃权, 无效, valid marks, 好评率, score and rank; by rank."""
    keys = [o.label for o in results.options] + [ABSTAIN, INVALID]
    header = ["名次", "单位", "姓名", "测评人类别", *keys, "有效", "好评率(%)", "得分"]
    rows = []
    for subject, result in results.ranked():
        for category in results.categories:
            tally = result.by_category[category.name]
            rows.append(
                [
                    _text(result.rank),
                    subject.label,
                    subject.name,
                    category.name,
                    *(str(tally.counts[k]) for k in keys),
                    str(tally.valid),
                    "",
                    _text(result.mean(category.name)),
                ]
            )
        totals = result.total_counts()
        rows.append(
            [
                _text(result.rank),
                subject.label,
                subject.name,
                "合计",
                *(str(totals[k]) for k in keys),
                str(result.valid),
                _text(result.good_rate),
                _text(result.score),
            ]
        )
    return header, rows


def quorum_line(results: Results) -> str:
    q = results.count.quorum
    fraction = f"{q.fraction.numerator}/{q.fraction.denominator}"
    if q.met is None:
        return f"实到人数未填写完整，无法判断有效票是否达到实到人数的{fraction}。"
    verdict = "测评有效" if q.met else "测评无效"
    return f"实到 {q.present} 人，收回 {results.count.received} 张，有效票 {q.valid} 张（应不少于 {q.required} 张，即实到人数的{fraction}）：{verdict}。"


def category_lines(results: Results) -> list[str]:
    return [
        f"{c.key}：实到 {_text(c.present)} 人，收回 {c.received} 张，有效 {c.valid} 张，废票 {c.void} 张。"
        for c in results.count.categories
    ]


RULE = (
    "计分规则：不填为弃权，多选或其他为无效；全部无效或弃权的票为废票（计入收回，不计入有效）。"
    "各类别按有效选项的分值求平均，按权重加权求和（某类别对该同志无有效票时，其余类别按权重比例折算）；"
    "好评率 =（好 + 较好）÷ 有效票 × 100；两位小数，四舍五入。"
)


def results_xlsx(results: Results) -> bytes:
    header, rows = results_table(results)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "测评结果统计表"
    sheet.append([export_text(f"{results.ballot.title}结果统计表")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([export_text(results.ballot.campaign.title)])
    sheet.append(header)
    for row in rows:
        sheet.append([export_text(value) for value in row])
    sheet.append([])
    for line in [quorum_line(results), *category_lines(results), RULE]:
        sheet.append([export_text(line)])
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=3, max_row=3 + len(rows), max_col=len(header)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="center", vertical="center")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["D"].width = 24
    protect_formulas(workbook)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


def results_docx(results: Results) -> bytes:
    header, rows = results_table(results)
    document = _document(landscape=True)
    _title(document, "测评结果统计表", 20)
    _line(document, f"{results.ballot.campaign.title}·{results.ballot.title}", 12, center=True)
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    counts = len(header) - 7  # the options, 弃权 and 无效
    _widths(table, [11, 34, 20, 50, *[14] * counts, 14, 20, 18])
    for column, text in enumerate(header):
        _cell(table.cell(0, column), text, 9, bold=True)
    _row(table.rows[0], header=True)
    block = len(results.categories) + 1  # a subject's rows: one per category, then its 合计
    for index, row in enumerate(rows, start=1):
        _row(table.rows[index])
        first = (index - 1) % block == 0
        for column, text in enumerate(row):
            cell = table.cell(index, column)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if column < 3 and not first:
                continue  # 名次, 单位 and 姓名 once a subject, merged down its rows below
            _cell(cell, text, 9, bold=row[3] == "合计" or column < 3)
    for start in range(1, len(rows) + 1, block):
        for column in range(3):
            table.cell(start, column).merge(table.cell(start + block - 1, column))
    for number, line in enumerate([quorum_line(results), *category_lines(results), RULE]):
        paragraph = _line(document, line, 10)
        if number == 0:
            paragraph.paragraph_format.space_before = Pt(8)
    return _save(document)
