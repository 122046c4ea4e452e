"""Who may do what in the assessed unit's part (the contract: accounts.permissions).

- A liaison (被考核单位联络员) reads and writes for its own unit in its campaign only: its files,
  its feedback once the unit's work is approved. Another unit, or a campaign it has no part in,
  is 404, as if it did not exist; the inspectors' workspace stays closed to it (it holds no
  campaign role).
- Administrators name the liaisons and set the time limits. Administrators and the campaign's
  reviewers answer objections. Those who read a target's workspace (its group, the reviewers,
  administrators) read the unit's files there.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.permissions import is_admin, is_signed_in, remembered
from assessment import permissions as assessment_permissions
from assessment.models import Campaign, Target

from .models import Answer, Liaison, UnitFile


def liaison_roles(user) -> list[Liaison]:
    """The campaigns and units ``user`` answers for, newest campaign first (one query a request)."""
    if not is_signed_in(user):
        return []

    def look_up() -> list[Liaison]:
        rows = Liaison.objects.filter(user=user).select_related("campaign", "unit")
        return list(rows.order_by("-campaign__year", "unit__name"))

    return remembered(("liaison_roles", user.pk), look_up)


def is_liaison(user, campaign_id: int, unit_id: int) -> bool:
    return (
        is_signed_in(user)
        and Liaison.objects.filter(user=user, campaign_id=campaign_id, unit_id=unit_id).exists()
    )


def can_rule(user, campaign) -> bool:
    """Answer objections: administrators and the campaign's reviewers."""
    return assessment_permissions.can_read_whole_campaign(user, campaign)


def target_for_liaison(user, pk: int) -> Target:
    """The liaison's own target (404 to anyone else)."""
    target = get_object_or_404(Target.objects.select_related("campaign", "unit", "group"), pk=pk)
    if not is_liaison(user, target.campaign_id, target.unit_id):
        raise Http404
    return target


def target_for_files(user, pk: int) -> Target:
    """A target whose unit's files ``user`` may read: its liaison, or a reader of its workspace."""
    target = get_object_or_404(Target.objects.select_related("campaign", "unit", "group"), pk=pk)
    if is_liaison(user, target.campaign_id, target.unit_id):
        return target
    return assessment_permissions.target_for_read(user, pk)


def file_for_read(user, pk: int) -> UnitFile:
    unit_file = get_object_or_404(UnitFile.objects.select_related("campaign", "unit"), pk=pk)
    if is_liaison(user, unit_file.campaign_id, unit_file.unit_id):
        return unit_file
    target = Target.objects.filter(campaign_id=unit_file.campaign_id, unit_id=unit_file.unit_id).first()
    if target is None:
        if not can_rule(user, unit_file.campaign):
            raise Http404
        return unit_file
    assessment_permissions.target_for_read(user, target.pk)
    return unit_file


def campaign_for_admin(user, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not is_admin(user):
        if assessment_permissions.campaign_role(user, campaign) is None:
            raise Http404
        raise PermissionDenied(_("只有系统管理员可以指定联络员和设置时限。"))
    return campaign


def campaign_for_rulings(user, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not can_rule(user, campaign):
        if assessment_permissions.campaign_role(user, campaign) is None:
            raise Http404
        raise PermissionDenied(_("只有系统管理员和本次考核的审核人员可以答复异议。"))
    return campaign


def answer_for_ruling(user, pk: int) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("round__target__campaign"), pk=pk)
    campaign_for_rulings(user, answer.round.target.campaign_id)
    return answer


def can_attach(user, target: Target) -> bool:
    """Those who write the target's findings may attach the unit's files to them as evidence."""
    return assessment_permissions.can_write_findings(user, target)


def target_for_attaching(user, pk: int) -> Target:
    return assessment_permissions.target_for_edit(user, pk)
