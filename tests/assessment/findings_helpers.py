"""Helpers shared by the findings-services tests (test_findings_services.py, test_score_services.py,
test_evaluation_and_problem_services.py, test_edit_conflicts_and_audit.py); their fixture `s` is in conftest.py.
"""

from decimal import Decimal

from assessment.selectors.workspace import item_states
from assessment.services import findings
from assessment.services.editing import LATEST
from tests.factories import ChecklistItemFactory
from units.models import Unit


def unit_in(s, name, county="qingshan"):
    return Unit.objects.get(name=name, ancestry__startswith=s[county].descendant_prefix)


def deduct(s, points="2", reason="台账不全", *, criterion=..., unit=None, user=None, target=None, item=None):
    item = item or s["item"]
    return findings.deduction_create(
        target=target or s["target"],
        item=item,
        criterion=item.criteria.first() if criterion is ... else criterion,
        unit=unit,
        points=points,
        reason=reason,
        user=user or s["member"],
    )


def enable_bonus(s, cap="3"):
    campaign = s["campaign"]
    campaign.bonus_enabled, campaign.bonus_cap = True, Decimal(cap)
    campaign.save()


def second_item(s, order=2, title="基层组织建设"):
    return ChecklistItemFactory(campaign=s["campaign"], order=order, title=title)


def problem(s, text="部分村党组织“三会一课”记录不全", *, item=None, user=None, **values):
    return findings.problem_create(
        target=s["target"], item=item or s["item"], user=user or s["member"], text=text, **values
    )


def point(s, headline="凝聚人心有声势", body="", *, user=None):
    return findings.point_create(
        target=s["target"], item=s["item"], headline=headline, body=body, user=user or s["member"]
    )


def decide(s, item=None, *, target=None, user=None):
    """确认得分 on the item (the leader's, by default): only then does it have a score."""
    return findings.score_decide(
        target=target or s["target"],
        item=item or s["item"],
        decided=True,
        version=LATEST,
        user=user or s["leader"],
    )


def state(s, item=None):
    return next(st for st in item_states(s["target"]) if st.item == (item or s["item"]))


def errors(exc_info) -> dict:
    return exc_info.value.message_dict
