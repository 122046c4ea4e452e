"""Reads of the roster, each in a fixed number of queries whatever the roster's size."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from .domain.tree import KIND_ORDER
from .models import Unit

Kind = Unit.Kind


@dataclass
class KindCount:
    kind: str
    label: str
    count: int


def kind_counts(counter: Counter) -> list[KindCount]:
    """Counts per kind in the roster's canonical kind order, zeros left out."""
    return [KindCount(k, str(Kind(k).label), counter[k]) for k in KIND_ORDER if counter.get(k)]


@dataclass
class TreeNode:
    unit: Unit
    children: list["TreeNode"] = field(default_factory=list)
    open: bool = False
    focused: bool = False

    @property
    def descendant_count(self) -> int:
        return sum(1 + child.descendant_count for child in self.children)


@dataclass
class RootSummary:
    """A top-level unit (usually a city) with its counties and the counts under each."""

    unit: Unit
    total: Counter
    counties: list[tuple[Unit, list[KindCount], int]]

    @property
    def kind_counts(self) -> list[KindCount]:
        return kind_counts(self.total)


def roster_overview(*, include_inactive: bool = False) -> list[RootSummary]:
    """Every root and its counties, with counts per kind. Three queries."""
    active = Q() if include_inactive else Q(is_active=True)
    tops = list(
        Unit.objects.filter(
            active, Q(parent__isnull=True) | Q(parent__parent__isnull=True, kind=Kind.COUNTY)
        ).order_by("name")
    )
    roots = [u for u in tops if u.parent_id is None]
    counties_by_root: dict[int, list[Unit]] = defaultdict(list)
    for unit in tops:
        if unit.parent_id is not None:
            counties_by_root[unit.parent_id].append(unit)
    # Per-parent counts are far fewer rows than units; roll them up by ancestry.
    per_ancestry = Unit.objects.filter(active).values("ancestry", "kind").annotate(n=Count("id"))
    below: dict[int, Counter] = defaultdict(Counter)
    for row in per_ancestry:
        for ancestor_id in row["ancestry"].strip("/").split("/"):
            if ancestor_id:
                below[int(ancestor_id)][row["kind"]] += row["n"]
    summaries = []
    for root in roots:
        counties = [
            (c, kind_counts(below[c.pk]), sum(below[c.pk].values())) for c in counties_by_root[root.pk]
        ]
        summaries.append(RootSummary(unit=root, total=below[root.pk], counties=counties))
    return summaries


def unit_ancestors(unit: Unit) -> list[Unit]:
    """The unit's ancestors from the root down, in one query."""
    ids = unit.ancestor_ids
    if not ids:
        return []
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_subtree(unit: Unit, *, include_inactive: bool = False) -> QuerySet[Unit]:
    units = Unit.objects.filter(ancestry__startswith=unit.descendant_prefix)
    if not include_inactive:
        units = units.filter(is_active=True)
    return units


def _sort_key(unit: Unit) -> tuple[int, str]:
    return (KIND_ORDER.index(unit.kind), unit.name)


def unit_tree(unit: Unit, *, include_inactive: bool = False, focus_id: int | None = None) -> TreeNode:
    """The unit and its whole subtree as nested nodes, in one query.

    Siblings are ordered by kind, then name. The path down to ``focus_id`` is
    marked open, so a search hit shows up unfolded.
    """
    nodes = {unit.pk: TreeNode(unit=unit, open=True)}
    units = sorted(unit_subtree(unit, include_inactive=include_inactive), key=lambda u: len(u.ancestry))
    for child in units:
        nodes[child.pk] = TreeNode(unit=child)
    for child in units:
        parent = nodes.get(child.parent_id)
        if parent is not None:  # an active unit under an inactive one is hidden with its parent
            parent.children.append(nodes[child.pk])
    for node in nodes.values():
        node.children.sort(key=lambda n: _sort_key(n.unit))
    if focus_id in nodes:
        focused = nodes[focus_id]
        focused.focused = True
        for ancestor_id in focused.unit.ancestor_ids:
            if ancestor_id in nodes:
                nodes[ancestor_id].open = True
    return nodes[unit.pk]


def tree_kind_counts(root: TreeNode) -> list[KindCount]:
    counter: Counter = Counter()
    stack = list(root.children)
    while stack:
        node = stack.pop()
        counter[node.unit.kind] += 1
        stack.extend(node.children)
    return kind_counts(counter)


@dataclass
class SearchHit:
    unit: Unit
    ancestors: list[Unit]

    @property
    def path(self) -> str:
        return " › ".join(a.name for a in self.ancestors)

    @property
    def tree_root(self) -> Unit:
        """The unit whose tree page shows this hit: its county, else its top ancestor."""
        for ancestor in self.ancestors:
            if ancestor.kind == Kind.COUNTY:
                return ancestor
        return self.ancestors[0] if self.ancestors else self.unit


def unit_search(query: str, *, include_inactive: bool = False, limit: int = 200) -> list[SearchHit]:
    """Units whose name contains ``query``, each with its ancestors. Two queries."""
    units = Unit.objects.filter(name__icontains=query)
    if not include_inactive:
        units = units.filter(is_active=True)
    hits = list(units.order_by("name", "ancestry")[:limit])
    ancestor_ids = {i for u in hits for i in u.ancestor_ids}
    by_id = Unit.objects.in_bulk(ancestor_ids) if ancestor_ids else {}
    return [SearchHit(unit=u, ancestors=[by_id[i] for i in u.ancestor_ids if i in by_id]) for u in hits]


def picker_search(query: str, *, limit: int = 20) -> tuple[list[SearchHit], bool]:
    """What the unit picker lists for ``query``: units in use whose name contains it, the exact name
    first, then names beginning with it, higher levels of the tree before lower ones; and whether
    there are more than ``limit``. Two queries."""
    units = (
        Unit.objects.filter(name__icontains=query, is_active=True)
        .annotate(
            closeness=Case(
                When(name=query, then=Value(0)),
                When(name__startswith=query, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("closeness", "ancestry", "name")
    )
    found = list(units[: limit + 1])
    hits = found[:limit]
    ancestor_ids = {i for u in hits for i in u.ancestor_ids}
    by_id = Unit.objects.in_bulk(ancestor_ids) if ancestor_ids else {}
    return [SearchHit(unit=u, ancestors=[by_id[i] for i in u.ancestor_ids if i in by_id]) for u in hits], len(
        found
    ) > limit


def parent_choices(*, kind: str, near: Unit | None) -> QuerySet[Unit]:
    """Units a unit of ``kind`` may be moved under: the allowed kinds, within the same county."""
    from .domain.tree import ALLOWED_PARENT_KINDS

    kinds = [k for k in ALLOWED_PARENT_KINDS[kind] if k is not None]
    units = Unit.objects.filter(kind__in=kinds, is_active=True)
    if near is not None:
        ancestors = unit_ancestors(near)
        county = next((a for a in ancestors if a.kind == Kind.COUNTY), None)
        if county is not None and Kind.COUNTY not in kinds:
            units = units.filter(ancestry__startswith=county.descendant_prefix)
    return units.order_by("ancestry", "name")
