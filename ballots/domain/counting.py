"""The count of a 民主测评 (democratic rating): the one rule, on plain values.

Each received ballot (phone or paper) belongs to one voter category and holds one mark per subject:

- an option's label (好 / 较好 / 一般 / 差 by default): a **valid mark**;
- ``ABSTAIN`` (a mark left blank): 弃权 for that subject;
- ``INVALID`` (anything else, e.g. two ticks on paper, 多选): 无效 for that subject.

A ballot with no valid mark at all is a **废票**: received, never valid. Its marks are still tallied
as 弃权 / 无效 for each subject, so that for every subject and category 好 + 较好 + 一般 + 差 + 弃权 +
无效 = the ballots received.

Per subject and category, the **mean** is the mean of the option scores over the valid marks; the
subject's **score** is the weighted sum of its category means, the weights rescaled over the
categories that have valid marks for it (a category with none does not count, neither as zero nor as
full marks); **好评率** = the marks of the "good" options (好 and 较好) ÷ valid marks × 100. A subject
with no valid mark at all has no score, no 好评率 and no rank (unknown is never shown as a number).

The ballot is **valid as a whole** when the valid ballots are at least the quorum (two thirds by
default) of those present (the 实到 counts of all categories); unknown while any 实到 is unknown.

Arithmetic is exact (fractions of Decimals) until the end; what is shown is rounded to two decimals,
half up. Subjects are ranked by their shown score: equal shown scores share a rank (1, 1, 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ABSTAIN = "弃权"
INVALID = "无效"
TWO_PLACES = Decimal("0.01")

DEFAULT_OPTIONS = (
    ("好", Decimal(100), True),
    ("较好", Decimal(80), True),
    ("一般", Decimal(60), False),
    ("差", Decimal(40), False),
)
DEFAULT_QUORUM = Fraction(2, 3)


@dataclass(frozen=True)
class Option:
    label: str
    score: Decimal
    good: bool = False  # counts towards 好评率


@dataclass(frozen=True)
class Category:
    key: str
    weight: Decimal
    present: int | None = None  # 实到; None while unknown


@dataclass(frozen=True)
class Marks:
    """One received ballot: its category and its mark per subject (a missing subject is blank)."""

    category: str
    marks: Mapping[str, str]


def default_options() -> list[Option]:
    return [Option(label, score, good) for label, score, good in DEFAULT_OPTIONS]


def rounded(value: Fraction | Decimal | None) -> Decimal | None:
    """Two decimals, half up (away from zero); None stays None. A fraction is rounded exactly."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    magnitude = abs(value) * 100 + Fraction(1, 2)
    cents = magnitude.numerator // magnitude.denominator
    return (Decimal(-cents if value < 0 else cents) / 100).quantize(TWO_PLACES)


def _fraction(value: Decimal) -> Fraction:
    return Fraction(Decimal(value))


@dataclass
class CategoryTally:
    """One subject's marks from one category."""

    counts: dict[str, int]  # option label, ABSTAIN, INVALID → marks
    valid: int = 0
    total: Fraction = Fraction(0)  # sum of the valid marks' scores

    @property
    def mean(self) -> Fraction | None:
        return self.total / self.valid if self.valid else None


@dataclass
class SubjectResult:
    subject: str
    by_category: dict[str, CategoryTally]
    valid: int = 0
    good: int = 0
    exact_score: Fraction | None = None
    rank: int | None = None

    @property
    def score(self) -> Decimal | None:
        return rounded(self.exact_score)

    @property
    def good_rate(self) -> Decimal | None:
        return rounded(Fraction(self.good * 100, self.valid)) if self.valid else None

    def mean(self, category: str) -> Decimal | None:
        return rounded(self.by_category[category].mean)

    def total_counts(self) -> dict[str, int]:
        """Marks per option, 弃权 and 无效, all categories together."""
        keys = next(iter(self.by_category.values())).counts.keys() if self.by_category else ()
        return {key: sum(t.counts[key] for t in self.by_category.values()) for key in keys}


@dataclass
class CategoryBallots:
    key: str
    present: int | None
    received: int = 0
    valid: int = 0
    void: int = 0  # 废票


@dataclass
class Quorum:
    present: int | None
    valid: int
    fraction: Fraction
    required: int | None  # the fewest valid ballots that make the ballot valid; None while unknown
    met: bool | None  # None while 实到 is unknown


@dataclass
class Count:
    subjects: list[SubjectResult]
    categories: list[CategoryBallots]
    quorum: Quorum
    received: int = 0
    valid: int = 0
    void: int = 0
    unknown_categories: list[str] = field(default_factory=list)


def classify(mark: str | None, labels: Iterable[str]) -> str:
    """A mark as the count knows it: an option's label, ABSTAIN (blank) or INVALID."""
    if mark is None or mark == "" or mark == ABSTAIN:
        return ABSTAIN
    return mark if mark in set(labels) else INVALID


def quorum_required(present: int, fraction: Fraction) -> int:
    """The fewest valid ballots that are at least ``fraction`` of ``present`` (ceil, exactly)."""
    product = fraction * present
    return -((-product.numerator) // product.denominator)


def count(
    *,
    options: Sequence[Option],
    categories: Sequence[Category],
    subjects: Sequence[str],
    ballots: Iterable[Marks],
    quorum: Fraction = DEFAULT_QUORUM,
) -> Count:
    """Count ``ballots`` by the rule above. A ballot whose category is not one of ``categories`` is
    refused (ValueError): entry and import check categories before anything is stored."""
    labels = [o.label for o in options]
    score_of = {o.label: _fraction(o.score) for o in options}
    good_labels = {o.label for o in options if o.good}
    keys = [*labels, ABSTAIN, INVALID]
    weights = {c.key: _fraction(c.weight) for c in categories}
    per_category = {c.key: CategoryBallots(key=c.key, present=c.present) for c in categories}
    results = {
        s: SubjectResult(
            subject=s, by_category={c.key: CategoryTally(counts=dict.fromkeys(keys, 0)) for c in categories}
        )
        for s in subjects
    }
    total = Count(subjects=list(results.values()), categories=list(per_category.values()), quorum=None)  # type: ignore[arg-type]
    for ballot in ballots:
        if ballot.category not in per_category:
            raise ValueError(f"unknown voter category {ballot.category!r}")
        tallies = per_category[ballot.category]
        marks = {s: classify(ballot.marks.get(s), labels) for s in subjects}
        tallies.received += 1
        total.received += 1
        if any(m in score_of for m in marks.values()):
            tallies.valid += 1
            total.valid += 1
        else:
            tallies.void += 1
            total.void += 1
        for subject, mark in marks.items():
            tally = results[subject].by_category[ballot.category]
            tally.counts[mark] += 1
            if mark in score_of:
                tally.valid += 1
                tally.total += score_of[mark]
                results[subject].valid += 1
                if mark in good_labels:
                    results[subject].good += 1
    for result in results.values():
        weighted = [(weights[key], t.mean) for key, t in result.by_category.items() if t.valid]
        weight_sum = sum((w for w, _mean in weighted), Fraction(0))
        if weighted and weight_sum > 0:
            result.exact_score = sum((w * m for w, m in weighted), Fraction(0)) / weight_sum
    _rank(total.subjects)
    present = None if any(c.present is None for c in categories) else sum(c.present for c in categories)
    if present is None or present == 0:
        total.quorum = Quorum(present=present, valid=total.valid, fraction=quorum, required=None, met=None)
    else:
        required = quorum_required(present, quorum)
        total.quorum = Quorum(
            present=present,
            valid=total.valid,
            fraction=quorum,
            required=required,
            met=total.valid >= required,
        )
    return total


def _rank(subjects: list[SubjectResult]) -> None:
    """Rank by shown score, highest first; equal shown scores share a rank (1, 1, 3)."""
    scored = sorted((s for s in subjects if s.score is not None), key=lambda s: s.score, reverse=True)
    previous = None
    for position, subject in enumerate(scored, start=1):
        if previous is not None and subject.score == previous.score:
            subject.rank = previous.rank
        else:
            subject.rank = position
        previous = subject
