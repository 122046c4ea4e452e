"""Excel tables in the documents' print standard: a merged title row, the header in row 2 (frozen,
filtered, repeated as the print titles on every page), column widths, every row as tall as its
wrapped text (LibreOffice and WPS do not fit it themselves: core.cell_size), A4 fitted to the page
width (portrait when the columns fit, landscape otherwise), page numbers in the footer, 宋体 for
the cells and 黑体 for the title and header. Every number with the General format (37, 14.5,
36.83; never "37.00"); text starting with = + - or @ is text, never a formula
(core.xlsx.protect_formulas). The same data and date give the same bytes.

``printed_tables`` writes a workbook of plain tables; the score summary (reports.xlsx) composes
its sheets from the same pieces.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from .cell_size import row_height, wrap_lines
from .prose import chinese_date
from .xlsx import export_text, protect_formulas

TITLE_ROW = 1
HEADER_ROW = 2

SCORE_FORMAT = "General"  # every number: 37 → "37", 14.5 → "14.5", 36.83 → "36.83", never "37.00"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

BODY_SIZE, TITLE_SIZE = 11, 16
BODY_FONT = Font(name="宋体", size=BODY_SIZE)  # also the workbook's default: the column-width unit
HEAD_FONT = Font(name="黑体", size=BODY_SIZE)
_TITLE_FONT = Font(name="黑体", size=TITLE_SIZE)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(vertical="top", wrap_text=True)

# Column units across a portrait A4 page between 12.7 mm margins, unscaled (LibreOffice draws a
# unit of the 宋体 default as 6.15 pt); a sheet wider than this prints landscape.
PORTRAIT_WIDTH = 85
FOOTER = "第 &P 页，共 &N 页"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    kind: str = "text"  # text, long (top-aligned), center, score (any number), date; all wrap


def _number(value: Decimal | None) -> int | float | None:
    """A Decimal as the cell's number: 37.00 → 37, 14.50 → 14.5 (read back, equal to the Decimal)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def _text(value: object) -> str | None:
    if value is None:
        return None
    return export_text(str(value)) or None


def _style(cell, kind: str) -> None:
    cell.font = BODY_FONT
    cell.border = _BORDER
    if kind == "long":
        cell.alignment = _TOP_LEFT
    elif kind == "text":
        cell.alignment = _LEFT
    else:
        cell.alignment = _CENTER
    if kind == "score":
        cell.number_format = SCORE_FORMAT
    elif kind == "date":
        cell.number_format = DATE_FORMAT


def write_cell(sheet: Worksheet, row: int, column: int, value, kind: str, styles: dict):
    """One body cell. ``styles`` caches each kind's style for the workbook: assigning a border,
    an alignment and a format cell by cell costs seconds on a 20,000-row 问题清单; copying the
    finished style of the first cell of its kind costs nothing."""
    if isinstance(value, Decimal):
        value = _number(value)
    elif isinstance(value, str):
        value = _text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if kind in styles:
        cell._style = copy(styles[kind])
    else:
        _style(cell, kind)
        styles[kind] = copy(cell._style)
    return cell


def write_table(
    sheet: Worksheet,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    styles: dict,
    freeze: str = "A3",
) -> int:
    """Title, header and rows; returns the last data row (the header if none). The row heights and
    the print setup come when the sheet is finished (finish_sheet)."""
    width = len(columns)
    last_letter = get_column_letter(width)
    title_cell = sheet.cell(row=TITLE_ROW, column=1, value=_text(title))
    if width > 1:
        sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    title_cell.font = _TITLE_FONT
    title_cell.alignment = _CENTER
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=_text(column.label))
        cell.font = HEAD_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTER
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    row_number = HEADER_ROW
    for values in rows:
        row_number += 1
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            write_cell(sheet, row_number, index, value, column.kind, styles)

    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{row_number}"
    return row_number


def write_note(sheet: Worksheet, row: int, width: int, text: str) -> None:
    cell = sheet.cell(row=row, column=1, value=_text(text))
    cell.font = BODY_FONT
    cell.alignment = _TOP_LEFT
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def finish_sheet(sheet: Worksheet, state: str) -> None:
    """The title's second line (the state of the work), every row's height, the print setup."""
    if state:
        title = sheet.cell(row=TITLE_ROW, column=1)
        title.value = f"{title.value}\n{state}"
    widths = {
        letter: dimension.width for letter, dimension in sheet.column_dimensions.items() if dimension.width
    }
    total = sum(widths.values())
    _fit_rows(sheet)
    setup = sheet.page_setup
    setup.orientation = "portrait" if total <= PORTRAIT_WIDTH else "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins  # inches; the footer 0.3 in from the edge, well inside the 0.8
    margins.left = margins.right = 0.5
    margins.top, margins.bottom = 0.6, 0.8
    margins.header = margins.footer = 0.3
    sheet.oddFooter.center.text = FOOTER
    sheet.oddFooter.center.font = "宋体,常规"
    sheet.oddFooter.center.size = 10
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(max(sheet.max_column, 1))}{sheet.max_row}"


def _fit_rows(sheet: Worksheet) -> None:
    """Every row as tall as its tallest cell's wrapped text (a merged cell spans its columns)."""
    widths = {
        index: sheet.column_dimensions[get_column_letter(index)].width or 8.43
        for index in range(1, sheet.max_column + 1)
    }
    spans = {
        (merged.min_row, merged.min_col): sum(widths[c] for c in range(merged.min_col, merged.max_col + 1))
        for merged in sheet.merged_cells.ranges
    }
    fonts = sheet.parent._fonts
    tallest: dict[int, float] = {}
    for (row, column), cell in sheet._cells.items():  # the cells written, not the empty ones
        value = cell._value
        if value is None or isinstance(value, int | float):
            continue
        text = chinese_date(value) if isinstance(value, dt.date) else str(value)
        size = fonts[cell._style.fontId].sz or BODY_SIZE
        # A unit is a digit of the 11 pt body font: a larger font has fewer units a line.
        lines = wrap_lines(text, spans.get((row, column), widths[column]) * BODY_SIZE / size)
        tallest[row] = max(tallest.get(row, 0), row_height(lines, size))
    single = row_height(1, BODY_SIZE)
    for row in range(1, sheet.max_row + 1):
        sheet.row_dimensions[row].height = tallest.get(row, single)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def fixed_zip(data: bytes) -> bytes:
    """The package again with fixed entry times, modified when created: the same data and date, the
    same bytes (openpyxl stamps the entries and the modification with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                created = _CREATED.search(blob)
                if created:
                    blob = _MODIFIED.sub(rb"\g<1>" + created.group(1) + rb"\g<2>", blob)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, blob)
    return out.getvalue()


def printed_tables(
    *,
    title: str,
    sheets: Sequence[tuple[str, str, Sequence[Column], Iterable[Sequence], Sequence[str]]],
    state: str = "",
    as_of: dt.date,
) -> bytes:
    """A workbook of plain tables in the print standard (the score summary's, the ledger's):
    each sheet given as (sheet name, title, columns, rows, notes under the table)."""
    workbook = new_workbook()
    styles: dict = {}
    for index, (name, sheet_title, columns, rows, notes) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        last = write_table(sheet, sheet_title, columns, rows, styles=styles)
        for offset, text in enumerate(notes, start=2):
            write_note(sheet, last + offset, len(columns), text)
        finish_sheet(sheet, state)
    return saved(workbook, title=title, as_of=as_of)


def new_workbook() -> Workbook:
    """A workbook whose default font is the body's (its digit is the column-width unit)."""
    workbook = Workbook()
    workbook._fonts = IndexedList([BODY_FONT])
    workbook._named_styles["Normal"].font = copy(BODY_FONT)
    return workbook


def saved(workbook: Workbook, *, title: str, as_of: dt.date) -> bytes:
    """The workbook's bytes: its title, no formula anywhere, the same bytes for the same data and date."""
    workbook.properties.title = title
    workbook.properties.creator = "党建考核"
    workbook.properties.created = dt.datetime.combine(as_of, dt.time())
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip(buffer.getvalue())
