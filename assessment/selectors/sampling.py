"""Reads of a target's sample: the current draw by stratum, the findings at units outside it
(非抽查单位), and the unit picker's search (the sample first, then the county's other units)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from core.text import clean_text
from units.domain.tree import KIND_ORDER, kind_label
from units.models import Unit

from ..models import (
    Deduction,
    Problem,
    SampleDraw,
    SampledUnit,
    Stratum,
    Target,
)


def current_sample(target: Target) -> tuple[SampleDraw | None, list[SampledUnit]]:
    draw = target.draws.order_by("-drawn_at", "-pk").first()
    if draw is None:
        return None, []
    units = list(draw.units.select_related("unit", "township", "added_by").order_by("position"))
    return draw, units


@dataclass
class StratumGroup:
    """Sampled units of one stratum; villages and stations come with their township."""

    stratum: str
    label: str
    units: list[SampledUnit]


def sample_by_stratum(units: list[SampledUnit]) -> list[StratumGroup]:
    groups = []
    for stratum in Stratum:
        members = [u for u in units if u.stratum == stratum.value]
        if members:
            groups.append(StratumGroup(stratum=stratum.value, label=str(stratum.label), units=members))
    return groups


def _latest_draw(target: Target) -> QuerySet:
    return SampleDraw.objects.filter(target=target).order_by("-drawn_at", "-pk").values("pk")[:1]


def sampled_unit_ids(target: Target) -> set[int]:
    """The units of the target's current draw: a finding elsewhere is at a 非抽查单位. One query."""
    return set(SampledUnit.objects.filter(draw__in=_latest_draw(target)).values_list("unit_id", flat=True))


@dataclass
class OffSampleUnit:
    """A unit outside the current sample that deductions or problems name (非抽查单位)."""

    pk: int
    name: str
    where: str
    deductions: int = 0
    problems: int = 0


def findings_outside_sample(target: Target) -> list[OffSampleUnit]:
    """The units outside the current draw that the target's deductions and problems name, with
    how many of each, in the roster's order (county organs, institutions, townships…). Three
    queries."""
    sampled = SampledUnit.objects.filter(draw__in=_latest_draw(target)).values("unit_id")
    counts: dict[int, dict[str, int]] = {}
    for key, model in (("deductions", Deduction), ("problems", Problem)):
        rows = (
            model.objects.filter(target=target, unit__isnull=False)
            .exclude(unit_id__in=sampled)
            .order_by()
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
        for unit_id, n in rows:
            counts.setdefault(unit_id, {})[key] = n
    if not counts:
        return []
    units = Unit.objects.filter(pk__in=counts).select_related("parent")
    county_id = target.unit_id
    found = [
        OffSampleUnit(
            pk=u.pk,
            name=u.name,
            where="" if u.parent_id in (None, county_id) else u.parent.name,
            **counts[u.pk],
        )
        for u in sorted(units, key=lambda u: (KIND_ORDER.index(u.kind), u.name))
    ]
    return found


@dataclass(frozen=True)
class UnitHit:
    """A unit offered by the workspace's unit picker."""

    pk: int
    name: str
    where: str  # the township of a village or station, the parent of anything deeper; "" below the county
    kind: str  # its kind's label
    sampled: bool


@dataclass
class UnitSearch:
    """What the unit picker lists for a query: the sample by stratum, then other units of the county."""

    query: str
    sampled: list[tuple[str, list[UnitHit]]]  # (stratum label, hits), in the strata's order
    others: list[UnitHit]
    more: bool  # more other units match than are listed

    @property
    def empty(self) -> bool:
        return not self.sampled and not self.others


UNIT_SEARCH_LIMIT = 20


def unit_search(target: Target, query: str, *, limit: int = UNIT_SEARCH_LIMIT) -> UnitSearch:
    """Units of the target's county for the workspace's unit picker. With no query, the current
    sample grouped by stratum; with one, the sampled units whose name or township contains it and
    up to ``limit`` other active units of the county whose name or parent's name does, the closest
    first. Never a unit outside the county. Two queries."""
    query = clean_text(query)[:50]
    folded = query.casefold()
    rows = (
        SampledUnit.objects.filter(draw__in=_latest_draw(target))
        .order_by("position")
        .values_list("stratum", "unit_id", "unit__name", "unit__kind", "township__name")
    )
    by_stratum: dict[str, list[UnitHit]] = {}
    sampled_ids = set()
    for stratum, unit_id, name, kind, township in rows:
        sampled_ids.add(unit_id)
        if query and folded not in name.casefold() and folded not in (township or "").casefold():
            continue
        hit = UnitHit(pk=unit_id, name=name, where=township or "", kind=kind_label(kind), sampled=True)
        by_stratum.setdefault(stratum, []).append(hit)
    sampled = [(str(s.label), by_stratum[s.value]) for s in Stratum if s.value in by_stratum]
    others: list[UnitHit] = []
    more = False
    if query:
        county = target.unit
        candidates = (
            Unit.objects.filter(ancestry__startswith=county.descendant_prefix, is_active=True)
            .filter(Q(name__icontains=query) | Q(parent__name__icontains=query))
            .exclude(pk__in=sampled_ids)
            .order_by("name", "pk")
            .values_list("pk", "name", "kind", "parent_id", "parent__name")[:200]
        )

        def closeness(row) -> tuple:
            _pk, name, kind, _parent_id, _parent = row
            name = name.casefold()
            return (name != folded, not name.startswith(folded), folded not in name, KIND_ORDER.index(kind))

        found = sorted(candidates, key=closeness)
        more = len(found) > limit
        others = [
            UnitHit(
                pk=pk,
                name=name,
                where="" if parent_id == county.pk else (parent or ""),
                kind=kind_label(kind),
                sampled=False,
            )
            for pk, name, kind, parent_id, parent in found[:limit]
        ]
    return UnitSearch(query=query, sampled=sampled, others=others, more=more)
