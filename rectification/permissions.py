"""Who may do what with the ledger (the contract: accounts.permissions).

- Administrators and the campaign's reviewers read the whole ledger, close or return requests,
  edit deadlines and responsibilities, and send 催办.
- A unit's liaison reads its own unit's entries and writes their measures, progress and
  completion and asks for 销号; an administrator may write them on the unit's behalf.
- Anyone else: the ledger does not exist (404).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

# The shared part of the contract, for this app's views.
from accounts.permissions import admin_required as admin_required
from accounts.permissions import is_admin
from accounts.permissions import require_admin as require_admin
from assessment import permissions as assessment_permissions
from assessment.models import Campaign
from liaison.permissions import is_liaison

from .models import Entry


def can_manage(user, campaign) -> bool:
    return assessment_permissions.can_read_whole_campaign(user, campaign)


def campaign_for_ledger(user, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not can_manage(user, campaign):
        if assessment_permissions.campaign_role(user, campaign) is None:
            raise Http404
        raise PermissionDenied(_("整改台账由组织部管理，只有系统管理员和本次考核的审核人员可以查看。"))
    return campaign


def entry_for_read(user, pk: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("campaign", "unit", "carried_from__campaign"), pk=pk
    )
    if can_manage(user, entry.campaign) or is_liaison(user, entry.campaign_id, entry.unit_id):
        return entry
    if assessment_permissions.campaign_role(user, entry.campaign) is None:
        raise Http404
    raise PermissionDenied(_("整改台账由组织部管理，只有系统管理员和本次考核的审核人员可以查看。"))


def can_write_for_unit(user, entry: Entry) -> bool:
    return is_admin(user) or is_liaison(user, entry.campaign_id, entry.unit_id)


def entry_for_unit(user, pk: int) -> Entry:
    entry = entry_for_read(user, pk)
    if not can_write_for_unit(user, entry):
        raise PermissionDenied(_("整改情况由被考核单位的联络员填报。"))
    return entry


def entry_for_manager(user, pk: int) -> Entry:
    entry = entry_for_read(user, pk)
    if not can_manage(user, entry.campaign):
        raise PermissionDenied(_("只有系统管理员和本次考核的审核人员可以认定销号、退回和催办。"))
    return entry


def problem_for_recurrence(user, problem):
    """Whether a problem was found before is answered by those who write its target's findings."""
    assessment_permissions.target_for_edit(user, problem.target_id)
    return problem
