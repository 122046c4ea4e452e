"""The database side of the lock (assessment.domain.locks): which counties a change
affects, their rows locked for the transaction, and the refusal.

Every service that changes something shown in a county's report calls
``require_open`` first, in its transaction; views call ``refusal`` to hide or
disable the controls and say why.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ..domain import locks as rule
from ..models import Campaign, Target

# What a refusal says cannot change.
SAMPLE = _("抽查名单")
PLAN = _("抽查方案")
GROUP = _("考核组")
CHECKLIST = _("考核项目清单")
SETTINGS = _("考核工作设置")
FINDINGS = _("考核材料")


class Locked(ValidationError):
    """A change refused by the lock: a county it affects is handed in, or the campaign is closed."""

    def __init__(self, message: str):
        super().__init__(message, code="locked")


def _campaign_id(campaign: Campaign | int) -> int:
    return campaign if isinstance(campaign, int) else campaign.pk


def _targets(campaign_id: int, targets) -> QuerySet:
    if targets is None:
        return Target.objects.filter(campaign_id=campaign_id)
    if isinstance(targets, QuerySet):
        return targets
    return Target.objects.filter(pk__in=[t.pk for t in targets])


def _message(campaign_id: int, targets: QuerySet, what, *, lock: bool) -> str | None:
    if lock:
        targets = targets.select_for_update(of=("self",))
    rows = list(
        targets.order_by("unit__ancestry", "unit__name").values_list(
            "unit__name", "status", "campaign__status"
        )
    )
    if rows:
        closed = rows[0][2] == Campaign.Status.CLOSED
    else:
        closed = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.CLOSED).exists()
    counties: Iterable[tuple[str, str]] = [(name, status) for name, status, _c in rows]
    return rule.refusal(what=str(what), campaign_closed=closed, counties=counties)


def refusal(*, campaign: Campaign | int, targets=None, what) -> str | None:
    """Why ``what`` may not change now (None when it may). ``targets``: the counties the change
    affects (Targets or a queryset); None means every county of the campaign."""
    campaign_id = _campaign_id(campaign)
    return _message(campaign_id, _targets(campaign_id, targets), what, lock=False)


def require_open(*, campaign: Campaign | int, targets=None, what) -> None:
    """Refuse (Locked) unless the campaign is open and every affected county is being filled in.

    Locks the affected counties' rows for the rest of the transaction, so a submission
    waits for this change (or this change for the submission): nothing slips past the lock.
    """
    campaign_id = _campaign_id(campaign)
    message = _message(campaign_id, _targets(campaign_id, targets), what, lock=True)
    if message:
        raise Locked(message)


def target_refusal(target: Target, what) -> str | None:
    """The refusal for a change to one county, from the row as given (no query)."""
    return rule.refusal(
        what=str(what),
        campaign_closed=target.campaign.is_closed,
        counties=[(target.unit.name, target.status)],
    )
