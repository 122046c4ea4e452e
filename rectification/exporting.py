"""The ledger as offices hand it on: the Excel 整改台账 (序号 | 问题 | 来源 | 整改措施 | 责任单位 |
责任人 | 整改时限 | 完成情况 | 销号情况; a campaign-wide sheet adds the unit) and a unit's Word
整改情况报告, in the layout of report-format.md."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.cell_size import row_height, wrap_lines
from core.officialdoc import Block, Kind, SimplePaper, render_docx
from core.text import chinese_ordinal
from core.xlsx import export_text, protect_formulas

from .domain import ledger as rules
from .models import Entry

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "未设定"


def closure_text(entry: Entry) -> str:
    """销号情况 as the sheet says it."""
    if entry.state == Entry.State.CLOSED:
        when = timezone.localtime(entry.closed_at) if entry.closed_at else None
        note = entry.closure_note.strip().rstrip("。；;")
        return f"已销号（{_date(when.date()) if when else ''}）" + (f"，{note}" if note else "")
    label = entry.get_state_display()
    if getattr(entry, "overdue", False):
        label += "（逾期）"
    return label


def source_text(entry: Entry) -> str:
    text = entry.get_source_display()
    if entry.source == Entry.Source.CARRIED:
        text += f"（{entry.year}年）"
    if entry.repeat_years:
        text += f"；重复发生（{entry.repeat_years}年）"
    return text


def ledger_xlsx(title: str, rows: list[Entry], *, with_unit: bool) -> bytes:
    headers = [
        "序号",
        *(["单位"] if with_unit else []),
        "问题",
        "来源",
        "整改措施",
        "责任单位",
        "责任人",
        "整改时限",
        "完成情况",
        "销号情况",
    ]
    widths = [6, *([14] if with_unit else []), 36, 12, 36, 14, 10, 14, 30, 16]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    sheet.cell(row=1, column=1, value=export_text(title)).font = Font(name="方正小标宋简体", size=16)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=2, column=column, value=header)
        cell.font = Font(name="黑体", size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, entry in enumerate(rows, start=1):
        values = [
            number,
            *([entry.unit.name] if with_unit else []),
            entry.text,
            source_text(entry),
            entry.measures,
            entry.responsible_unit,
            entry.responsible_person,
            _date(entry.deadline),
            entry.completion_note,
            closure_text(entry),
        ]
        lines = 1
        for column, (value, width) in enumerate(zip(values, widths, strict=True), start=1):
            cell = sheet.cell(
                row=number + 2, column=column, value=export_text(value) if value != "" else None
            )
            cell.font = Font(name=FONT, size=10.5)
            cell.alignment = Alignment(
                vertical="top", wrap_text=True, horizontal="center" if column == 1 else "left"
            )
            cell.border = BOX
            if isinstance(value, str):
                lines = max(lines, wrap_lines(value, width))
        sheet.row_dimensions[number + 2].height = row_height(lines, 10.5)
    if not rows:
        sheet.cell(row=3, column=1, value="未发现需要整改的问题。")
        sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(headers))
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.freeze_panes = "A3"
    workbook.properties.title = title
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_title(campaign, unit) -> str:
    return f"关于{unit.name}{campaign.year}年度党建工作考核发现问题整改情况的报告"


def report_docx(campaign, unit, rows: list[Entry], summary: rules.Summary) -> bytes:
    """The unit's 整改情况报告: the summary line, then each problem with its measures, completion
    and closure."""
    title = report_title(campaign, unit)
    blocks = [
        Block(Kind.TITLE, title),
        Block(Kind.SALUTATION, f"{campaign.issuer}组织部："),
        Block(
            Kind.BODY,
            f"按照{campaign.title}反馈意见和整改要求，{unit.name}对考核发现的问题逐条制定整改措施，"
            f"细化整改台帐，明确责任单位、责任人和整改时限。{summary.sentence()}现将整改情况报告如下：",
        ),
    ]
    for number, entry in enumerate(rows, start=1):
        blocks.append(Block(Kind.H2, f"（{chinese_ordinal(number)}）{entry.text.rstrip('。；;')}"))
        blocks.append(Block(Kind.BODY, f"问题来源：{source_text(entry)}。"))
        measures = entry.measures.strip()
        blocks.append(
            Block(
                Kind.BODY,
                f"整改措施：{measures.rstrip('。')}。" if measures else "整改措施：【待填写：整改措施】",
                placeholder=not measures,
            )
        )
        done = entry.completion_note.strip()
        blocks.append(
            Block(Kind.BODY, f"完成情况：{done.rstrip('。')}。" if done else "完成情况：正在办理。")
        )
        blocks.append(
            Block(Kind.BODY, f"销号情况：{closure_text(entry)}；整改时限：{_date(entry.deadline)}。")
        )
    if not rows:
        blocks.append(Block(Kind.BODY, "本次考核未发现需要整改的问题。"))
    today = timezone.localdate()
    blocks += [Block(Kind.SIGNATURE, unit.name), Block(Kind.DATE, _date(today))]
    stamp = max((e.updated_at for e in rows), default=timezone.now())
    return render_docx(
        SimplePaper(title=title, blocks=blocks, timestamp=timezone.localtime(stamp), draft=False)
    )
