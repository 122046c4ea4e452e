"""The Excel score summary of a campaign (得分汇总): four sheets, ready to print.

1. 总分排名 — every target with its total, percentage, rank and grade band;
2. 得分明细 — targets × items, with 平均分 / 最低分 / 最高分 rows under the matrix;
3. 问题清单 — every problem with its target, item, unit and rectification state;
4. 典型经验 — the typical examples.

Sheets 1 and 2 are drawn from reports.scores.campaign_scores, the one
computation of scores, ranks and grades; this module formats, it never
computes a score.

Every sheet: a merged title row, the header in row 2 (frozen, filtered,
repeated on every printed page), column widths, A4 landscape fitted to the
page width, page numbers in the footer. Scores are written as numbers with the
General format, which shows 37 as "37" and 14.5 as "14.5" (a custom "0.##"
would show "37."); statistics and percentages use "0.00". Text that starts
with "=" is written as text, never as a formula.
"""

import io
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessment.models import Campaign, Problem, TypicalExample
from assessment.selectors import chinese_ordinal
from core.numbers import points_text

from .scores import ScoreTable, Stats, campaign_scores

SHEETS = ("总分排名", "得分明细", "问题清单", "典型经验")
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_ROW = 3

SCORE_FORMAT = "General"  # 37 → "37", 14.5 → "14.5", 24.75 → "24.75"
FIXED_FORMAT = "0.00"  # averages and percentages: 88.50
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_STATS_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    kind: str = "text"  # text, long (wrapped, top-aligned), center, score, fixed, date


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
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text or None


def workbook_title(campaign: Campaign, suffix: str) -> str:
    return f"{campaign.title}{suffix}"


def score_workbook_name(campaign: Campaign) -> str:
    """The download's file name: 2021年度党建工作年终考核得分汇总.xlsx."""
    return f"{workbook_title(campaign, '得分汇总')}.xlsx"


def _style(cell, kind: str) -> None:
    cell.border = _BORDER
    if kind == "long":
        cell.alignment = _TOP_LEFT
    elif kind == "text":
        cell.alignment = _LEFT
    else:
        cell.alignment = _CENTER
    if kind == "score":
        cell.number_format = SCORE_FORMAT
    elif kind == "fixed":
        cell.number_format = FIXED_FORMAT
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
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, not a formula
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
    header_height: float | None = None,
) -> int:
    """Title, header and rows with the sheet's print setup; returns the last data row (the header if none)."""
    width = len(columns)
    last_letter = get_column_letter(width)
    title_cell = sheet.cell(row=TITLE_ROW, column=1, value=_text(title))
    if isinstance(title_cell.value, str) and title_cell.value.startswith("="):
        title_cell.data_type = "s"
    if width > 1:
        sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    title_cell.font = Font(size=16, bold=True)
    title_cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 30
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=_text(column.label))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    if header_height:
        sheet.row_dimensions[HEADER_ROW].height = header_height

    row_number = HEADER_ROW
    for values in rows:
        row_number += 1
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            _write_cell(sheet, row_number, index, value, column.kind, styles)

    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{row_number}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    return row_number


def _note(sheet: Worksheet, row: int, width: int, text: str) -> None:
    cell = sheet.cell(row=row, column=1, value=_text(text))
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = 20


def _total_label(table: ScoreTable) -> str:
    return f"总分（满分{points_text(table.full_total)}分）" if table.full_total else "总分"


def _ranking_sheet(sheet: Worksheet, table: ScoreTable, styles: dict) -> None:
    campaign = table.campaign
    columns = [
        Column("排名", 7, "center"),
        Column("考核对象", 20),
        Column("考核组", 18),
        *([Column("加分", 8, "score")] if table.bonus_enabled else []),
        Column(_total_label(table), 14, "score"),
        Column("得分率（%）", 12, "fixed"),
        Column("等级", 8, "center"),
        Column("状态", 10, "center"),
    ]
    rows = [
        [
            row.rank,
            row.unit_name,
            row.group_name,
            *([row.bonus] if table.bonus_enabled else []),
            row.total,
            row.percent,
            row.grade,
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
    pending = len(table.rows) - table.finalized_count
    if pending:
        notes.append(f"有 {pending} 个考核对象尚未定稿（见“状态”列），其得分可能还会调整。")
    for offset, text in enumerate(notes, start=2):
        _note(sheet, last + offset, len(columns), "注：" + text if offset == 2 else text)


def _item_label(index: int, item) -> str:
    return f"（{chinese_ordinal(index)}）{item.title}（{points_text(item.full_score)}分）"


def _matrix_sheet(sheet: Worksheet, table: ScoreTable, styles: dict) -> None:
    columns = [
        Column("排名", 7, "center"),
        Column("考核对象", 20),
        *(Column(_item_label(i, item), 14, "score") for i, item in enumerate(table.items, start=1)),
        Column(_total_label(table), 14, "score"),
    ]
    rows = [[row.rank, row.unit_name, *row.scores, row.total] for row in table.rows]
    last = _table(
        sheet,
        workbook_title(table.campaign, "得分明细"),
        columns,
        rows,
        styles=styles,
        freeze="C3",
        header_height=60 if table.items else None,
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
            _write_cell(sheet, row_number, column, getattr(stat, attribute), "fixed", styles)
        for column in range(1, len(columns) + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.font = _BOLD
            cell.fill = _STATS_FILL


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
        Column("考核对象", 14),
        Column("考核项目", 24),
        Column("问题", 50, "long"),
        Column("涉及单位", 18),
        Column("问题类别", 12, "center"),
        Column("责任单位", 16),
        Column("整改时限", 14, "date"),
        Column("整改状态", 10, "center"),
        Column("整改情况", 40, "long"),
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
        Column("考核对象", 14),
        Column("序号", 7, "center"),
        Column("标题", 30),
        Column("内容", 60, "long"),
        Column("相关单位", 18),
    ]
    rows = []
    previous, number = None, 0
    for example in examples:
        number = number + 1 if example.target_id == previous else 1
        previous = example.target_id
        rows.append([example.county, number, example.title, example.body, example.unit_name or ""])
    _table(sheet, workbook_title(campaign, "典型经验"), columns, rows, styles=styles)


def score_workbook(campaign: Campaign, table: ScoreTable | None = None) -> bytes:
    """The campaign's score summary as .xlsx bytes: 总分排名, 得分明细, 问题清单, 典型经验.

    ``table`` is campaign_scores(campaign) when the caller already has it (the dashboard).
    """
    table = table if table is not None else campaign_scores(campaign)
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = SHEETS[0]
    styles: dict = {}  # one per workbook: style indexes belong to it
    _ranking_sheet(ranking, table, styles)
    _matrix_sheet(workbook.create_sheet(SHEETS[1]), table, styles)
    _problem_sheet(workbook.create_sheet(SHEETS[2]), campaign, styles)
    _example_sheet(workbook.create_sheet(SHEETS[3]), campaign, styles)
    workbook.properties.title = workbook_title(campaign, "得分汇总")
    workbook.properties.creator = "党建考核"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
