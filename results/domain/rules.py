"""综合评定: the arithmetic that turns a unit's three legs into its final score, rank and grade.

This module is the one place the rule lives; the results page prints ``rule_lines()`` (the
same rule in Chinese, with the scheme's numbers) beside the table so a reader can redo every
number by hand.

1. **Components.** The scheme names its components (实地考核, 述职评议, 民主测评 …), each
   already on a 100-point scale, with weights in percent summing to 100. A component left
   out of the scheme has no weight. A unit's component is *unknown* (None) until its leg has
   a number, and *provisional* until that number is final (a county not yet finalized, a
   ballot still open).
2. **Weighted score** = Σ score × weight ÷ 100, rounded half up to 0.01 — known only when every
   component of the unit is known: nothing unknown counts as full marks or as zero.
3. **Bonus and penalty.** Each 加分项 / 减分项 adds up the points awarded to the unit under it,
   capped at the item's cap; the unit's bonus is the sum over bonus items, its penalty the
   sum over penalty items. **Final score** = weighted + bonus − penalty.
4. **Rank** among the units whose final score is known, highest first; equal scores share a
   rank and the next rank skips (1, 2, 2, 4).
5. **Grade.** The first band (in the scheme's order, best first) whose minimum the final
   score reaches. Then the **veto items** (一票否决): one that sets the lowest grade gives the
   lowest band; one that forbids the top grade moves a top-graded unit to the second band.
6. **Quota** on the top grade (e.g. 30%): at most ⌊units × quota⌋ units, counting every unit
   of the campaign. When more reach it, the highest final scores keep it, ties broken by the
   components in the scheme's order (higher first); units still tied at the edge of the quota
   all move to the second band, so the quota is never exceeded.
7. **Manual grade.** An administrator may set a unit's grade by hand with a reason; it
   replaces the computed grade and is marked 人工调整 wherever it shows.

Results are provisional while any component of any unit is unknown or provisional.
Decimal throughout, two decimals, half up. No database, no request.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    """Two decimals, rounded half up (2.345 → 2.35)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class AdjustmentKind(TextChoices):
    BONUS = "bonus", gettext_lazy("加分项")
    PENALTY = "penalty", gettext_lazy("减分项")


class VetoEffect(TextChoices):
    LOWEST = "lowest", gettext_lazy("定为最低等次")
    NO_TOP = "no_top", gettext_lazy("不得评为最高等次")


@dataclass(frozen=True, slots=True)
class Component:
    key: str
    label: str
    weight: Decimal  # percent


@dataclass(frozen=True, slots=True)
class Band:
    label: str
    minimum: Decimal


@dataclass(frozen=True, slots=True)
class Adjustment:
    key: str
    label: str
    kind: str  # AdjustmentKind
    points: Decimal  # per award, positive
    cap: Decimal | None = None  # the most this item gives (or takes) per unit


@dataclass(frozen=True, slots=True)
class Veto:
    key: str
    label: str
    effect: str  # VetoEffect


@dataclass(frozen=True, slots=True)
class Scheme:
    components: Sequence[Component]
    bands: Sequence[Band]  # best first
    adjustments: Sequence[Adjustment] = ()
    vetoes: Sequence[Veto] = ()
    quota: Decimal | None = None  # fraction of units allowed the top band, e.g. Decimal("0.30")

    @property
    def weighted(self) -> list[Component]:
        return [c for c in self.components if c.weight > 0]


@dataclass(frozen=True, slots=True)
class Value:
    """One component of one unit: its number (None while unknown) and whether it is final."""

    score: Decimal | None
    final: bool = True


@dataclass(frozen=True, slots=True)
class Award:
    """Points given to a unit under one bonus or penalty item (positive; the kind says which)."""

    adjustment: str
    points: Decimal
    reason: str = ""


@dataclass(frozen=True, slots=True)
class UnitFacts:
    key: object  # the unit's id, carried through
    name: str
    values: Mapping[str, Value] = field(default_factory=dict)
    awards: Sequence[Award] = ()
    vetoes: Sequence[str] = ()  # keys of the veto items that apply
    manual_grade: str | None = None
    manual_reason: str = ""


@dataclass(slots=True)
class UnitResult:
    key: object
    name: str
    values: dict[str, Value]
    weighted: Decimal | None
    bonus: Decimal
    penalty: Decimal
    score: Decimal | None
    complete: bool  # every component known and final
    rank: int | None = None
    computed_grade: str | None = None  # from the bands and vetoes, before the quota
    grade: str | None = None
    vetoed_by: list[str] = field(default_factory=list)
    quota_moved: bool = False
    manual: bool = False
    manual_reason: str = ""


@dataclass(slots=True)
class Outcome:
    units: list[UnitResult]
    provisional: bool
    quota_places: int | None  # ⌊units × quota⌋, None without a quota
    top_count: int  # units holding the top band after everything (manual grades included)

    @property
    def quota_exceeded(self) -> bool:
        return self.quota_places is not None and self.top_count > self.quota_places


def scheme_errors(scheme: Scheme) -> list[str]:
    """What makes a scheme unusable, in the administrator's words (empty when it is fine)."""
    errors = []
    weighted = scheme.weighted
    if not weighted:
        errors.append(_("至少要有一个权重大于0的考核组成部分。"))
    elif sum((c.weight for c in weighted), ZERO) != HUNDRED:
        total = sum((c.weight for c in weighted), ZERO)
        errors.append(_("各组成部分的权重合计应为100%%，现为%(total)s%%。") % {"total": _plain(total)})
    if any(c.weight < 0 for c in scheme.components):
        errors.append(_("权重不能为负数。"))
    if len(scheme.bands) < 2:
        errors.append(_("至少要有两个等次。"))
    minima = [b.minimum for b in scheme.bands]
    if any(a <= b for a, b in zip(minima, minima[1:], strict=False)):
        errors.append(_("等次的最低分应从高到低依次递减。"))
    if len({b.label for b in scheme.bands}) != len(scheme.bands):
        errors.append(_("等次名称不能重复。"))
    if scheme.quota is not None and not (ZERO < scheme.quota <= 1):
        errors.append(_("最高等次的名额比例应大于0%且不超过100%。"))
    for item in scheme.adjustments:
        if item.points <= 0:
            errors.append(_("“%(label)s”的分值应大于0。") % {"label": item.label})
        if item.cap is not None and item.cap <= 0:
            errors.append(_("“%(label)s”的上限应大于0。") % {"label": item.label})
    return errors


def _plain(number: Decimal) -> str:
    return format(Decimal(number).normalize(), "f")


def weighted_score(scheme: Scheme, values: Mapping[str, Value]) -> Decimal | None:
    """Σ score × weight ÷ 100 over the scheme's weighted components, half up to 0.01; None
    when any of them is unknown."""
    total = ZERO
    for component in scheme.weighted:
        value = values.get(component.key)
        if value is None or value.score is None:
            return None
        total += value.score * component.weight
    return cents(total / HUNDRED)


def adjustment_totals(scheme: Scheme, awards: Iterable[Award]) -> tuple[Decimal, Decimal]:
    """(bonus, penalty), each item's awards summed and capped at the item's cap."""
    by_item: dict[str, Decimal] = {}
    for award in awards:
        by_item[award.adjustment] = by_item.get(award.adjustment, ZERO) + award.points
    bonus = penalty = ZERO
    for item in scheme.adjustments:
        points = by_item.get(item.key, ZERO)
        if item.cap is not None:
            points = min(points, item.cap)
        if item.kind == AdjustmentKind.BONUS:
            bonus += points
        else:
            penalty += points
    return cents(bonus), cents(penalty)


def band_for(scheme: Scheme, score: Decimal) -> str:
    for band in scheme.bands:
        if score >= band.minimum:
            return band.label
    return scheme.bands[-1].label


def competition_ranks(scores: Sequence[Decimal | None]) -> list[int | None]:
    """1, 2, 2, 4 over the known scores, highest first; None for unknown ones."""
    known = sorted((s for s in scores if s is not None), reverse=True)
    first = {}
    for position, score in enumerate(known, start=1):
        first.setdefault(score, position)
    return [None if s is None else first[s] for s in scores]


def evaluate(scheme: Scheme, units: Sequence[UnitFacts]) -> Outcome:
    """Every unit's weighted score, bonus, penalty, final score, rank and grade (see the module
    docstring for the rule, in order)."""
    vetoes = {v.key: v for v in scheme.vetoes}
    labels = [band.label for band in scheme.bands] or [None]  # no bands (an unusable scheme): no grades
    top, lowest = labels[0], labels[-1]
    second = labels[1] if len(labels) > 1 else top
    results = []
    for facts in units:
        values = {c.key: facts.values.get(c.key, Value(None, False)) for c in scheme.weighted}
        weighted = weighted_score(scheme, values)
        bonus, penalty = adjustment_totals(scheme, facts.awards)
        score = None if weighted is None else weighted + bonus - penalty
        result = UnitResult(
            key=facts.key,
            name=facts.name,
            values=values,
            weighted=weighted,
            bonus=bonus,
            penalty=penalty,
            score=score,
            complete=all(v.score is not None and v.final for v in values.values()),
        )
        if score is not None and scheme.bands:
            grade = band_for(scheme, score)
            for key in facts.vetoes:
                veto = vetoes.get(key)
                if veto is None:
                    continue
                result.vetoed_by.append(veto.label)
                if veto.effect == VetoEffect.LOWEST:
                    grade = lowest
                elif grade == top:
                    grade = second
            result.computed_grade = result.grade = grade
        results.append(result)

    for result, rank in zip(results, competition_ranks([r.score for r in results]), strict=True):
        result.rank = rank

    places = None
    if scheme.quota is not None and scheme.bands:
        places = math.floor(Decimal(len(units)) * scheme.quota)
        _apply_quota(scheme, results, places, top, second)

    for result, facts in zip(results, units, strict=True):
        if facts.manual_grade and result.score is not None:
            result.grade = facts.manual_grade
            result.manual = True
            result.manual_reason = facts.manual_reason

    return Outcome(
        units=results,
        provisional=not all(r.complete for r in results),
        quota_places=places,
        top_count=sum(1 for r in results if r.grade == top),
    )


def _tie_key(scheme: Scheme, result: UnitResult) -> tuple:
    return (result.score, *(result.values[c.key].score or ZERO for c in scheme.weighted))


def _apply_quota(scheme: Scheme, results: list[UnitResult], places: int, top: str, second: str) -> None:
    candidates = sorted(
        (r for r in results if r.grade == top), key=lambda r: _tie_key(scheme, r), reverse=True
    )
    if len(candidates) <= places:
        return
    kept = candidates[:places]
    if kept and _tie_key(scheme, kept[-1]) == _tie_key(scheme, candidates[places]):
        edge = _tie_key(scheme, kept[-1])
        kept = [r for r in kept if _tie_key(scheme, r) != edge]
    kept_ids = {id(r) for r in kept}
    for result in candidates:
        if id(result) not in kept_ids:
            result.grade = second
            result.quota_moved = True


def rule_lines(scheme: Scheme) -> list[str]:
    """The rule above as the results page prints it, with this scheme's numbers."""
    parts = "＋".join(f"{c.label}×{_plain(c.weight)}%" for c in scheme.weighted)
    bands = "，".join(f"{b.label}{_plain(b.minimum)}分及以上" for b in scheme.bands[:-1])
    lines = [
        _(
            "加权得分＝%(parts)s，四舍五入保留两位小数；任一组成部分尚无结果时，加权得分为“未知”，不按满分也不按零分计算。"
        )
        % {"parts": parts},
        _("综合得分＝加权得分＋加分－减分；每个加分项、减分项的合计不超过该项上限。"),
        _("排名按综合得分从高到低，同分同名次（如1、2、2、4）；综合得分未知的不排名。"),
        _("等次：%(bands)s，其余为%(last)s。") % {"bands": bands, "last": scheme.bands[-1].label},
        _("一票否决：按各项规定定为最低等次，或不得评为最高等次。"),
    ]
    if scheme.quota is not None:
        lines.append(
            _(
                "“%(top)s”等次不超过考核对象总数的%(quota)s%%（向下取整）；超出时按综合得分从高到低保留，"
                "同分时依次比较%(order)s得分，仍无法区分而超出名额的，同分者均评为“%(second)s”。"
            )
            % {
                "top": scheme.bands[0].label,
                "quota": _plain(scheme.quota * 100),
                "order": "、".join(c.label for c in scheme.weighted),
                "second": scheme.bands[1].label,
            }
        )
    lines.append(_("人工调整的等次须写明理由，并在所有显示处标注“人工调整”。"))
    lines.append(_("所有组成部分均最终确定并经系统管理员确认后，结果才是正式结果；此前均为暂定。"))
    return lines
