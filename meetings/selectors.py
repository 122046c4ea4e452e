"""What the meeting's pages read, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import AgendaItem, CommentProblem, Meeting, Speaker, SpeakerImport
from .permissions import can_comment, can_prepare


def meeting_page(meeting: Meeting, user) -> dict:
    speakers = list(
        meeting.speakers.select_related("unit")
        .prefetch_related(Prefetch("problems", queryset=CommentProblem.objects.order_by("position", "pk")))
        .order_by("position", "pk")
    )
    agenda = list(meeting.agenda.order_by("position", "pk"))
    preparer = can_prepare(user, meeting.campaign)
    oral = [s for s in speakers if s.mode == Speaker.Mode.ORAL]
    return {
        "campaign": meeting.campaign,
        "meeting": meeting,
        "agenda": agenda,
        "speakers": speakers,
        "oral_count": len(oral),
        "written_count": len(speakers) - len(oral),
        "commented": sum(1 for s in speakers if s.achievements.strip()),
        "problem_count": sum(len(s.problems.all()) for s in speakers),
        "can_prepare": preparer,
        "can_comment": can_comment(user, meeting),
        "editable": meeting.state == Meeting.State.PREPARING,
        "kinds": AgendaItem.Kind.choices,
        "ballots": list(meeting.ballots.all()),  # the 民主测评 held at the meeting (ballots.Ballot.meeting)
        "imports": SpeakerImport.objects.filter(meeting=meeting).select_related("uploaded_by")[:5]
        if preparer
        else [],
    }


def comment_problems(unit_ids=None, campaign=None):
    """The problems the 点评 of held meetings named (source 述职评议点评), with their speaker and
    unit: what the dashboard's problem analysis and the rectification ledger read beside the
    inspection groups' problems."""
    rows = CommentProblem.objects.select_related("speaker__unit", "speaker__meeting").exclude(
        speaker__meeting__state=Meeting.State.PREPARING
    )
    if campaign is not None:
        rows = rows.filter(speaker__meeting__campaign=campaign)
    if unit_ids is not None:
        rows = rows.filter(speaker__unit_id__in=unit_ids)
    return rows.order_by("speaker__meeting", "speaker__position", "position")
