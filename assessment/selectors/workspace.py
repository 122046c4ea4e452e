"""Reads for a target's workspace and its report: each item's state (its facts and what the rules
in assessment.domain make of them), the total, what keeps it from being submitted, an item's
panel with its records and their files."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from core.text import chinese_ordinal

from ..domain import completeness, scoring
from ..domain.scoring import ItemFacts
from ..models import (
    Campaign,
    ChecklistItem,
    Criterion,
    Deduction,
    EvaluationPoint,
    Evidence,
    ItemAssessment,
    Problem,
    Target,
)
from .sampling import sampled_unit_ids


def done_assessments() -> QuerySet:
    """The item assessments whose item is done (assessment.domain.completeness.item_done), in SQL
    for lists of targets: the score decided, the lead written, and no deductions without a
    problem. tests/assessment/test_domain_rules.py pins it to the pure rule."""
    same_cell = {"target": OuterRef("target"), "item": OuterRef("item")}
    return (
        ItemAssessment.objects.filter(score_decided_at__isnull=False)
        .exclude(lead="")
        .exclude(Exists(Deduction.objects.filter(**same_cell)) & ~Exists(Problem.objects.filter(**same_cell)))
    )


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
    return list(
        Problem.objects.filter(target__campaign=campaign)
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")[:50]
    )
