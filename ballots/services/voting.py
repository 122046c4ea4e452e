"""Voting on a phone with a one-use code: once, and only once.

``vote_cast`` spends the code and stores its ballot in one transaction. The spend is a conditional
UPDATE (``used`` false → true): of two submissions of the same code racing each other, the database
lets exactly one change the row, and the other finds it used — "此测评码已使用", never a second
ballot. The stored ballot carries the category and the marks only (ballots.models).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..domain import tokens
from ..domain.counting import ABSTAIN
from ..models import Ballot, CastBallot, Token


class VoteRefused(Exception):
    """A code that cannot vote; ``reason`` is one of the constants below, ``str()`` the message."""

    UNKNOWN = "unknown"
    USED = "used"
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    BAD_MARK = "bad_mark"

    MESSAGES = {
        UNKNOWN: "没有这个测评码。请核对测评码上的字母和数字（没有 0、O、1、I）。",
        USED: "此测评码已使用，每个测评码只能提交一次。",
        NOT_OPEN: "测评尚未开始，请稍后再扫码。",
        CLOSED: "测评已经结束，不能再提交。",
        BAD_MARK: "提交的内容不完整或有误，请刷新后重新填写。",
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(_(self.MESSAGES[reason]))


def token_for_vote(typed: str) -> Token:
    """The code's token, if it can still vote; VoteRefused otherwise."""
    code = tokens.normalize(typed)
    token = (
        Token.objects.select_related("ballot__campaign", "category").filter(code=code).first()
        if code is not None
        else None
    )
    if token is None:
        raise VoteRefused(VoteRefused.UNKNOWN)
    if token.used:
        raise VoteRefused(VoteRefused.USED)
    if token.ballot.state == Ballot.State.DRAFT:
        raise VoteRefused(VoteRefused.NOT_OPEN)
    if token.ballot.state == Ballot.State.CLOSED:
        raise VoteRefused(VoteRefused.CLOSED)
    return token


def clean_marks(ballot: Ballot, submitted: dict[str, str]) -> dict[str, str]:
    """The marks of a phone ballot: for every subject an option's label or 弃权 (left blank). A
    phone cannot tick two options, so anything else is a tampered request, refused."""
    labels = set(ballot.options.values_list("label", flat=True))
    marks = {}
    for subject_id in ballot.subjects.values_list("pk", flat=True):
        value = (submitted.get(str(subject_id)) or "").strip()
        if value and value not in labels:
            raise VoteRefused(VoteRefused.BAD_MARK)
        marks[str(subject_id)] = value or ABSTAIN
    return marks


def vote_cast(*, code: str, submitted: dict[str, str]) -> Ballot:
    """Spend ``code`` and store its ballot (``submitted``: subject pk → option label or ""), or raise
    VoteRefused; the ballot voted in. Nothing about the voter is stored: no code, no time, no address."""
    token = token_for_vote(code)  # the clear message for a code that cannot vote at all
    marks = clean_marks(token.ballot, submitted)
    with transaction.atomic():
        spent = Token.objects.filter(pk=token.pk, used=False).update(used=True)
        if spent != 1:
            raise VoteRefused(VoteRefused.USED)
        # Read after the spend, in a statement of its own: a close that committed meanwhile is seen
        # here (ballots.services.setup.ballot_close locks the codes before closing).
        state = Ballot.objects.filter(pk=token.ballot_id).values_list("state", flat=True).get()
        if state != Ballot.State.OPEN:
            raise VoteRefused(VoteRefused.CLOSED)
        CastBallot.objects.create(
            ballot_id=token.ballot_id,
            category_id=token.category_id,
            channel=CastBallot.Channel.PHONE,
            marks=marks,
        )
    return token.ballot
