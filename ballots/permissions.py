"""Who may manage a 民主测评 (the contract: accounts.permissions).

Administrators and the campaign's reviewers prepare the ballot, issue codes, enter paper ballots,
open and close it and read its results. Others with a role in the campaign (group leaders and
members) are refused (403); people outside the campaign are told it does not exist (404). The phone
ballot page needs no account: it is gated by its one-use code (ballots.services.voting), not here.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

# The shared part of the contract, for this app's views.
from accounts.permissions import admin_required as admin_required
from accounts.permissions import is_admin as is_admin
from accounts.permissions import is_signed_in
from assessment.models import Campaign
from assessment.permissions import Role, campaign_role
from meetings.models import Meeting

from .models import Ballot, BallotImport, PaperBatch

MANAGERS = (Role.ADMIN, Role.REVIEWER)


def can_manage(user, campaign) -> bool:
    return campaign_role(user, campaign) in MANAGERS


def _checked(user, campaign) -> None:
    """404 outside the campaign, 403 for its people who may not manage ballots."""
    role = campaign_role(user, campaign) if is_signed_in(user) else None
    if role is None:
        raise Http404
    if role not in MANAGERS:
        raise PermissionDenied(_("只有系统管理员和本次考核的审核人员可以管理民主测评。"))


def campaign_for_ballots(user, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=pk)
    _checked(user, campaign)
    return campaign


def meeting_for_ballots(user, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("campaign"), pk=pk)
    _checked(user, meeting.campaign)
    return meeting


def ballot_for_manage(user, pk: int) -> Ballot:
    ballot = get_object_or_404(Ballot.objects.select_related("campaign"), pk=pk)
    _checked(user, ballot.campaign)
    return ballot


def batch_for_manage(user, pk: int) -> PaperBatch:
    batch = get_object_or_404(PaperBatch.objects.select_related("ballot__campaign"), pk=pk)
    _checked(user, batch.ballot.campaign)
    return batch


def upload_for_manage(user, pk: int) -> BallotImport:
    upload = get_object_or_404(BallotImport.objects.select_related("ballot__campaign", "uploaded_by"), pk=pk)
    _checked(user, upload.ballot.campaign)
    return upload
