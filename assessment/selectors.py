"""Reads for the campaign pages, each in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum

from accounts import permissions
from core.text import natural_key

from .models import (
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


def checklist_total(campaign: Campaign) -> Decimal:
    return campaign.items.aggregate(total=Sum("full_score"))["total"] or Decimal(0)


@dataclass
class MyTarget:
    target: Target
    role: str  # GroupMember.Role value


def my_targets(user) -> list[MyTarget]:
    """The targets of the groups a user sits on, newest campaign first (the 我的考核 page)."""
    memberships = GroupMember.objects.filter(user=user).select_related("group", "group__campaign")
    roles = {m.group_id: m.role for m in memberships}
    targets = targets_with_sampling(
        Target.objects.filter(group_id__in=roles)
        .select_related("campaign")
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
    from .models import Stratum

    groups = []
    for stratum in Stratum:
        members = [u for u in units if u.stratum == stratum.value]
        if members:
            groups.append(StratumGroup(stratum=stratum.value, label=str(stratum.label), units=members))
    return groups
