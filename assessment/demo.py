"""The demo campaign (``manage.py load_demo``): checklist, groups, reviewer and a draw.

Idempotent like the roster demo: if the campaign exists, it is left as it is.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from units.models import Unit

from . import demo_data as data
from .demo_findings import load_findings_demo
from .models import Campaign, Target
from .sampling_services import sample_draw
from .services.campaigns import campaign_create, campaign_set_reviewers, campaign_set_status
from .services.checklist import CriterionInput, item_save
from .services.groups import group_save


@transaction.atomic
def load_campaign_demo() -> dict:
    """Create the demo campaign if missing. Returns what was created."""
    if Campaign.objects.filter(title=data.CAMPAIGN_TITLE).exists():
        return {"campaign_created": False}
    User = get_user_model()
    admin = User.objects.get(username="admin")
    start, end = (dt.date.fromisoformat(d) for d in data.PERIOD)
    campaign = campaign_create(
        title=data.CAMPAIGN_TITLE, year=data.CAMPAIGN_YEAR, issuer="市委", period_start=start, period_end=end
    )
    for title, score, lead, criteria in data.CHECKLIST:
        item_save(
            campaign=campaign,
            title=title,
            full_score=Decimal(score),
            lead_department=lead,
            criteria=[CriterionInput(text=t, points=Decimal(p), method=m) for t, p, m in criteria],
            user=admin,
        )
    campaign_set_reviewers(campaign=campaign, users=User.objects.filter(username__in=data.REVIEWERS))
    counties = {u.name: u for u in Unit.objects.filter(kind=Unit.Kind.COUNTY)}
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
    for target in Target.objects.filter(campaign=campaign):
        sample_draw(target=target, seed=data.SEED, user=admin)
    load_findings_demo(campaign)
    return {"campaign_created": True, "campaign": campaign.title}
