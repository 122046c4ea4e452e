"""Preparing, opening, closing and reopening a 民主测评, and issuing its codes.

Subjects, options and categories (with their weights) are set while the ballot is 准备中 and frozen
once it opens; 实到 is entered at the meeting, until the ballot closes. Closing freezes the count;
reopening needs a reason, recorded with who and when (``StateChange``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..domain.counting import DEFAULT_OPTIONS
from ..models import DEFAULT_CATEGORIES, Ballot, Category, Option, StateChange, Subject, Token, TokenIssue

MAX_TOKENS_AT_ONCE = 2000


def _locked(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("campaign").get(pk=ballot.pk)


def _require_state(ballot: Ballot, *states: str, doing: str) -> None:
    if ballot.state not in states:
        raise ValidationError(
            _("测评%(state)s，不能%(doing)s。") % {"state": ballot.get_state_display(), "doing": doing}
        )


@transaction.atomic
def ballot_create(*, campaign, user, title: str = "民主测评", subjects=()) -> Ballot:
    """A new ballot with the default options (好 100, 较好 80, 一般 60, 差 40) and voter categories
    (县级领导干部 0.3, 乡镇和县直部门主要负责人 0.4, 党代表和群众代表 0.3). ``subjects``: (unit, name,
    title) of the people rated, in order."""
    title = (title or "").strip() or "民主测评"
    ballot = Ballot.objects.create(campaign=campaign, title=title[:100], created_by=user)
    for position, (label, score, good) in enumerate(DEFAULT_OPTIONS):
        Option.objects.create(ballot=ballot, position=position, label=label, score=score, good=good)
    for position, (name, weight) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.create(ballot=ballot, position=position, name=name, weight=weight)
    _set_subjects(ballot, subjects)
    return ballot


@transaction.atomic
def ballot_for_meeting(*, meeting, user) -> Ballot:
    """The 民主测评 of a 述职评议 meeting: its speakers (oral and written, in the meeting's order) are
    the subjects. A meeting that already has a ballot is refused: one per meeting from here (more,
    per group of subjects, are made on the ballots page)."""
    if meeting.ballots.exists():
        raise ValidationError(_("这次会议已经有民主测评。"))
    speakers = list(meeting.speakers.select_related("unit__parent").order_by("position", "pk"))
    if not speakers:
        raise ValidationError(_("会议还没有述职人，不能发起民主测评。"))
    ballot = ballot_create(
        campaign=meeting.campaign,
        user=user,
        title=f"{meeting.title}民主测评"[:100],
        subjects=[(s.unit, s.name, s.title) for s in speakers],
    )
    ballot.meeting = meeting
    ballot.save()
    return ballot


def _set_subjects(ballot: Ballot, subjects) -> None:
    seen: set[int] = set()
    labels: set[str] = set()
    for position, (unit, name, title) in enumerate(subjects):
        if unit.pk in seen:
            raise ValidationError(_("测评对象“%(unit)s”重复。") % {"unit": unit.name})
        label = unit.name
        if label in labels:  # two units of the same name (two 城关镇): tell them apart by the parent
            label = f"{unit.parent.name}{unit.name}" if unit.parent_id else f"{unit.name}{position + 1}"
        seen.add(unit.pk)
        labels.add(label)
        Subject.objects.create(
            ballot=ballot,
            position=position,
            unit=unit,
            label=label,
            name=(name or "")[:30],
            title=(title or "")[:60],
        )


@transaction.atomic
def subjects_set(*, ballot: Ballot, user, subjects) -> None:
    """Replace the subjects (while 准备中): (unit, name, title) in order."""
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.DRAFT, doing=_("修改测评对象"))
    ballot.subjects.all().delete()
    _set_subjects(ballot, subjects)


@transaction.atomic
def ballot_update(
    *, ballot: Ballot, user, title: str, quorum_numerator: int, quorum_denominator: int, address: str
) -> Ballot:
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.DRAFT, Ballot.State.OPEN, doing=_("修改设置"))
    if quorum_denominator <= 0 or not 0 <= quorum_numerator <= quorum_denominator:
        raise ValidationError(_("有效票下限应为不大于 1 的分数，例如 2/3。"))
    if ballot.state != Ballot.State.DRAFT and (quorum_numerator, quorum_denominator) != (
        ballot.quorum_numerator,
        ballot.quorum_denominator,
    ):
        raise ValidationError(_("测评已开始，不能修改有效票下限。"))
    ballot.title = title.strip()[:100] or ballot.title
    ballot.quorum_numerator, ballot.quorum_denominator = quorum_numerator, quorum_denominator
    ballot.address = address.strip()
    ballot.save()
    return ballot


@transaction.atomic
def options_set(*, ballot: Ballot, user, options: list[tuple[str, Decimal, bool]]) -> None:
    """Replace the options (while 准备中): (label, score, counts towards 好评率) in order."""
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.DRAFT, doing=_("修改选项"))
    labels = [label.strip() for label, _score, _good in options]
    if len(options) < 2:
        raise ValidationError(_("至少要有两个选项。"))
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        raise ValidationError(_("选项名称不能为空，也不能重复。"))
    if any(label in ("弃权", "无效") for label in labels):
        raise ValidationError(_("“弃权”和“无效”不是选项：不填即弃权，多选即无效。"))
    ballot.options.all().delete()
    for position, (_label, score, good) in enumerate(options):
        Option.objects.create(
            ballot=ballot, position=position, label=labels[position], score=score, good=good
        )


@transaction.atomic
def categories_set(*, ballot: Ballot, user, categories: list[tuple[str, Decimal, int]]) -> None:
    """Replace the voter categories (while 准备中, before any code is issued): (name, weight, 应到)."""
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.DRAFT, doing=_("修改测评人类别"))
    if ballot.tokens.exists():
        raise ValidationError(_("已生成测评码，不能再修改测评人类别。"))
    names = [name.strip() for name, _weight, _expected in categories]
    if not categories:
        raise ValidationError(_("至少要有一个测评人类别。"))
    if any(not name for name in names) or len(set(names)) != len(names):
        raise ValidationError(_("测评人类别名称不能为空，也不能重复。"))
    ballot.categories.all().delete()
    for position, (_name, weight, expected) in enumerate(categories):
        Category.objects.create(
            ballot=ballot, position=position, name=names[position], weight=weight, expected=expected
        )


@transaction.atomic
def present_set(*, ballot: Ballot, user, present: dict[int, int | None]) -> None:
    """实到 per category (category pk → count, None while unknown), until the ballot closes."""
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.DRAFT, Ballot.State.OPEN, doing=_("修改实到人数"))
    for category in ballot.categories.all():
        if category.pk in present and present[category.pk] != category.present:
            category.present = present[category.pk]
            category.save(update_fields=["present"])


def weights_problem(weights: list[Decimal]) -> str | None:
    total = sum(weights, Decimal(0))
    if total != Decimal(1):
        return _("各类别权重之和应为 1，现在是 %(total)s。") % {"total": format(total.normalize(), "f")}
    return None


@transaction.atomic
def ballot_open(*, ballot: Ballot, user) -> Ballot:
    """Open voting: the setup is checked and frozen; each category gets codes up to its 应到."""
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.DRAFT, doing=_("开始"))
    problems = []
    if not ballot.subjects.exists():
        problems.append(_("还没有测评对象。"))
    categories = list(ballot.categories.all())
    problem = weights_problem([c.weight for c in categories])
    if problem:
        problems.append(problem)
    if problems:
        raise ValidationError(problems)
    ballot.state = Ballot.State.OPEN
    ballot.save(update_fields=["state"])
    StateChange.objects.create(ballot=ballot, state=Ballot.State.OPEN, by=user)
    for category in categories:
        missing = category.expected - category.tokens.count()
        if missing > 0:
            _issue(ballot, category, missing, user)
    return ballot


@transaction.atomic
def ballot_close(*, ballot: Ballot, user) -> Ballot:
    """Close voting: no code is spent and no paper ballot entered after this commits. The codes are
    locked first, so a vote in flight either finishes before the close or is refused after it."""
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.OPEN, doing=_("结束"))
    list(Token.objects.select_for_update().filter(ballot=ballot).values_list("pk", flat=True))
    ballot.state = Ballot.State.CLOSED
    # The only time a received ballot is known by: the closing, to the minute.
    ballot.closed_at = timezone.now().replace(second=0, microsecond=0)
    ballot.save(update_fields=["state", "closed_at"])
    StateChange.objects.create(ballot=ballot, state=Ballot.State.CLOSED, by=user)
    return ballot


@transaction.atomic
def ballot_reopen(*, ballot: Ballot, user, reason: str) -> Ballot:
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.CLOSED, doing=_("重新开始"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("重新开始测评须说明原因。"))
    ballot.state = Ballot.State.OPEN
    ballot.closed_at = None
    ballot.save(update_fields=["state", "closed_at"])
    StateChange.objects.create(ballot=ballot, state=Ballot.State.OPEN, reason=reason[:200], by=user)
    return ballot


def _issue(ballot: Ballot, category: Category, count: int, user) -> list[Token]:
    made = Token.objects.bulk_create([Token(ballot=ballot, category=category) for _ in range(count)])
    TokenIssue.objects.create(ballot=ballot, category=category, count=count, issued_by=user)
    return made


@transaction.atomic
def tokens_issue(*, ballot: Ballot, category: Category, count: int, user) -> list[Token]:
    """``count`` more codes for ``category`` (extra seats, a lost slip): before or during voting."""
    ballot = _locked(ballot)
    _require_state(ballot, Ballot.State.DRAFT, Ballot.State.OPEN, doing=_("生成测评码"))
    if category.ballot_id != ballot.pk:
        raise ValidationError(_("测评人类别不属于此测评。"))
    if not 1 <= count <= MAX_TOKENS_AT_ONCE:
        raise ValidationError(_("一次生成 1 至 %(max)d 个测评码。") % {"max": MAX_TOKENS_AT_ONCE})
    return _issue(ballot, category, count, user)
