"""Who may do what with a 述职评议 meeting (the contract: accounts.permissions).

Administrators and the campaign's reviewers prepare the meeting (details, agenda, speakers,
imports, the room). The chair's account edits the 点评 too. Everyone else with a role in the
campaign reads the meeting and its 点评; people outside the campaign are told it does not exist (404).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.permissions import is_signed_in
from assessment.models import Campaign
from assessment.permissions import Role, campaign_role

from .models import AgendaItem, Meeting, Speaker, SpeakerImport

PREPARERS = (Role.ADMIN, Role.REVIEWER)


def can_prepare(user, campaign) -> bool:
    return campaign_role(user, campaign) in PREPARERS


def is_chair(user, meeting: Meeting) -> bool:
    return is_signed_in(user) and meeting.chair_id is not None and meeting.chair_id == user.pk


def can_comment(user, meeting: Meeting) -> bool:
    return can_prepare(user, meeting.campaign) or is_chair(user, meeting)


def _readable(user, campaign, meeting: Meeting | None = None) -> None:
    if campaign_role(user, campaign) is None and not (meeting is not None and is_chair(user, meeting)):
        raise Http404


def campaign_for_read(user, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=pk)
    _readable(user, campaign)
    return campaign


def campaign_for_prepare(user, pk: int) -> Campaign:
    campaign = campaign_for_read(user, pk)
    if not can_prepare(user, campaign):
        raise PermissionDenied(_("只有系统管理员和本次考核的审核人员可以筹备述职评议会议。"))
    return campaign


def meeting_for_read(user, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("campaign", "chair"), pk=pk)
    _readable(user, meeting.campaign, meeting)
    return meeting


def meeting_for_prepare(user, pk: int) -> Meeting:
    meeting = meeting_for_read(user, pk)
    if not can_prepare(user, meeting.campaign):
        raise PermissionDenied(_("只有系统管理员和本次考核的审核人员可以筹备述职评议会议。"))
    return meeting


def agenda_for_read(user, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__campaign"), pk=pk)
    meeting_for_read(user, item.meeting_id)
    return item


def agenda_for_prepare(user, pk: int) -> AgendaItem:
    item = agenda_for_read(user, pk)
    meeting_for_prepare(user, item.meeting_id)
    return item


def speaker_for_read(user, pk: int) -> Speaker:
    speaker = get_object_or_404(Speaker.objects.select_related("meeting__campaign", "unit"), pk=pk)
    meeting_for_read(user, speaker.meeting_id)
    return speaker


def speaker_for_prepare(user, pk: int) -> Speaker:
    speaker = speaker_for_read(user, pk)
    meeting_for_prepare(user, speaker.meeting_id)
    return speaker


def speaker_for_comment(user, pk: int) -> Speaker:
    speaker = speaker_for_read(user, pk)
    if not can_comment(user, speaker.meeting):
        raise PermissionDenied(_("只有主持人、系统管理员和本次考核的审核人员可以修改点评。"))
    return speaker


def upload_for_prepare(user, pk: int) -> SpeakerImport:
    upload = get_object_or_404(
        SpeakerImport.objects.select_related("meeting__campaign", "uploaded_by"), pk=pk
    )
    meeting_for_prepare(user, upload.meeting_id)
    return upload
