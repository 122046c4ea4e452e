"""The facts behind the campaigns' 筹备步骤 (assessment.domain.setup), read in one query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Replace, StrIndex

from units.models import Unit

from ..domain import levels, setup
from ..models import AssessmentGroup, Campaign, ChecklistItem, GroupMember, SampleDraw, SamplingPlan, Target


def _target_units() -> QuerySet[Unit]:
    """The target units of the outer campaign (``Campaign.target_units``) in SQL: active, of one of
    its kinds (",county_organ," found in ",township,county_organ,"), below its issuer unit."""

    def framed(*parts) -> Concat:
        return Concat(Value(","), *parts, Value(","), output_field=CharField())

    # "/5/" for issuer 5; no issuer: "//" → "/", which every ancestry holds.
    issuer = Concat(
        Value("/"), Cast(OuterRef("issuer_unit_id"), CharField()), Value("/"), output_field=CharField()
    )
    below = Replace(issuer, Value("//"), Value("/"))
    return (
        Unit.objects.filter(is_active=True)
        .alias(
            kind_at=StrIndex(framed(OuterRef("target_kinds")), framed(F("kind"))),
            issuer_at=StrIndex(F("ancestry"), below),
        )
        .filter(kind_at__gt=0)
        .filter(issuer_at__gt=0)
    )


FIELDS = (
    "target_units",
    "people",
    "reviewers",
    "checklist_items",
    "groups",
    "groups_without_leader",
    "targets",
    "unassigned_units",
    "plan_saved",
    "targets_to_draw",
)


def with_setup_facts(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """``campaigns`` each annotated with the counts of its 筹备步骤 (``setup_<fact>``): one query
    however many campaigns."""

    def count(queryset) -> Coalesce:
        counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    mine = OuterRef("pk")
    targets = Target.objects.filter(campaign=mine)
    leaders = GroupMember.objects.filter(group=OuterRef("pk"), role=GroupMember.Role.LEADER)
    taken = Target.objects.filter(campaign=OuterRef(OuterRef("pk"))).values("unit_id")
    facts = {
        "target_units": count(_target_units()),
        "people": count(get_user_model().objects.filter(is_active=True, is_staff=False)),
        "reviewers": count(Campaign.reviewers.through.objects.filter(campaign=mine)),
        "checklist_items": count(ChecklistItem.objects.filter(campaign=mine)),
        "groups": count(AssessmentGroup.objects.filter(campaign=mine)),
        "groups_without_leader": count(
            AssessmentGroup.objects.filter(campaign=mine).filter(~Exists(leaders))
        ),
        "targets": count(targets),
        "unassigned_units": count(_target_units().exclude(pk__in=taken)),
        "plan_saved": Exists(SamplingPlan.objects.filter(campaign=mine, target__isnull=True))
        | Exists(SampleDraw.objects.filter(target__campaign=mine)),
        "targets_to_draw": count(
            targets.filter(unit__kind__in=levels.PLAN_FIELDS_OF_KIND).filter(
                ~Exists(SampleDraw.objects.filter(target=OuterRef("pk")))
            )
        ),
    }
    return campaigns.annotate(**{f"setup_{name}": value for name, value in facts.items()})


def facts_of(campaign: Campaign) -> setup.Facts:
    """The facts of a campaign read through ``with_setup_facts``."""
    return setup.Facts(**{name: getattr(campaign, f"setup_{name}") for name in FIELDS})


def setup_steps(campaign: Campaign) -> list[setup.Step]:
    """The campaign's 筹备步骤 (one query)."""
    return setup.steps(facts_of(with_setup_facts(Campaign.objects.filter(pk=campaign.pk)).get()))
