"""Scores: what an item scores, what a target totals, who ranks where, which grade.

An item has no score until the group decides it (确认得分, ``ItemAssessment.score_decided_at``):
until then it is 未评分, never full marks and never zero. Once decided it scores its full
marks minus its deductions, never below zero, plus its bonus when the campaign allows bonuses
(the bonus cap is enforced when a bonus is saved).

A target has a total only when every item is decided. Before that it has at most a provisional
sum of the decided items ("暂计 37 分（2 项未评分）"), and no rank, percentage or grade: ranks
and grades are given among the complete targets only.

Grading. The campaign's thresholds (90 / 80 / 60 by default) are read on the 100-point scale:
a total's grade is decided by ``total / full_total × 100`` (得分率), compared exactly
(``total × 100 ≥ threshold × full_total``), so 90 is 好 and 89.99 is 较好. The percentage a
reader sees is truncated (never rounded up) to 0.01, so it always agrees with the grade beside
it. Without a checklist (full total 0) there is nothing to grade.

Everything here is Decimal arithmetic on plain values: no database, no request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.numbers import points_text

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class Grade(TextChoices):
    """The grade bands of a complete target (等次)."""

    GOOD = "good", gettext_lazy("好")
    FAIRLY_GOOD = "fairly_good", gettext_lazy("较好")
    AVERAGE = "average", gettext_lazy("一般")
    POOR = "poor", gettext_lazy("差")


def item_score(full: Decimal, deducted: Decimal, bonus: Decimal = ZERO) -> Decimal:
    """Full marks minus the deductions, never below zero; the (allowed) bonus on top."""
    return max(full - deducted, ZERO) + bonus


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What is recorded on one checklist item of one target.

    ``bonus`` is the bonus that counts: zero when the campaign allows none. ``deducted`` is
    the sum of the item's deductions (each is positive, so it is above zero exactly when the
    item has deductions).
    """

    full: Decimal
    deducted: Decimal = ZERO
    bonus: Decimal = ZERO
    decided: bool = False
    has_lead: bool = False  # the 总体评价's lead paragraph is written
    problems: int = 0

    @property
    def points(self) -> Decimal:
        """What the item scores as recorded: its score once decided (see ``score``)."""
        return item_score(self.full, self.deducted, self.bonus)

    @property
    def score(self) -> Decimal | None:
        """The item's score, or None while it is not decided (未评分)."""
        return self.points if self.decided else None

    @property
    def deducted_beyond_full(self) -> bool:
        return self.deducted > self.full

    @property
    def found_nothing(self) -> bool:
        """Decided, with neither deductions nor problems: the only case the report may say
        "经考核，未发现该项存在明显问题"."""
        return self.decided and self.deducted == 0 and self.problems == 0

    @property
    def deductions_without_problem(self) -> bool:
        """Deductions are problems found: an item with deductions and an empty 问题清单 is not done."""
        return self.deducted > 0 and self.problems == 0


@dataclass(frozen=True, slots=True)
class Total:
    """A target's total over the checklist: known only when every item is decided."""

    full: Decimal  # the checklist's full total
    decided_points: Decimal  # the decided items' scores added up
    items: int
    undecided: int

    @property
    def complete(self) -> bool:
        return self.items > 0 and self.undecided == 0

    @property
    def value(self) -> Decimal | None:
        """The total, or None while any item is undecided."""
        return self.decided_points if self.complete else None

    @property
    def provisional(self) -> Decimal | None:
        """The decided items' sum while others are undecided (暂计); None when complete or when
        nothing is decided yet (a sum of nothing is not a score)."""
        if self.complete or self.undecided == self.items:
            return None
        return self.decided_points

    @property
    def text(self) -> str:
        return total_text(self)


def total_of(scores: Sequence[Decimal | None], full: Decimal) -> Total:
    """The total of a target's item scores (None: undecided)."""
    decided = [s for s in scores if s is not None]
    return Total(
        full=full,
        decided_points=sum(decided, ZERO),
        items=len(scores),
        undecided=len(scores) - len(decided),
    )


def total_text(total: Total) -> str:
    """A total as every page and export writes it: "94.5分", "暂计 37 分（2 项未评分）", "未评分"."""
    if total.complete:
        return _("%(total)s分") % {"total": points_text(total.decided_points)}
    if total.provisional is not None:
        return _("暂计 %(points)s 分（%(n)s 项未评分）") % {
            "points": points_text(total.provisional),
            "n": total.undecided,
        }
    return _("未评分")


def percent_of(total: Decimal | None, full_total: Decimal) -> Decimal | None:
    """total / full_total × 100, truncated to 0.01 (so it never shows a band it has not reached)."""
    if total is None or not full_total:
        return None
    return (total * HUNDRED / full_total).quantize(CENT, rounding=ROUND_DOWN)


@dataclass(frozen=True, slots=True)
class GradeBands:
    """The lowest percentages of 好, 较好 and 一般 (a campaign's grade_*_min)."""

    good: Decimal
    fairly_good: Decimal
    average: Decimal

    @classmethod
    def of(cls, campaign) -> GradeBands:
        return cls(
            good=Decimal(campaign.grade_good_min),
            fairly_good=Decimal(campaign.grade_fairly_good_min),
            average=Decimal(campaign.grade_average_min),
        )


def grade_of(bands: GradeBands, total: Decimal | None, full_total: Decimal) -> Grade | None:
    """The grade band of a total (None for no total, or no checklist). Exact: compares
    total × 100 with threshold × full_total, no division, no rounding."""
    if total is None or not full_total:
        return None
    scaled = total * HUNDRED
    for threshold, grade in (
        (bands.good, Grade.GOOD),
        (bands.fairly_good, Grade.FAIRLY_GOOD),
        (bands.average, Grade.AVERAGE),
    ):
        if scaled >= threshold * full_total:
            return grade
    return Grade.POOR


def competition_ranks(totals: Sequence[Decimal | None]) -> list[int | None]:
    """Ranks by total, highest first, ties sharing a rank and the next one skipping ("1224");
    only totals that exist are ranked (None for the others: they are 未完成)."""
    ordered = sorted((t for t in totals if t is not None), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return [None if value is None else first_position[value] for value in totals]


@dataclass(frozen=True, slots=True)
class Stats:
    """Average, minimum and maximum of the known values of a column; ``count`` of them, of
    ``of`` values in all (the rest undecided). None when no value is known."""

    average: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    count: int
    of: int

    @property
    def partial(self) -> bool:
        """Some values of the column are not known yet: the statistics may still move."""
        return self.count < self.of


def stats_of(values: Iterable[Decimal | None]) -> Stats:
    """Statistics over the known values only (an undecided score is not a score)."""
    values = list(values)
    known = [v for v in values if v is not None]
    if not known:
        return Stats(average=None, minimum=None, maximum=None, count=0, of=len(values))
    return Stats(
        average=(sum(known, ZERO) / len(known)).quantize(CENT, rounding=ROUND_HALF_UP),
        minimum=min(known).quantize(CENT),
        maximum=max(known).quantize(CENT),
        count=len(known),
        of=len(values),
    )
