"""The county-level demo campaign (seed 001's level): 青山县委 assessing its townships, county
organs and institutions, two groups, each township's sample drawn. Its 述职评议 meeting is the
meetings app's part of the demo."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from units.models import Unit

from ..models import Campaign, SampleDraw, Target
from ..services.campaigns import campaign_create, campaign_set_reviewers, campaign_set_status
from ..services.groups import group_save
from ..services.sampling import sample_draw
from . import data
from .checklist import load_checklist

TITLE = "2021年度青山县党建工作年终考核"
COUNTY = "青山县"
PERIOD = (dt.date(2022, 1, 4), dt.date(2022, 1, 8))
SEED = 20220104
# (group, leader username): the townships and the organs and institutions are shared out in turn.
GROUPS = [("县委第一考核组", "qsleader"), ("县委第二考核组", "qsleader2")]


def load_county_campaign(admin) -> Campaign | None:
    """Create the county campaign if it is missing (and the roster has its county)."""
    county = Unit.objects.filter(name=COUNTY, kind=Unit.Kind.COUNTY).first()
    if county is None or Campaign.objects.filter(title=TITLE).exists():
        return None
    User = get_user_model()
    campaign = campaign_create(
        title=TITLE, year=2021, issuer_unit=county, period_start=PERIOD[0], period_end=PERIOD[1]
    )
    load_checklist(campaign, admin)  # the city's checklist serves the county as well
    campaign_set_reviewers(campaign=campaign, users=User.objects.filter(username="qsreviewer"))
    units = list(campaign.target_units().exclude(name=f"{COUNTY}委组织部").order_by("kind", "name"))
    towns = [u for u in units if u.kind == Unit.Kind.TOWNSHIP]
    others = [u for u in units if u.kind != Unit.Kind.TOWNSHIP]
    for index, (name, leader) in enumerate(GROUPS):
        group_save(
            campaign=campaign,
            name=name,
            leader=User.objects.get(username=leader),
            members=[],
            targets=towns[index :: len(GROUPS)] + others[index :: len(GROUPS)],
            start_date=PERIOD[0],
            end_date=PERIOD[1],
            methods=data.METHODS,
            user=admin,
        )
    campaign_set_status(campaign=campaign, status=Campaign.Status.ACTIVE)
    for target in Target.objects.filter(campaign=campaign).select_related("unit"):
        if target.is_sampled:
            drawn = sample_draw(target=target, seed=SEED, user=admin).draw
            # Drawn at the draw meeting on the first morning, as it would have been, not today.
            at = timezone.make_aware(dt.datetime.combine(PERIOD[0], data.DRAW_TIME))
            SampleDraw.objects.filter(pk=drawn.pk).update(drawn_at=at)
    return campaign
