"""The demo checklist, shared by the city's campaigns and the county's."""

from decimal import Decimal

from ..models import Campaign
from ..services.checklist import CriterionInput, item_save
from . import data


def load_checklist(campaign: Campaign, admin) -> None:
    for title, score, lead, criteria in data.CHECKLIST:
        item_save(
            campaign=campaign,
            title=title,
            full_score=Decimal(score),
            lead_department=lead,
            criteria=[CriterionInput(text=t, points=Decimal(p), method=m) for t, p, m in criteria],
            user=admin,
        )
