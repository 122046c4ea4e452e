"""Who may read and act on campaigns, groups, targets and their reports (the contract:
accounts.permissions). The reports app's views use this module too: a report is a target's.

Administrators see and manage everything. Roles are per campaign: the same person may be a
member in 2021 and a reviewer in 2022. A campaign's reviewers read all of it; group leaders and
members read their own group and its targets only — another group's pages are 404 to them, as
if they did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

# The shared part of the contract, for this app's views (and the reports app's).
from accounts.permissions import admin_required as admin_required
from accounts.permissions import is_admin, is_signed_in, remember, remembered, require_admin

from .domain import locks
from .models import AssessmentGroup, Campaign, CampaignReviewer, GroupMember, Target

# --- campaigns ------------------------------------------------------------------


class Role:
    ADMIN = "admin"
    REVIEWER = "reviewer"
    LEADER = "leader"
    MEMBER = "member"


def _standing_columns(user, campaign_ref) -> dict:
    """Annotations giving a user's standing in the campaign ``campaign_ref`` points at."""
    membership = GroupMember.objects.filter(campaign_id=campaign_ref, user=user).order_by()
    return {
        "standing_reviewer": models.Exists(
            CampaignReviewer.objects.filter(campaign_id=campaign_ref, user=user)
        ),
        "standing_group": models.Subquery(membership.values("group_id")[:1]),
        "standing_role": models.Subquery(membership.values("role")[:1]),
    }


def _fetch_with_standing(queryset, user, pk: int, campaign_field: str):
    """get_object_or_404(queryset, pk=pk), the user's standing in the object's campaign read in the
    same query and remembered for the request (so the checks that follow cost nothing)."""
    if not is_signed_in(user) or is_admin(user):
        return get_object_or_404(queryset, pk=pk)
    obj = get_object_or_404(
        queryset.annotate(**_standing_columns(user, models.OuterRef(campaign_field))), pk=pk
    )
    standing = (obj.standing_reviewer, obj.standing_group, obj.standing_role)
    remember(("standing", user.pk, getattr(obj, campaign_field)), standing)
    return obj


def _standing(user, campaign_id: int) -> tuple[bool, int | None, str | None]:
    """(is a reviewer, group id, group role) of a user in a campaign: one query, remembered for the
    rest of the request (every page asks several questions of it)."""

    def look_up():
        row = (
            Campaign.objects.filter(pk=campaign_id)
            .annotate(**_standing_columns(user, models.OuterRef("pk")))
            .values_list("standing_reviewer", "standing_group", "standing_role")
            .first()
        )
        return row or (False, None, None)

    return remembered(("standing", user.pk, campaign_id), look_up)


def campaign_role(user, campaign) -> str | None:
    """The user's role in a campaign, the strongest one if several; None if none."""
    if not is_signed_in(user):
        return None
    if is_admin(user):
        return Role.ADMIN
    reviewer, _group_id, role = _standing(user, campaign.pk)
    return Role.REVIEWER if reviewer else role  # "leader", "member" or None


def _membership_group_id(user, campaign) -> int | None:
    return _standing(user, campaign.pk)[1] if is_signed_in(user) else None


def visible_campaigns(user):
    """The campaigns a user has any role in (every campaign for administrators)."""
    if is_admin(user):
        return Campaign.objects.all()
    if not is_signed_in(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(
        models.Q(reviewer_links__user=user) | models.Q(groups__memberships__user=user)
    ).distinct()


def campaign_for_read(user, pk: int):
    """A campaign the user has a role in; 404 otherwise."""
    campaign = _fetch_with_standing(Campaign.objects.all(), user, pk, "pk")
    if campaign_role(user, campaign) is None:
        raise Http404
    return campaign


def campaign_for_admin(user, pk: int):
    """A campaign to change: readable (else 404) and the user an administrator (else 403)."""
    campaign = campaign_for_read(user, pk)
    require_admin(user)
    return campaign


def can_read_whole_campaign(user, campaign) -> bool:
    return campaign_role(user, campaign) in (Role.ADMIN, Role.REVIEWER)


def group_for_read(user, pk: int):
    """A group: administrators and the campaign's reviewers see every group; leaders and
    members see their own only (another group is 404)."""
    group = _fetch_with_standing(AssessmentGroup.objects.select_related("campaign"), user, pk, "campaign_id")
    if not _may_read_group(user, group):
        raise Http404
    return group


def group_for_admin(user, pk: int):
    group = group_for_read(user, pk)
    require_admin(user)
    return group


def _may_read_group(user, group, campaign=None) -> bool:
    campaign = campaign or group.campaign
    role = campaign_role(user, campaign)
    if role in (Role.ADMIN, Role.REVIEWER):
        return True
    return role is not None and _membership_group_id(user, campaign) == group.pk


def target_for_read(user, pk: int):
    target = _fetch_with_standing(
        Target.objects.select_related("campaign", "group", "unit"), user, pk, "campaign_id"
    )
    if not _may_read_group(user, target.group, target.campaign):
        raise Http404
    return target


def target_for_admin(user, pk: int):
    target = target_for_read(user, pk)
    require_admin(user)
    return target


def is_group_leader(user, group) -> bool:
    if not is_signed_in(user):
        return False
    _reviewer, group_id, role = _standing(user, group.campaign_id)
    return group_id == group.pk and role == Role.LEADER


def target_for_sampling_by_hand(user, pk: int):
    """Adding a unit to a sample by hand (a targeted check on a lead): the group's leader or an admin."""
    target = target_for_read(user, pk)
    if not (is_admin(user) or is_group_leader(user, target.group)):
        raise PermissionDenied(_("只有考核组组长或系统管理员可以增加专项抽查单位。"))
    return target


# --- the workspace of a target ------------------------------------------------------
#
# The group (its leader and members) and administrators write findings while
# the target is being filled in (填报中 / 退回修改). Reviewers read everything and
# act on submissions; they never edit findings. Whether the *state* allows a
# write is the workflow's rule (assessment.services.workflow), checked again by
# every service, so a hand-made POST meets the same refusal as the hidden button.


def _is_group_person(user, target) -> bool:
    return is_signed_in(user) and _standing(user, target.campaign_id)[1] == target.group_id


def can_write_findings(user, target) -> bool:
    return is_admin(user) or _is_group_person(user, target)


def target_for_edit(user, pk: int):
    """A target whose findings the user may write: readable (else 404), the user in its group or an
    administrator (else 403), and the target still being filled in (else 403)."""
    target = target_for_read(user, pk)
    if not can_write_findings(user, target):
        raise PermissionDenied(_("审核人员只能查看，不能修改考核内容。"))
    if message := locks.refusal(
        what=_("考核材料"),
        campaign_closed=target.campaign.is_closed,
        counties=[(target.unit.name, target.status)],
    ):
        raise PermissionDenied(message)
    return target


def can_submit(user, target) -> bool:
    return is_admin(user) or is_group_leader(user, target.group)


def can_review(user, target) -> bool:
    return campaign_role(user, target.campaign) in (Role.ADMIN, Role.REVIEWER)


def target_for_submit(user, pk: int):
    target = target_for_read(user, pk)
    if not can_submit(user, target):
        raise PermissionDenied(_("只有考核组组长可以提交。"))
    return target


def target_for_review(user, pk: int):
    target = target_for_read(user, pk)
    if not can_review(user, target):
        raise PermissionDenied(_("只有组织部审核人员可以审核。"))
    return target


# --- reports -------------------------------------------------------------------------


def can_download_report(user, target) -> bool:
    """The Word file goes to the group's leader, the campaign's reviewers and administrators;
    members read the preview."""
    return campaign_role(user, target.campaign) in (Role.ADMIN, Role.REVIEWER) or is_group_leader(
        user, target.group
    )


def target_for_report(user, pk: int):
    target = target_for_read(user, pk)
    if not can_download_report(user, target):
        raise PermissionDenied(_("考核报告由考核组组长、审核人员或系统管理员导出；您可以查看报告预览。"))
    return target


def campaign_for_review(user, pk: int):
    """The organization department's dashboard: the campaign's reviewers and administrators.
    Group leaders and members get 403; people with no role in the campaign, 404."""
    campaign = campaign_for_read(user, pk)
    if not can_read_whole_campaign(user, campaign):
        raise PermissionDenied(_("考核总览供组织部审核人员和系统管理员使用。"))
    return campaign
