"""The demo campaigns (``manage.py load_demo``): 2020 closed and finalized; 2021 with its
checklist, groups, reviewer, a draw and findings in three states.

Idempotent like the roster demo: if the campaign exists, it is left as it is.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.demo import DemoPart
from units.models import Unit

from ..models import Campaign, SampleDraw, Target
from ..services import findings as finding_services
from ..services import workflow
from ..services.campaigns import campaign_create, campaign_set_reviewers, campaign_set_status
from ..services.editing import LATEST
from ..services.groups import group_save
from ..services.overview import narrative_save
from ..services.sampling import sample_draw
from . import data
from .checklist import load_checklist as _checklist
from .county import load_county_campaign
from .findings import load_findings_demo


def _city() -> Unit | None:
    return Unit.objects.filter(kind=Unit.Kind.CITY, parent__isnull=True).order_by("pk").first()


def _load_previous_campaign(admin, counties: dict) -> None:
    """2020年度: closed, every county finalized, for the comparison on the dashboard."""
    User = get_user_model()
    start, end = (dt.date.fromisoformat(d) for d in data.PREVIOUS_PERIOD)
    campaign = campaign_create(
        title=data.PREVIOUS_TITLE,
        year=data.PREVIOUS_YEAR,
        issuer="市委",
        issuer_unit=_city(),
        period_start=start,
        period_end=end,
    )
    _checklist(campaign, admin)
    campaign_set_reviewers(campaign=campaign, users=User.objects.filter(username__in=data.REVIEWERS))
    reviewer = User.objects.get(username=data.REVIEWERS[0])
    campaign_set_status(campaign=campaign, status=Campaign.Status.ACTIVE)
    items = list(campaign.items.order_by("order"))
    for name, county, leader_name, members, deducted in data.PREVIOUS_GROUPS:
        leader = User.objects.get(username=leader_name)
        group = group_save(
            campaign=campaign,
            name=name,
            leader=leader,
            members=list(User.objects.filter(username__in=members)),
            targets=[counties[county]],
            start_date=start,
            end_date=end,
            methods=data.METHODS,
            user=admin,
        )
        target = group.targets.get()
        narrative_save(
            target=target,
            narrative=data.PREVIOUS_NARRATIVE.format(county=county),
            version=LATEST,
            user=leader,
        )
        for item, points in zip(items, deducted, strict=True):
            if Decimal(points):
                criterion = item.criteria.order_by("order").first()
                finding_services.deduction_create(
                    target=target,
                    item=item,
                    criterion=criterion,
                    unit=None,
                    points=points,
                    reason=data.PREVIOUS_REASON,
                    user=leader,
                )
                finding_services.problem_create(
                    target=target, item=item, user=leader, text=data.PREVIOUS_PROBLEM
                )
            finding_services.score_decide(target=target, item=item, decided=True, version=LATEST, user=leader)
            finding_services.evaluation_lead_save(
                target=target, item=item, lead=data.PREVIOUS_LEAD, version=LATEST, user=leader
            )
        workflow.target_submit(target=target, user=leader)
        workflow.target_approve(target=target, user=reviewer)
        workflow.target_finalize(target=target, user=admin)
    campaign_set_status(campaign=campaign, status=Campaign.Status.CLOSED)


@transaction.atomic
def load_campaign_demo() -> dict:
    """Create the demo campaigns if missing. Returns what was created."""
    if Campaign.objects.filter(title=data.CAMPAIGN_TITLE).exists():
        return {"campaign_created": False}
    User = get_user_model()
    admin = User.objects.get(username="admin")
    counties = {u.name: u for u in Unit.objects.filter(kind=Unit.Kind.COUNTY)}
    if not Campaign.objects.filter(title=data.PREVIOUS_TITLE).exists():
        _load_previous_campaign(admin, counties)
    start, end = (dt.date.fromisoformat(d) for d in data.PERIOD)
    campaign = campaign_create(
        title=data.CAMPAIGN_TITLE,
        year=data.CAMPAIGN_YEAR,
        issuer="市委",
        issuer_unit=_city(),
        period_start=start,
        period_end=end,
    )
    _checklist(campaign, admin)
    campaign_set_reviewers(campaign=campaign, users=User.objects.filter(username__in=data.REVIEWERS))
    for name, county, leader, members, group_start, group_end in data.GROUPS:
        group_save(
            campaign=campaign,
            name=name,
            leader=User.objects.get(username=leader),
            members=list(User.objects.filter(username__in=members)),
            targets=[counties[county]],
            start_date=dt.date.fromisoformat(group_start),
            end_date=dt.date.fromisoformat(group_end),
            methods=data.METHODS,
            user=admin,
        )
    campaign_set_status(campaign=campaign, status=Campaign.Status.ACTIVE)
    for target in Target.objects.filter(campaign=campaign).select_related("group"):
        drawn = sample_draw(target=target, seed=data.SEED, user=admin).draw
        # Drawn on the group's first morning in the county, as it would have been, not today.
        drawn_at = dt.datetime.combine(target.group.start_date, data.DRAW_TIME)
        SampleDraw.objects.filter(pk=drawn.pk).update(drawn_at=timezone.make_aware(drawn_at))
    load_findings_demo(campaign)
    return {"campaign_created": True, "campaign": campaign.title}


def load(*, reset_passwords: bool = False) -> DemoPart:
    """This app's part of ``manage.py load_demo`` (core.demo): the campaigns and their findings."""
    campaign = load_campaign_demo()
    admin = get_user_model().objects.get(username="admin")
    with transaction.atomic():
        county = load_county_campaign(admin)
    parts = []
    if campaign["campaign_created"]:
        parts.append(
            f"考核工作“{campaign['campaign']}”（考核项目清单、3个考核组、抽查结果和考核记录）"
            "及已定稿的上一年度考核"
        )
    if county is not None:
        parts.append(f"县级考核工作“{county.title}”（{county.targets.count()}个乡镇和县直单位，2个考核组）")
    return DemoPart(summary="；".join(parts)) if parts else DemoPart()
