"""The Excel score summary of a campaign (得分汇总): four sheets, ready to print.

1. 总分排名 — every target with its total, percentage, rank and grade band;
2. 得分明细 — targets × items, with 平均分 / 最低分 / 最高分 rows under the matrix;
3. 问题清单 — every problem with its target, item, unit and rectification state;
4. 典型经验 — the typical examples.

Sheets 1 and 2 are drawn from reports.scores.campaign_scores, the one
computation of scores, ranks and grades (assessment.domain.scoring's rules); this
module formats, it never computes a score. An item not decided reads 未评分; a
target with undecided items reads 未完成 in the rank column, its total "暂计 37 分
（2 项未评分）" (or 未评分), and has no percentage or grade; it comes after the
ranked ones. The statistics rows count decided scores and complete totals only.

Every sheet: a merged title row, the header in row 2 (frozen, filtered,
repeated on every printed page as the print titles), column widths, a print area,
A4 fitted to the page width (portrait when the columns fit it, landscape
otherwise), page numbers in a footer inside the bottom margin. Every number is
written with the General format, which shows 37 as "37", 14.5 as "14.5" and an
average as "36.83", never "37.00" (a custom "0.##" would show "37."); a cell of
a number column may hold text instead (未评分), styled the same. Text that starts
with = + - or @ is written as text, never as a formula (core.xlsx.protect_formulas).
Fonts are the documents':
宋体 for the cells, 黑体 for the title, the header and the statistics' labels.

Printing. LibreOffice and WPS do not fit a stored row's height to its wrapped
text (Excel does not for merged cells), so every row carries the height its
text needs, computed when the workbook is written (core.cell_size): nothing is
cut and nothing runs into the next row. While any target is not finalized, each
title says so: "（截至2022年1月14日，3 个考核对象未定稿）", as of the export date
(today in the project's time zone, Asia/Shanghai, unless the caller gives one).
The same data and date give the same bytes.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from assessment.domain.scoring import Stats
from assessment.models import Campaign, Problem, TypicalExample
from core.cell_size import row_height, wrap_lines
from core.numbers import points_text
from core.text import chinese_ordinal
from core.xlsx import export_text, protect_formulas

from .scores import ScoreTable, campaign_scores
from .text import chinese_date

SHEETS = ("总分排名", "得分明细", "问题清单", "典型经验")
TITLE_ROW = 1
HEADER_ROW = 2

INCOMPLETE = "未完成"  # the rank of a target with undecided items
UNSCORED = "未评分"  # an item not decided yet
SCORE_FORMAT = "General"  # every number: 37 → "37", 14.5 → "14.5", 36.83 → "36.83", never "37.00"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

BODY_SIZE, TITLE_SIZE = 11, 16
_BODY_FONT = Font(name="宋体", size=BODY_SIZE)  # also the workbook's default: the column-width unit
_HEAD_FONT = Font(name="黑体", size=BODY_SIZE)
_TITLE_FONT = Font(name="黑体", size=TITLE_SIZE)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_STATS_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = _HEAD_FONT  # the statistics' rows
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


def workbook_title(campaign: Campaign, suffix: str) -> str:
    return f"{campaign.title}{suffix}"


def score_workbook_name(campaign: Campaign) -> str:
    """The download's file name: 2021年度党建工作年终考核得分汇总.xlsx."""
    return f"{workbook_title(campaign, '得分汇总')}.xlsx"


def _style(cell, kind: str) -> None:
    cell.font = _BODY_FONT
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


def _write_cell(sheet: Worksheet, row: int, column: int, value, kind: str, styles: dict):
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


def _table(
    sheet: Worksheet,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    styles: dict,
    freeze: str = "A3",
) -> int:
    """Title, header and rows; returns the last data row (the header if none). The row heights and
    the print setup come when the sheet is finished (_finish)."""
    width = len(columns)
    last_letter = get_column_letter(width)
    title_cell = sheet.cell(row=TITLE_ROW, column=1, value=_text(title))
    if width > 1:
        sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    title_cell.font = _TITLE_FONT
    title_cell.alignment = _CENTER
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=_text(column.label))
        cell.font = _HEAD_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTER
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    row_number = HEADER_ROW
    for values in rows:
        row_number += 1
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            _write_cell(sheet, row_number, index, value, column.kind, styles)

    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{row_number}"
    return row_number


def _note(sheet: Worksheet, row: int, width: int, text: str) -> None:
    cell = sheet.cell(row=row, column=1, value=_text(text))
    cell.font = _BODY_FONT
    cell.alignment = _TOP_LEFT
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _finish(sheet: Worksheet, state: str) -> None:
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


def _total_label(table: ScoreTable) -> str:
    return f"总分（满分{points_text(table.full_total)}分）" if table.full_total else "总分"


def _ranking_sheet(sheet: Worksheet, table: ScoreTable, styles: dict) -> None:
    campaign = table.campaign
    columns = [
        Column("排名", 8, "center"),
        Column("考核对象", 14),
        Column("考核组", 16),
        *([Column("加分", 7, "score")] if table.bonus_enabled else []),
        Column(_total_label(table), 17, "score"),
        Column("得分率（%）", 10, "score"),
        Column("等级", 7, "center"),
        Column("状态", 10, "center"),
    ]
    rows = [
        [
            row.rank if row.complete else INCOMPLETE,
            row.unit_name,
            row.group_name,
            *([row.bonus] if table.bonus_enabled else []),
            row.total if row.complete else row.total_text,
            row.percent,
            str(row.grade.label) if row.grade else "",
            row.status_label,
        ]
        for row in table.rows
    ]
    last = _table(sheet, workbook_title(campaign, "得分汇总"), columns, rows, styles=styles)
    notes = [
        "等级按得分率（总分÷满分×100）划分："
        f"{points_text(campaign.grade_good_min)}及以上为好，"
        f"{points_text(campaign.grade_fairly_good_min)}及以上为较好，"
        f"{points_text(campaign.grade_average_min)}及以上为一般，"
        f"低于{points_text(campaign.grade_average_min)}为差；总分相同的名次并列。"
    ]
    if table.incomplete_count:
        notes.append(
            f"有 {table.incomplete_count} 个考核对象尚有未评分的项目（未完成）：不排名、不评等级，"
            "列在最后；“暂计”只是已评分项目之和。"
        )
    pending = len(table.rows) - table.finalized_count
    if pending:
        notes.append(f"有 {pending} 个考核对象尚未定稿（见“状态”列），其得分可能还会调整。")
    for offset, text in enumerate(notes, start=2):
        _note(sheet, last + offset, len(columns), "注：" + text if offset == 2 else text)


def _item_label(index: int, item) -> str:
    return f"（{chinese_ordinal(index)}）{item.title}（{points_text(item.full_score)}分）"


def _matrix_sheet(sheet: Worksheet, table: ScoreTable, styles: dict) -> None:
    columns = [
        Column("排名", 8, "center"),
        Column("考核对象", 14),
        *(Column(_item_label(i, item), 14, "score") for i, item in enumerate(table.items, start=1)),
        Column(_total_label(table), 17, "score"),
    ]
    rows = [
        [
            row.rank if row.complete else INCOMPLETE,
            row.unit_name,
            *(UNSCORED if score is None else score for score in row.scores),
            row.total if row.complete else row.total_text,
        ]
        for row in table.rows
    ]
    last = _table(
        sheet,
        workbook_title(table.campaign, "得分明细"),
        columns,
        rows,
        styles=styles,
        freeze="C3",
    )
    stats: list[Stats] = [*table.item_stats, table.total_stats]
    for offset, (label, attribute) in enumerate(
        (("平均分", "average"), ("最低分", "minimum"), ("最高分", "maximum")), start=1
    ):
        row_number = last + offset
        _write_cell(sheet, row_number, 1, label, "center", styles)
        _write_cell(sheet, row_number, 2, None, "center", styles)
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=2)
        for column, stat in enumerate(stats, start=3):
            _write_cell(sheet, row_number, column, getattr(stat, attribute), "score", styles)
        for column in range(1, len(columns) + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.font = _BOLD
            cell.fill = _STATS_FILL
    if any(stat.partial for stat in stats):
        _note(
            sheet,
            last + 5,
            len(columns),
            "注：平均分、最低分、最高分只计已评分的项目（“未评分”不计）；总分一列只计已完成评分的考核对象。",
        )


def _problem_sheet(sheet: Worksheet, campaign: Campaign, styles: dict) -> None:
    labels = dict(Problem.Rectification.choices)
    # By county, item, position; sorted here so SQLite and PostgreSQL (their collations differ) agree.
    problems = sorted(
        Problem.objects.filter(target__campaign=campaign)
        .annotate(
            county=F("target__unit__name"),
            item_order=F("item__order"),
            item_title=F("item__title"),
            unit_name=F("unit__name"),
        )
        .values_list(
            "county",
            "target_id",
            "item_order",
            "position",
            "pk",
            "item_title",
            "text",
            "unit_name",
            "category",
            "owner_unit",
            "deadline",
            "rectification",
            "rectification_note",
            named=True,
        )
        .order_by(),
        key=lambda p: (p.county, p.target_id, p.item_order, p.position, p.pk),
    )
    columns = [
        Column("考核对象", 10),
        Column("考核项目", 18),
        Column("问题", 36, "long"),
        Column("涉及单位", 14),
        Column("问题类别", 10, "center"),
        Column("责任单位", 14),
        Column("整改时限", 15, "date"),  # 2022年12月31日 on one line: a date does not wrap
        Column("整改状态", 9, "center"),
        Column("整改情况", 22, "long"),
    ]
    rows = (
        [
            p.county,
            p.item_title,
            p.text,
            p.unit_name or "",
            p.category,
            p.owner_unit,
            p.deadline,
            str(labels.get(p.rectification, p.rectification)),
            p.rectification_note,
        ]
        for p in problems
    )
    _table(sheet, workbook_title(campaign, "问题清单"), columns, rows, styles=styles)


def _example_sheet(sheet: Worksheet, campaign: Campaign, styles: dict) -> None:
    examples = sorted(
        TypicalExample.objects.filter(target__campaign=campaign)
        .annotate(county=F("target__unit__name"), unit_name=F("unit__name"))
        .values_list("county", "target_id", "position", "pk", "title", "body", "unit_name", named=True)
        .order_by(),
        key=lambda e: (e.county, e.target_id, e.position, e.pk),
    )
    columns = [
        Column("考核对象", 10),
        Column("序号", 6, "center"),
        Column("标题", 22),
        Column("内容", 62, "long"),
        Column("相关单位", 14),
    ]
    rows = []
    previous, number = None, 0
    for example in examples:
        number = number + 1 if example.target_id == previous else 1
        previous = example.target_id
        rows.append([example.county, number, example.title, example.body, example.unit_name or ""])
    _table(sheet, workbook_title(campaign, "典型经验"), columns, rows, styles=styles)


def score_workbook(
    campaign: Campaign, table: ScoreTable | None = None, *, as_of: dt.date | None = None
) -> bytes:
    """The campaign's score summary as .xlsx bytes: 总分排名, 得分明细, 问题清单, 典型经验.

    ``table`` is campaign_scores(campaign) when the caller already has it (the dashboard);
    ``as_of`` the date the titles give while targets are not finalized (default: today).
    """
    table = table if table is not None else campaign_scores(campaign)
    as_of = as_of or timezone.localdate()
    workbook = Workbook()
    workbook._fonts = IndexedList([_BODY_FONT])  # the default font, whose digit is the width unit
    workbook._named_styles["Normal"].font = copy(_BODY_FONT)
    ranking = workbook.active
    ranking.title = SHEETS[0]
    styles: dict = {}  # one per workbook: style indexes belong to it
    _ranking_sheet(ranking, table, styles)
    _matrix_sheet(workbook.create_sheet(SHEETS[1]), table, styles)
    _problem_sheet(workbook.create_sheet(SHEETS[2]), campaign, styles)
    _example_sheet(workbook.create_sheet(SHEETS[3]), campaign, styles)
    pending = len(table.rows) - table.finalized_count
    state = f"（截至{chinese_date(as_of)}，{pending} 个考核对象未定稿）" if pending else ""
    for sheet in workbook.worksheets:
        _finish(sheet, state)
    workbook.properties.title = workbook_title(campaign, "得分汇总")
    workbook.properties.creator = "党建考核"
    workbook.properties.created = dt.datetime.combine(as_of, dt.time())
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def _fixed_zip(data: bytes) -> bytes:
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
    """A workbook of plain tables in the score summary's print standard, for the apps above:
    each sheet given as (sheet name, title, columns, rows, notes under the table)."""
    workbook = Workbook()
    workbook._fonts = IndexedList([_BODY_FONT])
    workbook._named_styles["Normal"].font = copy(_BODY_FONT)
    styles: dict = {}
    for index, (name, sheet_title, columns, rows, notes) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        last = _table(sheet, sheet_title, columns, rows, styles=styles)
        for offset, text in enumerate(notes, start=2):
            _note(sheet, last + offset, len(columns), text)
        _finish(sheet, state)
    workbook.properties.title = title
    workbook.properties.creator = "党建考核"
    workbook.properties.created = dt.datetime.combine(as_of, dt.time())
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())
