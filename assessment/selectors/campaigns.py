"""Reads for a campaign's pages and the home page: its groups with their people and targets,
its checklist, the counties not yet assigned, a person's targets and reviewed campaigns."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from core.text import natural_key

from .. import permissions
from ..domain import levels
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
from .workspace import done_assessments


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
        Prefetch(
            "targets",
            queryset=targets_with_sampling(Target.objects.order_by(kind_order("unit__kind"), "unit__name")),
        ),
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


def unassigned_units(campaign: Campaign) -> list:
    """The campaign's target units no group of it assesses yet."""
    taken = Target.objects.filter(campaign=campaign).values("unit_id")
    return list(campaign.target_units().exclude(pk__in=taken).order_by(kind_order("kind"), "name"))


def kind_order(field: str) -> Case:
    """Sorts units of ``field``'s kind as pages list targets (``levels.LISTING_ORDER``)."""
    whens = [When(**{field: kind}, then=Value(n)) for n, kind in enumerate(levels.LISTING_ORDER)]
    return Case(*whens, default=Value(len(levels.LISTING_ORDER)))
