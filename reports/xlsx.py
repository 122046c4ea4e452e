"""The Excel score summary of a campaign (得分汇总): four sheets, ready to print.

1. 总分排名 — every target with its total, percentage, rank and grade band;
2. 得分明细 — targets × items, with 平均分 / 最低分 / 最高分 rows under the matrix;
3. 问题清单 — every problem with its target, item, unit and rectification state;
4. 典型经验 — the typical examples.

Sheets 1 and 2 are drawn from assessment.selectors.scores.campaign_scores, the one
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

from django.db.models import F
from django.utils import timezone
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from assessment.domain.scoring import Stats
from assessment.models import Campaign, Problem, TypicalExample
from assessment.selectors.scores import ScoreTable, campaign_scores
from core.numbers import points_text
from core.printed import (
    HEAD_FONT,
    Column,
    finish_sheet,
    new_workbook,
    saved,
    write_cell,
    write_note,
    write_table,
)
from core.prose import chinese_date
from core.text import chinese_ordinal

SHEETS = ("总分排名", "得分明细", "问题清单", "典型经验")
INCOMPLETE = "未完成"  # the rank of a target with undecided items
UNSCORED = "未评分"  # an item not decided yet
_STATS_FILL = PatternFill("solid", fgColor="F2F2F2")
_BOLD = HEAD_FONT  # the statistics' rows


def workbook_title(campaign: Campaign, suffix: str) -> str:
    return f"{campaign.title}{suffix}"


def score_workbook_name(campaign: Campaign) -> str:
    """The download's file name: 2021年度党建工作年终考核得分汇总.xlsx."""
    return f"{workbook_title(campaign, '得分汇总')}.xlsx"


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
    last = write_table(sheet, workbook_title(campaign, "得分汇总"), columns, rows, styles=styles)
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
        write_note(sheet, last + offset, len(columns), "注：" + text if offset == 2 else text)


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
    last = write_table(
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
        write_cell(sheet, row_number, 1, label, "center", styles)
        write_cell(sheet, row_number, 2, None, "center", styles)
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=2)
        for column, stat in enumerate(stats, start=3):
            write_cell(sheet, row_number, column, getattr(stat, attribute), "score", styles)
        for column in range(1, len(columns) + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.font = _BOLD
            cell.fill = _STATS_FILL
    if any(stat.partial for stat in stats):
        write_note(
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
    write_table(sheet, workbook_title(campaign, "问题清单"), columns, rows, styles=styles)


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
    write_table(sheet, workbook_title(campaign, "典型经验"), columns, rows, styles=styles)


def score_workbook(
    campaign: Campaign, table: ScoreTable | None = None, *, as_of: dt.date | None = None
) -> bytes:
    """The campaign's score summary as .xlsx bytes: 总分排名, 得分明细, 问题清单, 典型经验.

    ``table`` is campaign_scores(campaign) when the caller already has it (the dashboard);
    ``as_of`` the date the titles give while targets are not finalized (default: today).
    """
    table = table if table is not None else campaign_scores(campaign)
    as_of = as_of or timezone.localdate()
    workbook = new_workbook()
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
        finish_sheet(sheet, state)
    return saved(workbook, title=workbook_title(campaign, "得分汇总"), as_of=as_of)
