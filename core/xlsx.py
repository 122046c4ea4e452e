"""Reading tables out of the workbooks people actually send.

Real workbooks have a title row or two above the header (often merged), an
instructions sheet before the data sheet, headers written several ways, a 序号
column, and blank rows. This module finds the table and hands back its rows;
what the rows mean is the caller's business (the roster import, the checklist
import).

Every problem is reported in the user's terms: which sheet, which row, which
column, and why (`CellIssue`). Problems with the file as a whole raise
`WorkbookError` with a message a user can act on.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from .text import clean_text, compact_key, strip_invisible
from .zipcheck import ZipDamaged, ZipRefused, check_workbook_xml, check_zip

HEADER_SEARCH_ROWS = 10
MAX_DATA_ROWS = 100_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# "单位名称（必填）", "备注(选填)", "单位名称*": the marks are not part of the name.
_HEADER_NOTE = re.compile(r"[（(](必填|选填|可选|可不填|非必填)[）)]$")


ERRORS_SHOWN = 1_000  # a wrong file can have an error in every row; the page lists this many


def error_summary(messages: list[str]) -> dict:
    """The errors as an import's stored summary keeps them: the first ERRORS_SHOWN listed, the
    count of all and of those not listed."""
    return {
        "errors": messages[:ERRORS_SHOWN],
        "error_count": len(messages),
        "errors_hidden": max(0, len(messages) - ERRORS_SHOWN),
    }


class WorkbookError(Exception):
    """The file cannot be read as a table at all; the message says why, in Chinese."""


@dataclass(frozen=True)
class CellIssue:
    """One problem in one place of a workbook."""

    row: int | None
    sheet: str | None = None
    column: str | None = None  # the column's canonical label, e.g. "上级单位"
    letter: str | None = None  # the spreadsheet column, e.g. "D"
    message: str = ""

    def sort_key(self) -> tuple[int, int, str]:
        """Top to bottom, then left to right (B before AA)."""
        letter = self.letter or ""
        return (self.row or 0, len(letter), letter)

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"工作表 {self.sheet}")
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”" + (f"（{self.letter}列）" if self.letter else ""))
        return (" ".join(where) + "：" if where else "") + self.message


@dataclass(frozen=True)
class Column:
    """A column a table may have: its key, the label users see, the headers that mean it."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False

    def matches(self, header: str) -> bool:
        return header in {compact_key(s) for s in (self.label, *self.synonyms)}


@dataclass
class Table:
    """Where a table was found in a workbook."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # column key -> 0-based index
    ignored: list[tuple[str, str]] = field(default_factory=list)  # unknown columns: (letter, header text)
    other_sheets: list[str] = field(default_factory=list)

    def letter(self, key: str) -> str:
        return get_column_letter(self.columns[key] + 1)


@dataclass
class Record:
    """One non-blank data row: its 1-based row number and its values by column key."""

    row: int
    values: dict[str, Any]


def open_workbook(data: bytes) -> Workbook:
    """Open an .xlsx for streaming reads, or raise WorkbookError saying what is wrong with it."""
    if not data:
        raise WorkbookError("文件是空的（0 字节），请重新选择文件。")
    if data.startswith(_OLE_MAGIC):
        raise WorkbookError(
            "这是旧版 Excel 文件（.xls）或加密的工作簿，无法读取。"
            "请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）、取消密码后再上传。"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise WorkbookError("文件不是 Excel 工作簿（.xlsx）。请上传用 Excel 或 WPS 保存的 .xlsx 文件。")
    damaged = WorkbookError(
        "文件已损坏，或不是 Excel 工作簿（例如改了扩展名的 .docx 或 .zip），无法读取。"
        "请用 Excel 或 WPS 打开确认后，重新保存为 .xlsx 再上传。"
    )
    try:
        check_zip(data)  # before openpyxl unpacks anything
        check_workbook_xml(data)  # before openpyxl builds anything from the XML
    except ZipDamaged:
        raise damaged from None
    except ZipRefused as refused:
        raise WorkbookError(str(refused)) from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise damaged from None
    except Exception:  # openpyxl raises assorted errors on malformed XML
        raise WorkbookError(
            "文件内容已损坏，无法读取。请用 Excel 或 WPS 打开后重新保存为 .xlsx 再上传。"
        ) from None


@dataclass(frozen=True)
class FormulaValue:
    """A formula cell whose file holds no computed result (a program other than Excel or WPS
    wrote it, or it was never recalculated): its value is unknown. ``formula`` without "="."""

    formula: str


@dataclass(frozen=True)
class ErrorValue:
    """A cell holding an error value such as #N/A or #REF! (a formula that failed)."""

    code: str


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, which in data-only mode reads a formula without a stored result
    as an empty cell and an error value as its text: here they become FormulaValue and
    ErrorValue, so an import can say what the cell is instead of calling it empty."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["data_type"] == "e":
            cell["value"] = ErrorValue(str(cell["value"] or "#VALUE!"))
        elif cell["value"] is None:
            formula = element.find(FORMULA_TAG)
            if formula is not None:
                cell["value"] = FormulaValue(formula.text or "")
        return cell


def sheet_rows(sheet) -> Iterator[tuple]:
    """A sheet's rows as tuples of values, like ``iter_rows(values_only=True)`` of a read-only
    sheet ignoring its stated dimension (some programs write a wrong one), but with
    FormulaValue and ErrorValue where a cell holds no value a user could read."""
    if not isinstance(sheet, ReadOnlyWorksheet):
        yield from sheet.iter_rows(values_only=True)
        return
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        expected = 1
        for number, cells in parser.parse():
            if number < expected:
                continue  # rows out of order: as openpyxl, only the first of a number counts
            for _gap in range(expected, number):
                yield ()
            expected = number + 1
            if not cells:
                yield ()
                continue
            row = [None] * max(c["column"] for c in cells)
            for c in cells:
                row[c["column"] - 1] = c["value"]
            yield tuple(row)


def cell_text(value: Any) -> str:
    """A cell's value as the text a user sees: 13812345678 not 13812345678.0, dates as 2022-01-15.

    A formula without its result reads as empty, an error value as its code: use read_text or
    read_name for the cells of a table, which refuse them."""
    if value is None or isinstance(value, FormulaValue):
        return ""
    if isinstance(value, ErrorValue):
        return value.code
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(value)


class CellValueError(ValueError):
    """A cell that does not hold what its column needs; ``str()`` says why, in Chinese, without
    the cell's place (the caller's CellIssue gives sheet, row and column)."""


def read_text(value: Any) -> str:
    """The text of a data cell, as cell_text; a formula without its result or an error value
    raises CellValueError: the cell's content is not known, it is not empty."""
    if isinstance(value, FormulaValue):
        formula = value.formula.strip()
        shown = f"（={formula[:40]}{'…' if len(formula) > 40 else ''}）" if formula else ""
        raise CellValueError(
            _(
                "单元格是公式%(formula)s，文件中没有保存公式的计算结果。"
                "请在 Excel 或 WPS 中复制这些单元格，“选择性粘贴”为数值后保存，再重新上传"
            )
            % {"formula": shown}
        )
    if isinstance(value, ErrorValue):
        raise CellValueError(
            _("单元格是错误值“%(code)s”（公式出错），请改正公式或直接填写内容后重新上传")
            % {"code": value.code}
        )
    return cell_text(value)


# Words Excel and WPS show for TRUE and FALSE, and what people type for them.
_BOOLEAN_WORDS = frozenset({"是", "否", "TRUE", "FALSE", "对", "错", "√", "×", "✓", "✗"})


def read_words(value: Any) -> str:
    """read_text for a column of words (a name, a title, a sentence): a date, a time, a number
    or a true/false typed into it is a mistake (often a shifted column) and raises
    CellValueError naming what the cell holds."""
    if isinstance(value, bool):
        raise CellValueError(
            _("单元格是逻辑值（%(value)s），不是文字。请检查是否填错了列，改为文字后重新上传")
            % {"value": "TRUE" if value else "FALSE"}
        )
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        raise CellValueError(
            _(
                "单元格是日期或时间（%(value)s），不是文字。请检查是否填错了列；"
                "如确需填写，请把单元格格式设为“文本”后重新输入"
            )
            % {"value": cell_text(value)}
        )
    if isinstance(value, int | float | Decimal):
        raise CellValueError(
            _(
                "单元格是数字（%(value)s），不是文字。请检查是否填错了列；"
                "如确需填写，请把单元格格式设为“文本”后重新输入"
            )
            % {"value": cell_text(value)}
        )
    return read_text(value)


def read_name(value: Any) -> str:
    """read_words for a name (of a unit, an item): text that has no letter at all ("2022-01-15",
    "12345.678", "——") or is a true/false word ("是", "TRUE") is not a name either."""
    text = read_words(value)
    if text and not any(ch.isalpha() for ch in text):
        raise CellValueError(_("“%(text)s”只有数字和符号，不是名称") % {"text": text})
    if text.upper() in _BOOLEAN_WORDS:
        raise CellValueError(_("“%(text)s”不是名称（像是“是/否”的填写）") % {"text": text})
    return text


def header_key(value: Any) -> str:
    text = compact_key(cell_text(value))
    return _HEADER_NOTE.sub("", text)


def _match_header(
    row: tuple, columns: list[Column]
) -> tuple[dict[str, int], list[tuple[str, str]], list[str]]:
    """Map a candidate header row: found columns, ignored columns, duplicate-column problems."""
    found: dict[str, int] = {}
    ignored: list[tuple[str, str]] = []
    duplicates: list[str] = []
    for index, value in enumerate(row):
        text = header_key(value)
        if not text:
            continue
        letter = get_column_letter(index + 1)
        column = next((c for c in columns if c.matches(text)), None)
        if column is None:
            ignored.append((letter, cell_text(value)))
        elif column.key in found:
            first = get_column_letter(found[column.key] + 1)
            duplicates.append(f"“{column.label}”列出现了两次（{first}列和{letter}列），请只保留一列。")
        else:
            found[column.key] = index
    return found, ignored, duplicates


def _guarded(rows: Iterator[tuple], sheet_name: str) -> Iterator[tuple]:
    """Rows of a sheet; XML that breaks off halfway becomes a WorkbookError, not a traceback.

    In read-only mode openpyxl parses a sheet only while it is iterated, so a
    damaged sheet inside a sound zip surfaces here rather than when opening.
    """
    try:
        yield from rows
    except WorkbookError:
        raise
    except Exception:
        raise WorkbookError(
            f"工作表 {sheet_name} 的内容已损坏，无法读取。请用 Excel 或 WPS 打开后重新保存为 .xlsx 再上传。"
        ) from None


def find_table(
    workbook: Workbook,
    columns: list[Column],
    *,
    anchor: str,
    what: str = "表格",
) -> tuple[Table, Iterator[tuple]]:
    """Find the sheet and row holding the header; return it with an iterator over the rows below.

    A header row is one of the first ten rows of a sheet that contains the
    ``anchor`` column and at least one other known column. Sheets are searched
    in workbook order; the first complete header wins, so an instructions sheet
    before the data sheet does no harm.
    """
    required = [c for c in columns if c.required]
    best_incomplete: tuple[str, int, list[Column]] | None = None
    sheet_names = workbook.sheetnames
    for sheet in workbook.worksheets:  # chart sheets have no cells and are not listed here
        sheet_name = sheet.title
        rows = _guarded(sheet_rows(sheet), sheet_name)
        for row_number in range(1, HEADER_SEARCH_ROWS + 1):
            row = next(rows, None)
            if row is None:
                break
            found, ignored, duplicates = _match_header(row, columns)
            if anchor not in found or len(found) < 2:
                continue
            if duplicates:
                raise WorkbookError(f"工作表 {sheet_name} 第{row_number}行的表头有误：" + "".join(duplicates))
            missing = [c for c in required if c.key not in found]
            if missing:
                if best_incomplete is None:
                    best_incomplete = (sheet_name, row_number, missing)
                break
            table = Table(
                sheet=sheet_name,
                header_row=row_number,
                columns=found,
                ignored=ignored,
                other_sheets=[s for s in sheet_names if s != sheet_name],
            )
            return table, rows
    if best_incomplete is not None:
        sheet_name, row_number, missing = best_incomplete
        names = "、".join(f"“{c.label}”" for c in missing)
        accepted = "；".join(f"{c.label}：{'、'.join((c.label, *c.synonyms))}" for c in missing)
        raise WorkbookError(
            f"工作表 {sheet_name} 第{row_number}行的表头缺少必需的列{names}。可用的列名（{accepted}）。"
        )
    labels = "、".join(f"“{c.label}”" for c in required)
    raise WorkbookError(
        f"在文件各工作表的前{HEADER_SEARCH_ROWS}行中都找不到{what}的表头。"
        f"表头应包含{labels}等列，请使用系统提供的模板。"
    )


def no_data_rows(table: Table, what: str) -> WorkbookError:
    """The error of a table with a header and nothing under it."""
    return WorkbookError(
        _("工作表 %(sheet)s 第%(row)s行的表头下面没有数据行：文件中没有%(what)s。请填写后再上传。")
        % {"sheet": table.sheet, "row": table.header_row, "what": what}
    )


def iter_records(
    table: Table, rows: Iterator[tuple], *, ignore_keys: tuple[str, ...] = (), what: str | None = None
) -> Iterator[Record]:
    """The table's non-blank rows, with their values by column key.

    Only wholly blank rows are skipped. Columns in ``ignore_keys`` (a 序号 column
    numbered down past the data) do not count as data; unknown columns do, so a
    row with text but no name is reported rather than silently dropped.

    Raises WorkbookError when the table has more than MAX_DATA_ROWS data rows and, when
    ``what`` names what the rows hold, when it has none (no_data_rows).
    """
    ignored_indexes = {table.columns[k] for k in ignore_keys if k in table.columns}
    count = 0
    for offset, row in enumerate(rows, start=1):
        if not any(
            value is not None and (not isinstance(value, str) or value.strip())
            for index, value in enumerate(row)
            if index not in ignored_indexes
        ):
            continue
        count += 1
        if count > MAX_DATA_ROWS:
            raise WorkbookError(
                f"工作表 {table.sheet} 的数据超过 {MAX_DATA_ROWS:,} 行的上限，请拆分成多个文件分别导入。"
            )
        width = len(row)
        values = {key: (row[index] if index < width else None) for key, index in table.columns.items()}
        yield Record(row=table.header_row + offset, values=values)
    if what is not None and count == 0:
        raise no_data_rows(table, what)


# --- writing: what every exporter does to the values it writes ---------------------------------

_FORMULA_START = ("=", "+", "-", "@")


def export_text(value: Any) -> Any:
    """A value as it may be written to a cell: text without the characters openpyxl and XML refuse
    (stored data may predate the input hygiene of core.middleware) or any bidi override; other
    values unchanged."""
    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", strip_invisible(value))


def protect_formulas(workbook: Workbook) -> None:
    """Every cell whose text begins with = + - or @ is text, never a formula: written as a string
    with Excel's quote prefix, so no exported name, title or note can run as a formula, in this
    file or when a user copies it elsewhere. Exporters call this just before saving."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(_FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    workbook.properties.title = export_text(workbook.properties.title)
