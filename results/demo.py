"""综合评定's part of the demo: the finalized 2020 campaign with its scheme (实地考核 80%,
述职评议 20%), every county's 述职评议 score, a bonus, results confirmed and the 通报 fixed;
the 2021 campaign with the default scheme (民主测评 20% included) and some 述职评议 scores, so
its results are provisional and show what is still unknown.

Idempotent: a campaign that has a scheme is left as it is."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from assessment.demo import data as campaign_data
from assessment.models import Campaign, Target
from core.demo import DemoPart

from . import services
from .models import Item, Scheme

BANDS = [("好", Decimal(90)), ("较好", Decimal(80)), ("一般", Decimal(60)), ("差", Decimal(0))]
# 述职评议 scores of the counties' secretaries, by county, in 2020 and 2021 (a few not yet given).
MEETING_2020 = {"青山县": Decimal("92.5"), "绿水县": Decimal("86"), "白石区": Decimal("90")}
MEETING_2021 = {"青山县": Decimal("94"), "绿水县": Decimal("88")}


def _scores(campaign: Campaign, scores: dict, admin) -> None:
    targets = {t.unit.name: t.unit for t in Target.objects.filter(campaign=campaign).select_related("unit")}
    given = {targets[name]: score for name, score in scores.items() if name in targets}
    services.set_meeting_scores(campaign=campaign, scores=given, actor=admin)


@transaction.atomic
def load(*, reset_passwords: bool = False) -> DemoPart:
    admin = get_user_model().objects.filter(username="admin").first()
    previous = Campaign.objects.filter(title=campaign_data.PREVIOUS_TITLE).first()
    current = Campaign.objects.filter(title=campaign_data.CAMPAIGN_TITLE).first()
    done = []
    if admin and previous and not Scheme.objects.filter(campaign=previous).exists():
        services.create_scheme(campaign=previous)
        services.update_scheme(
            campaign=previous,
            weight_field=Decimal(80),
            weight_meeting=Decimal(20),
            weight_ballot=Decimal(0),
            meeting_source=Scheme.MeetingSource.ENTERED,
            quota=Decimal(50),
            bands=BANDS,
        )
        _scores(previous, MEETING_2020, admin)
        bonus = services.add_item(
            campaign=previous,
            kind=Item.Kind.BONUS,
            label="获省级以上党建工作表彰",
            points=Decimal(1),
            cap=Decimal(2),
            veto_effect="",
        )
        services.add_item(
            campaign=previous,
            kind=Item.Kind.VETO,
            label="发生严重违纪违法问题",
            points=None,
            cap=None,
            veto_effect="lowest",
        )
        first = Target.objects.filter(campaign=previous).select_related("unit").order_by("unit__name").first()
        if first:
            services.add_award(
                campaign=previous,
                unit=first.unit,
                item=bonus,
                points=None,
                reason="2020年10月获评全省党建工作先进县",
                evidence=None,
                actor=admin,
            )
        if not services.unfinished(services.selectors.campaign_results(previous)):
            services.confirm(campaign=previous, actor=admin)
            bulletin = services.draft_bulletin(campaign=previous)
            dated = (previous.period_end or bulletin.date) + dt.timedelta(days=14)  # as it was, not today
            services.save_bulletin(
                bulletin=bulletin,
                title=bulletin.title,
                body=bulletin.body,
                signature=bulletin.signature,
                date=dated,
            )
            services.fix_bulletin(bulletin=bulletin, actor=admin)
        done.append(previous.title)
    if admin and current and not Scheme.objects.filter(campaign=current).exists():
        services.create_scheme(campaign=current)
        _scores(current, MEETING_2021, admin)
        done.append(current.title)
    if not done:
        return DemoPart()
    return DemoPart(summary="综合评定（" + "、".join(done) + "）")
