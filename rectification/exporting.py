"""The ledger as offices hand it on: the Excel 整改台账 (序号 | 问题 | 来源 | 整改措施 | 责任单位 |
责任人 | 整改时限 | 完成情况 | 销号情况; a campaign-wide sheet adds the unit) and a unit's Word
整改情况报告, in the layout of report-format.md."""

from __future__ import annotations

from django.utils import timezone

from core.officialdoc import Block, Kind, SimplePaper, render_docx
from core.printed import Column, printed_tables
from core.prose import chinese_date
from core.text import chinese_ordinal

from .domain import ledger as rules
from .models import Entry


def _date(day) -> str:
    return chinese_date(day) if day else "未设定"


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
    """The 整改台账 sheet, in the print standard of the score summary (core.printed)."""
    columns = [
        Column("序号", 6, "center"),
        *([Column("单位", 14)] if with_unit else []),
        Column("问题", 36, "long"),
        Column("来源", 12),
        Column("整改措施", 36, "long"),
        Column("责任单位", 14),
        Column("责任人", 10, "center"),
        Column("整改时限", 14, "date"),
        Column("完成情况", 30, "long"),
        Column("销号情况", 16),
    ]
    values = [
        [
            number,
            *([entry.unit.name] if with_unit else []),
            entry.text,
            source_text(entry),
            entry.measures,
            entry.responsible_unit,
            entry.responsible_person,
            entry.deadline or "未设定",
            entry.completion_note,
            closure_text(entry),
        ]
        for number, entry in enumerate(rows, start=1)
    ]
    notes = [] if rows else ["未发现需要整改的问题。"]
    return printed_tables(
        title=title, sheets=[("整改台账", title, columns, values, notes)], as_of=timezone.localdate()
    )


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
