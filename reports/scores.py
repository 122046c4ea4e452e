"""A campaign's scores: every target's score per item, its total, rank and grade band.

This is the one computation behind the Excel score summary (reports.xlsx) and
the dashboard: both read a ``ScoreTable`` and neither recomputes a number.

Scores follow ``assessment.selectors.ItemState.score`` exactly: per item,
full marks minus the deductions, never below zero, plus the item's bonus when
the campaign allows bonuses (the bonus cap is enforced when a bonus is saved,
see assessment.services.findings.bonus_set). A target with nothing recorded
scores full marks, because that is what the data says; ``ScoreRow.status``
tells readers which targets are finalized.

Grading. The campaign's thresholds (grade_good_min 90, grade_fairly_good_min 80,
grade_average_min 60 by default) are read on the 100-point scale: a target's
grade is decided by its percentage ``total / full_total × 100`` (得分率). When
the checklist's full total is 100 — the usual case — the percentage *is* the
total, so the thresholds compare with the total directly; a checklist of 40
points is graded the same way after scaling (36 of 40 is 90%, 好). The
comparison is exact (``total × 100 ≥ threshold × full_total``), so 90 is 好
and 89.99 is 较好. ``ScoreRow.percent`` is shown truncated (not rounded) to
0.01, so the percentage a reader sees always agrees with the grade next to it
(89.996 shows as 89.99, never as 90.00 beside 较好). Bonuses may take a
percentage above 100. Without a checklist (full total 0) there is nothing to
grade: the percentage is None and the grade is "".

Queries: at most four, whatever the campaign's size (items, targets with unit
and group, deductions summed per target and item in one GROUP BY, bonuses when
the campaign allows them). Everything else is dictionaries and Decimal
arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import IntegerField, Sum
from django.db.models.functions import Cast, Round

from assessment.models import Campaign, ChecklistItem, Deduction, ItemAssessment, Target

GOOD = "好"
FAIRLY_GOOD = "较好"
AVERAGE = "一般"
POOR = "差"
GRADES = (GOOD, FAIRLY_GOOD, AVERAGE, POOR)

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Stats:
    """Average, minimum and maximum of one column over all targets (None when there are none).

    ``item`` is the checklist item of the column, None for the total.
    """

    item: ChecklistItem | None
    average: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass
class ScoreRow:
    """One target: its scores in item order, total, percentage, rank and grade."""

    target: Target
    unit_name: str  # the county, 考核对象
    group_name: str  # 考核组
    status: str  # Target.Status value
    status_label: str  # 填报中, 已提交, …, 已定稿
    scores: list[Decimal]  # one per ScoreTable.items, same order
    bonus: Decimal  # bonuses counted in the total (0 unless the campaign allows bonuses)
    total: Decimal
    percent: Decimal | None  # total / full_total × 100, truncated to 0.01; None without a checklist
    rank: int = 0  # competition ranking: 1, 2, 2, 4
    grade: str = ""  # 好 / 较好 / 一般 / 差; "" without a checklist

    @property
    def is_finalized(self) -> bool:
        return self.status == Target.Status.FINALIZED


@dataclass
class ScoreTable:
    campaign: Campaign
    items: list[ChecklistItem]  # in checklist order
    rows: list[ScoreRow]  # by rank, then county name
    item_stats: list[Stats]  # one per item, same order
    total_stats: Stats
    full_total: Decimal
    bonus_enabled: bool
    grade_counts: dict[str, int] = field(default_factory=dict)  # every grade of GRADES, in order

    @property
    def finalized_count(self) -> int:
        return sum(1 for row in self.rows if row.is_finalized)


def item_score(full_score: Decimal, deducted: Decimal, bonus: Decimal, bonus_enabled: bool) -> Decimal:
    """Full marks minus deductions, never below zero; the bonus on top only when bonuses are allowed.

    The same rule as assessment.selectors.ItemState.score.
    """
    return max(full_score - deducted, ZERO) + (bonus if bonus_enabled else ZERO)


def percent_of(total: Decimal, full_total: Decimal) -> Decimal | None:
    """total / full_total × 100, truncated to 0.01 (so it never shows a band it has not reached)."""
    if not full_total:
        return None
    return (total * HUNDRED / full_total).quantize(CENT, rounding=ROUND_DOWN)


def grade_of(campaign: Campaign, total: Decimal, full_total: Decimal) -> str:
    """The grade band of a total: the campaign's thresholds applied to total / full_total × 100.

    Exact: compares total × 100 with threshold × full_total, no division, no rounding.
    """
    if not full_total:
        return ""
    scaled = total * HUNDRED
    for threshold, label in (
        (campaign.grade_good_min, GOOD),
        (campaign.grade_fairly_good_min, FAIRLY_GOOD),
        (campaign.grade_average_min, AVERAGE),
    ):
        if scaled >= Decimal(threshold) * full_total:
            return label
    return POOR


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """Ranks of ``totals`` by value, highest first, ties sharing a rank and the next one skipping ("1224")."""
    ordered = sorted(totals, reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return [first_position[value] for value in totals]


def _stats(item: ChecklistItem | None, values: list[Decimal]) -> Stats:
    if not values:
        return Stats(item=item, average=None, minimum=None, maximum=None)
    average = (sum(values, ZERO) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Stats(
        item=item,
        average=average,
        minimum=min(values).quantize(CENT),
        maximum=max(values).quantize(CENT),
    )


def campaign_scores(campaign: Campaign) -> ScoreTable:
    """Every target of ``campaign`` with its scores, total, rank and grade. At most four queries."""
    return score_tables([campaign])[0]


def score_tables(campaigns: list[Campaign]) -> list[ScoreTable]:
    """campaign_scores() of several campaigns (a campaign and the previous one, for the comparison),
    read together: at most four queries however many campaigns."""
    ids = [campaign.pk for campaign in campaigns]
    items: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in ChecklistItem.objects.filter(campaign__in=ids).order_by("order", "pk"):
        items[item.campaign_id].append(item)
    targets: dict[int, list[Target]] = defaultdict(list)
    # What the tables show of a target, not its narrative (thousands of characters) or its times.
    for target in (
        Target.objects.filter(campaign__in=ids)
        .select_related("unit", "group")
        .only("campaign_id", "status", "unit__name", "group__name")
    ):
        targets[target.campaign_id].append(target)
    # target_id IN (subquery), not a join: SQLite then reads the covering index (target, item,
    # points) in its order and groups without sorting. The sums come as whole hundredths (points
    # have two decimal places): exact on both databases (SQLite sums decimals as floats), and
    # integers need no per-value conversion, read as the driver gives them.
    of_campaigns = Target.objects.filter(campaign__in=ids).values("pk")
    sums = (
        Deduction.objects.filter(target_id__in=of_campaigns)
        .values("target_id", "item_id")
        .annotate(hundredths=Cast(Round(Sum("points") * 100), IntegerField()))
        .values_list("target_id", "item_id", "hundredths")
        .order_by()
    )
    deducted = {(target_id, item_id): hundredths for target_id, item_id, hundredths in _driver_rows(sums)}
    # A disallowed bonus counts for nothing: no need to read it.
    with_bonus = [campaign.pk for campaign in campaigns if campaign.bonus_enabled]
    bonuses: dict[tuple[int, int], Decimal] = {}
    if with_bonus:
        bonuses = {
            (target_id, item_id): bonus
            for target_id, item_id, bonus in ItemAssessment.objects.filter(
                target__campaign__in=with_bonus, bonus__gt=0
            ).values_list("target_id", "item_id", "bonus")
        }
    points = _Points()
    return [_table(c, items[c.pk], targets[c.pk], deducted, bonuses, points) for c in campaigns]


def _driver_rows(queryset) -> list[tuple]:
    """A values_list queryset's rows as the database driver returns them, without Django's
    converter call on every value (tens of thousands at province scale): for integer columns."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Points(dict):
    """Whole hundredths → points (350 → Decimal("3.50")), each value made once: a campaign's
    thousands of cells share few distinct values."""

    def __missing__(self, hundredths: int) -> Decimal:
        value = self[hundredths] = Decimal(hundredths).scaleb(-2)
        return value


def _table(
    campaign: Campaign,
    items: list[ChecklistItem],
    targets: list[Target],
    deducted: dict[tuple[int, int], int],
    bonuses: dict[tuple[int, int], Decimal],
    points: _Points,
) -> ScoreTable:
    """One campaign's table; ``deducted`` in whole hundredths per (target, item)."""
    bonus_enabled = campaign.bonus_enabled
    full_total = sum((item.full_score for item in items), ZERO)
    columns = [(item.pk, item.full_score) for item in items]
    status_labels = dict(Target.Status.choices)
    rows: list[ScoreRow] = []
    for target in targets:
        target_id = target.pk
        if bonus_enabled:
            extra = [bonuses.get((target_id, item_id), ZERO) for item_id, _full in columns]
        else:
            extra = [ZERO] * len(columns)
        scores = [
            item_score(full, points[deducted.get((target_id, item_id), 0)], bonus, bonus_enabled)
            for (item_id, full), bonus in zip(columns, extra, strict=True)
        ]
        total = sum(scores, ZERO)
        rows.append(
            ScoreRow(
                target=target,
                unit_name=target.unit.name,
                group_name=target.group.name,
                status=target.status,
                status_label=str(status_labels.get(target.status, target.status)),
                scores=scores,
                bonus=sum(extra, ZERO) if bonus_enabled else ZERO,
                total=total,
                percent=percent_of(total, full_total),
                grade=grade_of(campaign, total, full_total),
            )
        )

    for row, rank in zip(rows, competition_ranks([r.total for r in rows]), strict=True):
        row.rank = rank
    rows.sort(key=lambda r: (r.rank, r.unit_name, r.target.pk))

    grade_counts = dict.fromkeys(GRADES, 0)
    for row in rows:
        if row.grade:
            grade_counts[row.grade] += 1
    return ScoreTable(
        campaign=campaign,
        items=items,
        rows=rows,
        item_stats=[_stats(item, [row.scores[i] for row in rows]) for i, item in enumerate(items)],
        total_stats=_stats(None, [row.total for row in rows]),
        full_total=full_total,
        bonus_enabled=bonus_enabled,
        grade_counts=grade_counts,
    )
