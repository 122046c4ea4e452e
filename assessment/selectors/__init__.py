"""Reads for the campaign pages, each in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from core.text import chinese_ordinal, clean_text, natural_key

from .. import permissions
from ..domain import completeness, scoring
from ..domain.scoring import ItemFacts
from ..models import (
    AssessmentGroup,
    Campaign,
    ChecklistItem,
    Criterion,
    Deduction,
    GroupMember,
    SampleDraw,
    SampledUnit,
    Target,
)


def targets_with_sampling(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Targets annotated with their current draw: its id, seed, time and size."""
    latest = SampleDraw.objects.filter(target=OuterRef("pk")).order_by("-drawn_at", "-pk")
    size = SampledUnit.objects.filter(draw_id=OuterRef("draw_id")).values("draw_id").annotate(n=Count("pk"))
    return (
        targets.select_related("unit", "group")
        .annotate(
            draw_id=Subquery(latest.values("pk")[:1]),
            draw_seed=Subquery(latest.values("seed")[:1]),
            drawn_at=Subquery(latest.values("drawn_at")[:1]),
        )
        .annotate(sampled_count=Subquery(size.values("n")[:1]))
    )


@dataclass
class GroupView:
    group: AssessmentGroup
    leader: object | None
    members: list
    targets: list[Target] = field(default_factory=list)

    @property
    def people(self) -> list:
        return [m for m in [self.leader, *self.members] if m is not None]


def campaign_groups(campaign: Campaign, user) -> list[GroupView]:
    """The groups the user may see (all for admins and reviewers, their own otherwise)."""
    groups = campaign.groups.order_by("name")
    if not permissions.can_read_whole_campaign(user, campaign):
        groups = groups.filter(memberships__user=user)
    groups = groups.prefetch_related(
        Prefetch(
            "memberships",
            queryset=GroupMember.objects.select_related("user", "user__home_unit").order_by(
                "role", "user__username"
            ),
        ),
        Prefetch("targets", queryset=targets_with_sampling(Target.objects.order_by("unit__name"))),
    )
    views = []
    for group in sorted(groups, key=lambda g: natural_key(g.name)):
        memberships = list(group.memberships.all())
        leader = next((m for m in memberships if m.role == GroupMember.Role.LEADER), None)
        views.append(
            GroupView(
                group=group,
                leader=leader,
                members=[m for m in memberships if m.role != GroupMember.Role.LEADER],
                targets=list(group.targets.all()),
            )
        )
    return views


@dataclass
class Checklist:
    items: list[ChecklistItem]
    total: Decimal

    @property
    def criteria_count(self) -> int:
        return sum(len(item.criteria.all()) for item in self.items)


def campaign_checklist(campaign: Campaign) -> Checklist:
    """Items in order with their criteria, whether each is locked by a deduction, and the total."""
    items = list(
        campaign.items.order_by("order")
        .annotate(locked=Exists(Deduction.objects.filter(item=OuterRef("pk"))))
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("order")))
    )
    total = sum((item.full_score for item in items), Decimal(0))
    return Checklist(items=items, total=total)


@dataclass
class MyTarget:
    target: Target
    role: str  # GroupMember.Role value


def done_assessments() -> QuerySet:
    """The item assessments whose item is done (assessment.domain.completeness.item_done), in SQL
    for lists of targets: the score decided, the lead written, and no deductions without a
    problem. tests/assessment/test_domain_rules.py pins it to the pure rule."""
    from ..models import ItemAssessment, Problem

    same_cell = {"target": OuterRef("target"), "item": OuterRef("item")}
    return (
        ItemAssessment.objects.filter(score_decided_at__isnull=False)
        .exclude(lead="")
        .exclude(Exists(Deduction.objects.filter(**same_cell)) & ~Exists(Problem.objects.filter(**same_cell)))
    )


def my_targets(user) -> list[MyTarget]:
    """The targets of the groups a user sits on, newest campaign first (the 我的考核 page), each
    with its items completed (``items_done``) of the checklist's (``items_total``). Two queries."""
    memberships = GroupMember.objects.filter(user=user).select_related("group", "group__campaign")
    roles = {m.group_id: m.role for m in memberships}
    done = done_assessments().filter(target=OuterRef("pk")).values("target").annotate(n=Count("pk"))
    total = (
        ChecklistItem.objects.filter(campaign=OuterRef("campaign_id"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
    )
    targets = targets_with_sampling(
        Target.objects.filter(group_id__in=roles)
        .select_related("campaign")
        .defer("narrative")
        .annotate(
            items_done=Coalesce(Subquery(done.values("n")[:1]), 0),
            items_total=Coalesce(Subquery(total.values("n")[:1]), 0),
        )
        .order_by("-campaign__year", "unit__name")
    )
    return [MyTarget(target=t, role=roles[t.group_id]) for t in targets]


def reviewed_campaigns(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(reviewer_links__user=user).order_by("-year")


def current_sample(target: Target) -> tuple[SampleDraw | None, list[SampledUnit]]:
    draw = target.draws.order_by("-drawn_at", "-pk").first()
    if draw is None:
        return None, []
    units = list(draw.units.select_related("unit", "township", "added_by").order_by("position"))
    return draw, units


def unassigned_counties(campaign: Campaign) -> list:
    """Active counties no group of the campaign assesses yet."""
    from units.models import Unit

    taken = Target.objects.filter(campaign=campaign).values("unit_id")
    return list(
        Unit.objects.filter(kind=Unit.Kind.COUNTY, is_active=True).exclude(pk__in=taken).order_by("name")
    )


@dataclass
class StratumGroup:
    """Sampled units of one stratum; villages and stations come with their township."""

    stratum: str
    label: str
    units: list[SampledUnit]


def sample_by_stratum(units: list[SampledUnit]) -> list[StratumGroup]:
    from ..models import Stratum

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
    from units.domain.tree import KIND_ORDER
    from units.models import Unit

    from ..models import Problem

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
    from units.domain.tree import KIND_ORDER, kind_label
    from units.models import Unit

    from ..models import Stratum

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


# --- the workspace ---------------------------------------------------------------------


@dataclass
class ItemState:
    """One checklist item of a target, as the workspace's side list, the report and the
    submission check see it: its recorded facts (assessment.domain.scoring.ItemFacts) and what
    the rules make of them."""

    item: ChecklistItem
    facts: ItemFacts
    has_points: bool = False  # evaluation points (一是…) written, with or without a lead

    @property
    def deducted(self) -> Decimal:
        return self.facts.deducted

    @property
    def bonus(self) -> Decimal:
        return self.facts.bonus

    @property
    def decided(self) -> bool:
        return self.facts.decided

    @property
    def evaluated(self) -> bool:
        """The 总体评价's lead is written."""
        return self.facts.has_lead

    @property
    def problem_count(self) -> int:
        return self.facts.problems

    @property
    def points(self) -> Decimal:
        """What the item scores as recorded, decided or not (the score line while scoring)."""
        return self.facts.points

    @property
    def score(self) -> Decimal | None:
        """The item's score; None while it is not decided (未评分)."""
        return self.facts.score

    @property
    def complete(self) -> bool:
        return completeness.item_done(self.facts)

    @property
    def heading(self) -> str:
        return f"（{chinese_ordinal(self.item.order)}）{self.item.title}"

    @property
    def entry(self) -> completeness.ItemEntry:
        return completeness.ItemEntry(item_id=self.item.pk, heading=self.heading, facts=self.facts)


def item_states(target: Target) -> list[ItemState]:
    """Every checklist item of the target's campaign with what is recorded on it. Three queries."""
    from ..models import EvaluationPoint, ItemAssessment, Problem

    deducted = dict(
        Deduction.objects.filter(target=target)
        .order_by()
        .values("item")
        .annotate(s=Sum("points"))
        .values_list("item", "s")
    )
    problems = dict(
        Problem.objects.filter(target=target)
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values_list("item", "n")
    )
    assessments = {
        a.item_id: a
        for a in ItemAssessment.objects.filter(target=target)
        .only("item_id", "bonus", "score_decided_at", "lead")
        .annotate(has_point=Exists(EvaluationPoint.objects.filter(assessment=OuterRef("pk"))))
    }
    bonus_enabled = target.campaign.bonus_enabled
    states = []
    for item in target.campaign.items.order_by("order"):
        assessment = assessments.get(item.pk)
        facts = ItemFacts(
            full=item.full_score,
            deducted=deducted.get(item.pk) or Decimal(0),
            # Bonus counts only while the campaign allows it.
            bonus=assessment.bonus if assessment and bonus_enabled else Decimal(0),
            decided=bool(assessment and assessment.score_decided_at),
            has_lead=bool(assessment and assessment.lead.strip()),
            problems=problems.get(item.pk, 0),
        )
        states.append(ItemState(item=item, facts=facts, has_points=bool(assessment and assessment.has_point)))
    return states


def target_total(states: list[ItemState]) -> scoring.Total:
    """The target's total (assessment.domain.scoring.Total): known once every item is decided."""
    return scoring.total_of([s.score for s in states], sum((s.item.full_score for s in states), Decimal(0)))


def submission_gaps(target: Target, states: list[ItemState] | None = None) -> list[completeness.Gap]:
    """What still keeps the target from being submitted (assessment.domain.completeness), each
    with where it is fixed. Empty when it may be submitted."""
    states = item_states(target) if states is None else states
    return completeness.submission_gaps(
        [s.entry for s in states], narrative_written=bool(target.narrative.strip())
    )


@dataclass
class CriterionBlock:
    criterion: Criterion | None  # None: deductions not tied to a criterion
    deductions: list

    @property
    def deducted(self) -> Decimal:
        return sum((d.points for d in self.deductions), Decimal(0))


@dataclass
class ItemPanel:
    """Everything the workspace shows for one item of one target."""

    state: ItemState
    blocks: list[CriterionBlock]
    assessment: object | None  # ItemAssessment
    points: list
    problems: list
    sampled_ids: set[int] = field(default_factory=set)  # the current draw's units (非抽查单位 otherwise)

    @property
    def item(self) -> ChecklistItem:
        return self.state.item


def item_panel(target: Target, item: ChecklistItem, states: list[ItemState]) -> ItemPanel:
    """The item's criteria with their deductions, its evaluation and its problems; each deduction
    and problem carries its files as ``evidence_list``. A fixed number of queries, whatever the
    number of records."""
    from ..models import EvaluationPoint, Evidence, ItemAssessment, Problem

    criteria = list(item.criteria.order_by("order"))
    deductions = list(
        Deduction.objects.filter(target=target, item=item).select_related("unit", "updated_by").order_by("pk")
    )
    blocks = [CriterionBlock(c, [d for d in deductions if d.criterion_id == c.pk]) for c in criteria]
    loose = [d for d in deductions if d.criterion_id is None]
    if loose:
        blocks.append(CriterionBlock(None, loose))
    assessment = ItemAssessment.objects.filter(target=target, item=item).select_related("updated_by").first()
    points = (
        list(
            EvaluationPoint.objects.filter(assessment=assessment)
            .select_related("updated_by")
            .order_by("position", "pk")
        )
        if assessment
        else []
    )
    problems = list(
        Problem.objects.filter(target=target, item=item)
        .select_related("unit", "updated_by")
        .order_by("position", "pk")
    )
    # The files of both kinds of finding in one query.
    files: dict[tuple[str, int], list] = {}
    for evidence in (
        Evidence.objects.filter(target=target)
        .filter(Q(deduction__item=item) | Q(problem__item=item))
        .order_by("uploaded_at", "pk")
    ):
        key = ("d", evidence.deduction_id) if evidence.deduction_id else ("p", evidence.problem_id)
        files.setdefault(key, []).append(evidence)
    for deduction in deductions:
        deduction.evidence_list = files.get(("d", deduction.pk), [])
    for problem in problems:
        problem.evidence_list = files.get(("p", problem.pk), [])
    return ItemPanel(
        state=next(s for s in states if s.item.pk == item.pk),
        blocks=blocks,
        assessment=assessment,
        points=points,
        problems=problems,
        sampled_ids=sampled_unit_ids(target) if any(f.unit_id for f in (*deductions, *problems)) else set(),
    )


def problem_categories(campaign: Campaign) -> list[str]:
    """The category tags already used in a campaign, offered as suggestions."""
    from ..models import Problem

    return list(
        Problem.objects.filter(target__campaign=campaign)
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")[:50]
    )
