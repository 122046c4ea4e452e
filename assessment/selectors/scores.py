"""A campaign's scores: every target's score per item, its total, rank and grade band.

This is the one reading behind the Excel score summary (reports.xlsx), the dashboard and
its charts: all of them read a ``ScoreTable`` and none recomputes a number. The rules are
assessment.domain.scoring's, the same the workspace and the report apply: an item not yet
decided has no score (None, shown 未评分); a target with undecided items has no total, rank,
percentage or grade, only a provisional sum (``ScoreRow.provisional``, 暂计); ranks, grades
and the grade counts are among the complete targets, which come first, by rank; the others
follow by name, marked 未完成. Column statistics are over decided scores (an item) and
complete totals (the total column) only.

Queries: at most four, whatever the campaign's size (items, targets with unit and group,
deductions summed per target and item in one GROUP BY, the decided items with their
bonuses). Everything else is dictionaries and Decimal arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import F, IntegerField, Sum
from django.db.models.functions import Cast, Round

from ..domain import scoring
from ..domain.scoring import Grade, GradeBands, Stats, Total
from ..models import Campaign, ChecklistItem, Deduction, ItemAssessment, Target

ZERO = Decimal(0)
GRADES = tuple(Grade)


@dataclass
class ScoreRow:
    """One target: its scores in item order (None: 未评分), its total as the rules give it, and,
    when complete, its percentage, rank and grade."""

    target: Target
    unit_name: str  # the county, 考核对象
    group_name: str  # 考核组
    status: str  # Target.Status value
    status_label: str  # 填报中, 已提交, …, 已定稿
    scores: list[Decimal | None]  # one per ScoreTable.items, same order; None while undecided
    bonus: Decimal  # the decided items' bonuses (0 unless the campaign allows bonuses)
    result: Total
    percent: Decimal | None = None  # total / full_total × 100, truncated to 0.01; complete targets only
    rank: int | None = None  # competition ranking among complete targets: 1, 2, 2, 4
    grade: Grade | None = None  # complete targets with a checklist only

    @property
    def total(self) -> Decimal | None:
        """The total, or None while any item is undecided."""
        return self.result.value

    @property
    def provisional(self) -> Decimal | None:
        """The decided items' sum while others are undecided (暂计), else None."""
        return self.result.provisional

    @property
    def undecided(self) -> int:
        return self.result.undecided

    @property
    def complete(self) -> bool:
        return self.result.complete

    @property
    def total_text(self) -> str:
        """ "94.5分", "暂计 37 分（2 项未评分）" or "未评分"."""
        return self.result.text

    @property
    def is_finalized(self) -> bool:
        return self.status == Target.Status.FINALIZED


@dataclass
class ScoreTable:
    campaign: Campaign
    items: list[ChecklistItem]  # in checklist order
    rows: list[ScoreRow]  # complete ones by rank, then county name; then the others by name
    item_stats: list[Stats]  # one per item, same order: over its decided scores
    total_stats: Stats  # over the complete targets' totals
    full_total: Decimal
    bonus_enabled: bool
    grade_counts: dict[Grade, int] = field(default_factory=dict)  # every Grade, in order

    @property
    def finalized_count(self) -> int:
        return sum(1 for row in self.rows if row.is_finalized)

    @property
    def complete_count(self) -> int:
        return sum(1 for row in self.rows if row.complete)

    @property
    def incomplete_count(self) -> int:
        return len(self.rows) - self.complete_count


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
    # The decided items, with their bonuses in whole hundredths (a bonus counts only where the
    # campaign allows bonuses: _table ignores it elsewhere).
    decided_rows = (
        ItemAssessment.objects.filter(target_id__in=of_campaigns, score_decided_at__isnull=False)
        .annotate(bonus_hundredths=Cast(Round(F("bonus") * 100), IntegerField()))
        .values_list("target_id", "item_id", "bonus_hundredths")
        .order_by()
    )
    decided = {(target_id, item_id): bonus for target_id, item_id, bonus in _driver_rows(decided_rows)}
    points = _Points()
    return [_table(c, items[c.pk], targets[c.pk], deducted, decided, points) for c in campaigns]


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
    decided: dict[tuple[int, int], int],
    points: _Points,
) -> ScoreTable:
    """One campaign's table; ``deducted`` in whole hundredths per (target, item), ``decided`` the
    decided (target, item) cells with their bonus in whole hundredths."""
    bonus_enabled = campaign.bonus_enabled
    bands = GradeBands.of(campaign)
    full_total = sum((item.full_score for item in items), ZERO)
    columns = [(item.pk, item.full_score) for item in items]
    status_labels = dict(Target.Status.choices)
    rows: list[ScoreRow] = []
    for target in targets:
        target_id = target.pk
        scores: list[Decimal | None] = []
        bonus_total = ZERO
        for item_id, full in columns:
            bonus = decided.get((target_id, item_id))
            if bonus is None:  # not decided: no score
                scores.append(None)
                continue
            bonus = points[bonus] if bonus_enabled and bonus else ZERO
            bonus_total += bonus
            scores.append(scoring.item_score(full, points[deducted.get((target_id, item_id), 0)], bonus))
        result = scoring.total_of(scores, full_total)
        rows.append(
            ScoreRow(
                target=target,
                unit_name=target.unit.name,
                group_name=target.group.name,
                status=target.status,
                status_label=str(status_labels.get(target.status, target.status)),
                scores=scores,
                bonus=bonus_total,
                result=result,
                percent=scoring.percent_of(result.value, full_total),
                grade=scoring.grade_of(bands, result.value, full_total),
            )
        )

    for row, rank in zip(rows, scoring.competition_ranks([r.total for r in rows]), strict=True):
        row.rank = rank
    complete = sorted((r for r in rows if r.complete), key=lambda r: (r.rank, r.unit_name, r.target.pk))
    others = sorted((r for r in rows if not r.complete), key=lambda r: (r.unit_name, r.target.pk))
    rows = complete + others

    grade_counts = dict.fromkeys(Grade, 0)
    for row in rows:
        if row.grade:
            grade_counts[row.grade] += 1
    return ScoreTable(
        campaign=campaign,
        items=items,
        rows=rows,
        item_stats=[scoring.stats_of(row.scores[i] for row in rows) for i in range(len(items))],
        total_stats=scoring.stats_of(row.total for row in rows),
        full_total=full_total,
        bonus_enabled=bonus_enabled,
        grade_counts=grade_counts,
    )
