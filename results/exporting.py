"""综合评定's Excel results sheet, in the print standard of the score summary (core.printed).
It formats the selector's results; it computes nothing."""

import datetime as dt

from django.utils import timezone

from core.printed import Column, printed_tables
from core.prose import chinese_date

from .domain.rules import ZERO
from .selectors import Results

UNKNOWN = "未知"


def _value_text(value) -> object:
    if value.score is None:
        return UNKNOWN
    return value.score if value.final else f"{value.score}（暂计）"


def results_workbook(results: Results, *, as_of: dt.date | None = None) -> bytes:
    as_of = as_of or timezone.localdate()
    components = results.components
    columns = [
        Column("排名", 7, "center"),
        Column("考核对象", 14),
        *[Column(f"{c.label}（{format(c.weight.normalize(), 'f')}%）", 11, "score") for c in components],
        Column("加权得分", 9, "score"),
        Column("加分", 7, "score"),
        Column("减分", 7, "score"),
        Column("综合得分", 9, "score"),
        Column("等次", 8, "center"),
        Column("说明", 30, "long"),
    ]
    rows = []
    for row in results.rows:
        r = row.result
        notes = []
        if r.vetoed_by:
            notes.append("一票否决：" + "、".join(r.vetoed_by))
        if r.quota_moved:
            notes.append("受最高等次名额限制")
        if r.manual:
            notes.append(f"人工调整（原为{r.computed_grade}）：{r.manual_reason}")
        rows.append(
            [
                r.rank if r.rank is not None else "—",
                row.target.unit.name,
                *[_value_text(r.values[c.key]) for c in components],
                r.weighted if r.weighted is not None else UNKNOWN,
                r.bonus if r.bonus != ZERO else None,
                r.penalty if r.penalty != ZERO else None,
                r.score if r.score is not None else UNKNOWN,
                (r.grade or "") + ("（人工调整）" if r.manual else ""),
                "；".join(notes),
            ]
        )
    title = f"{results.campaign.title}综合评定结果"
    quota = results.scheme.quota
    notes = [
        "注：综合得分＝各组成部分得分×权重之和＋加分－减分，保留两位小数（四舍五入）；"
        "“未知”表示该项尚无结果，不按满分也不按零分计算。"
        + (
            f"最高等次名额不超过{format(quota.normalize(), 'f')}%（共{results.outcome.quota_places}个）。"
            if quota
            else ""
        )
    ]
    state = f"（截至{chinese_date(as_of)}，结果尚未确认，仅供参考）" if results.provisional else ""
    return printed_tables(
        title=title, sheets=[("综合评定结果", title, columns, rows, notes)], state=state, as_of=as_of
    )
