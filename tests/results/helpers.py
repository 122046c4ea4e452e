"""Helpers of the results tests."""

from decimal import Decimal as D

from django.urls import reverse
from django.utils import timezone

from assessment.models import Deduction, ItemAssessment, Target
from tests.factories import UserFactory


def finalize(target, items, deducted=D(0)):
    """Every item decided; ``deducted`` off the first; the county finalized."""
    for item in items:
        ItemAssessment.objects.create(target=target, item=item, score_decided_at=timezone.now())
    if deducted:
        Deduction.objects.create(
            target=target, item=items[0], points=deducted, reason="扣分", created_by=UserFactory()
        )
    Target.objects.filter(pk=target.pk).update(status=Target.Status.FINALIZED)


def url(name, campaign, *args):
    return reverse(f"results:{name}", args=[campaign.pk, *args])
