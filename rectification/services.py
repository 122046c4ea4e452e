"""Writes to the ledger. Entries open when a target is finalized (and for the 点评's problems of its
unit); the unit's liaison writes measures, progress, completion and asks for 销号; the organization
department closes or returns, edits deadlines and responsibilities, and sends 催办; next year's
campaign carries the open entries. Who may call what is rectification.permissions'; the states
and the closure gate are rectification.domain.ledger's and enforced here."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import ChecklistItem, Problem, Target
from assessment.services.evidence import check_upload
from core.prose import chinese_date
from core.text import clean_text
from core.workdays import deadline_after
from liaison.models import Liaison
from liaison.services import deadlines_of, withdrawn, wording
from meetings.selectors import comment_problems

from .domain import ledger as rules
from .models import Entry, Event, Recurrence

log = logging.getLogger(__name__)
State = Entry.State


# --- opening entries ---------------------------------------------------------------------------


def _next_position(campaign, unit) -> int:
    return (Entry.objects.filter(campaign=campaign, unit=unit).aggregate(n=Max("position"))["n"] or 0) + 1


@transaction.atomic
def entries_for_target(target: Target) -> list[Entry]:
    """Every problem of the finalized ``target`` and every 点评 problem of its unit in the campaign,
    as entries (once each; a problem withdrawn on the unit's objection is left out). The deadline:
    the campaign's rectification workdays from today."""
    campaign, unit = target.campaign, target.unit
    deadline = deadline_after(timezone.localdate(), deadlines_of(campaign).rectification_workdays)
    have_problems = set(
        Entry.objects.filter(campaign=campaign, problem__isnull=False).values_list("problem_id", flat=True)
    )
    have_comments = set(
        Entry.objects.filter(campaign=campaign, comment_problem__isnull=False).values_list(
            "comment_problem_id", flat=True
        )
    )
    position = _next_position(campaign, unit)
    created = []
    problems = (
        Problem.objects.filter(target=target).select_related("item").order_by("item__order", "position", "pk")
    )
    for problem in problems:
        answer = getattr(problem, "answer", None)  # the unit's feedback, if it gave any
        if problem.pk in have_problems or withdrawn(answer):
            continue
        created.append(
            Entry(
                campaign=campaign,
                unit=unit,
                source=Entry.Source.INSPECTION,
                problem=problem,
                item=problem.item,
                item_title=problem.item.title,
                year=campaign.year,
                text=problem.text,
                responsible_unit=problem.owner_unit or unit.name,
                deadline=problem.deadline or deadline,
                repeat_years="、".join(str(y) for y in repeat_years(problem)),
                position=position + len(created),
            )
        )
    for comment in comment_problems(unit_ids=[unit.pk], campaign=campaign):
        answer = getattr(comment, "answer", None)
        if comment.pk in have_comments or withdrawn(answer):
            continue
        created.append(
            Entry(
                campaign=campaign,
                unit=unit,
                source=Entry.Source.MEETING,
                comment_problem=comment,
                year=campaign.year,
                text=wording(comment.text, answer),
                responsible_unit=unit.name,
                deadline=deadline,
                position=position + len(created),
            )
        )
    for entry in created:
        entry.save()
    return created


def ledger_sync(campaign) -> int:
    """Catch up (what is already there stays): entries for every finalized target of the campaign,
    and the open entries of its targets' units from the year before (上年遗留) — for a campaign whose
    groups were formed before last year's ledger was. How many new."""
    targets = list(Target.objects.filter(campaign=campaign).select_related("campaign", "unit"))
    added = sum(len(entries_for_target(t)) for t in targets if t.status == Target.Status.FINALIZED)
    return added + len(carry_over(campaign, [t.unit for t in targets]))


# --- carrying open entries into next year ------------------------------------------------------------


def _item_of(campaign, title: str) -> ChecklistItem | None:
    return ChecklistItem.objects.filter(campaign=campaign, title=title).first() if title else None


@transaction.atomic
def carry_over(campaign, units) -> list[Entry]:
    """The open entries of ``units`` from the latest earlier campaign with entries for each, carried
    into ``campaign`` as 上年遗留 (once each), in the item of the same title where there is one."""
    created = []
    for unit in units:
        earlier = (
            Entry.objects.filter(unit=unit, campaign__year__lt=campaign.year)
            .exclude(campaign=campaign)
            .order_by("-campaign__year")
            .values_list("campaign_id", flat=True)
            .first()
        )
        if earlier is None:
            continue
        already = set(
            Entry.objects.filter(campaign=campaign, carried_from__isnull=False).values_list(
                "carried_from_id", flat=True
            )
        )
        position = _next_position(campaign, unit)
        for old in (
            Entry.objects.filter(campaign_id=earlier, unit=unit)
            .exclude(state=State.CLOSED)
            .order_by("position", "pk")
        ):
            if old.pk in already:
                continue
            entry = Entry.objects.create(
                campaign=campaign,
                unit=unit,
                source=Entry.Source.CARRIED,
                carried_from=old,
                item=_item_of(campaign, old.item_title),
                item_title=old.item_title,
                year=old.year,
                text=old.text,
                responsible_unit=old.responsible_unit,
                responsible_person=old.responsible_person,
                measures=old.measures,
                state=State.IN_PROGRESS if old.measures else State.OPEN,
                repeat_years=old.repeat_years,
                position=position,
            )
            position += 1
            created.append(entry)
    return created


# --- the unit's side -------------------------------------------------------------------------------


def _locked(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("campaign", "unit").get(pk=entry.pk)


def _require_unit_writes(entry: Entry) -> None:
    if entry.state not in rules.UNIT_WRITES:
        raise ValidationError(
            _("该问题当前为“%(state)s”，不能修改整改情况。") % {"state": entry.get_state_display()}
        )


def _event(entry: Entry, kind: str, text: str, user, upload=None) -> Event:
    event = Event(entry=entry, kind=kind, text=text, by=user)
    if upload is not None:
        checked = check_upload(upload)
        event.file_name = checked.name[:120]
        event.file.save(
            f"{timezone.now():%Y%m%d%H%M%S%f}.{checked.file_type.extension}", checked.upload, save=False
        )
        stored, storage = event.file.name, event.file.storage
        try:
            event.save()
        except BaseException:
            storage.delete(stored)
            raise
        return event
    event.save()
    return event


@transaction.atomic
def measures_save(*, entry: Entry, measures: str, responsible_person: str = "", user) -> Entry:
    """The unit's 整改措施 (its plan): the entry is 整改中 from then."""
    entry = _locked(entry)
    _require_unit_writes(entry)
    measures = (measures or "").strip()
    if not measures:
        raise ValidationError({"measures": [_("请填写整改措施。")]})
    entry.measures = measures
    if responsible_person.strip():
        entry.responsible_person = clean_text(responsible_person)[:50]
    if entry.state == State.OPEN:
        entry.state = State.IN_PROGRESS
    entry.save()
    _event(entry, Event.Kind.MEASURES, measures, user)
    return entry


@transaction.atomic
def progress_add(*, entry: Entry, text: str, upload=None, user) -> Event:
    """A progress note, with its evidence."""
    entry = _locked(entry)
    _require_unit_writes(entry)
    text = (text or "").strip()
    if not text and upload is None:
        raise ValidationError({"text": [_("请填写整改进展或上传佐证材料。")]})
    if entry.state == State.OPEN:
        entry.state = State.IN_PROGRESS
        entry.save(update_fields=["state", "updated_at"])
    return _event(entry, Event.Kind.PROGRESS, text, user, upload)


@transaction.atomic
def completion_save(*, entry: Entry, note: str, user) -> Entry:
    entry = _locked(entry)
    _require_unit_writes(entry)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写完成情况。")]})
    entry.completion_note = note
    entry.save(update_fields=["completion_note", "updated_at"])
    _event(entry, Event.Kind.COMPLETION, note, user)
    return entry


def evidence_count(entry: Entry) -> int:
    return entry.events.exclude(file="").count()


def _gate(entry: Entry) -> None:
    gaps = rules.closure_gaps(
        measures=entry.measures, completion_note=entry.completion_note, evidence=evidence_count(entry)
    )
    if gaps:
        raise ValidationError(_("还不能销号：%(gaps)s。") % {"gaps": "；".join(gaps)})


@transaction.atomic
def closure_request(*, entry: Entry, user) -> Entry:
    """申请销号: with measures, a completion note and evidence (the closure gate)."""
    entry = _locked(entry)
    if entry.state not in rules.MAY_REQUEST:
        raise ValidationError(
            _("该问题当前为“%(state)s”，不能申请销号。") % {"state": entry.get_state_display()}
        )
    _gate(entry)
    entry.state = State.REQUESTED
    entry.save(update_fields=["state", "updated_at"])
    _event(entry, Event.Kind.REQUEST, "", user)
    return entry


# --- the organization department's side ------------------------------------------------------------


def _close_chain(entry: Entry, note: str, user, at) -> None:
    """Closing one year's entry closes the same problem carried from or into it."""
    chain = [e for e in (entry.carried_from,) if e is not None] + list(entry.carried_into.all())
    for other in chain:
        if other.state != State.CLOSED:
            other.state, other.closure_note, other.closed_by, other.closed_at = State.CLOSED, note, user, at
            other.save()
            _event(
                other,
                Event.Kind.CLOSE,
                _("随%(year)s年度台账销号：%(note)s") % {"year": entry.campaign.year, "note": note},
                user,
            )


@transaction.atomic
def close(*, entry: Entry, note: str, user) -> Entry:
    """认定销号, with the department's note; the closure gate holds here too."""
    entry = _locked(entry)
    if entry.state not in rules.MAY_CLOSE:
        raise ValidationError(
            _("只有申请销号的问题可以认定销号（当前为“%(state)s”）。") % {"state": entry.get_state_display()}
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请写明销号意见。")]})
    _gate(entry)
    now = timezone.now()
    entry.state, entry.closure_note, entry.closed_by, entry.closed_at = State.CLOSED, note, user, now
    entry.save()
    _event(entry, Event.Kind.CLOSE, note, user)
    _close_chain(entry, note, user, now)
    return entry


@transaction.atomic
def send_back(*, entry: Entry, note: str, user) -> Entry:
    """退回: the closure request not accepted, with why; the unit goes on."""
    entry = _locked(entry)
    if entry.state not in rules.MAY_RETURN:
        raise ValidationError(
            _("只有申请销号的问题可以退回（当前为“%(state)s”）。") % {"state": entry.get_state_display()}
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请写明退回的原因。")]})
    entry.state = State.RETURNED
    entry.save(update_fields=["state", "updated_at"])
    _event(entry, Event.Kind.RETURN, note, user)
    return entry


@transaction.atomic
def entry_edit(*, entry: Entry, deadline, responsible_unit: str, responsible_person: str, user) -> Entry:
    entry = _locked(entry)
    if entry.state == State.CLOSED:
        raise ValidationError(_("已销号的问题不能修改。"))
    before = (entry.deadline, entry.responsible_unit, entry.responsible_person)
    entry.deadline = deadline
    entry.responsible_unit = clean_text(responsible_unit)[:100]
    entry.responsible_person = clean_text(responsible_person)[:50]
    if before != (entry.deadline, entry.responsible_unit, entry.responsible_person):
        entry.save()
        _event(
            entry,
            Event.Kind.EDIT,
            _("整改时限：%(d)s；责任单位：%(u)s；责任人：%(p)s")
            % {
                "d": chinese_date(entry.deadline) if entry.deadline else "未设定",
                "u": entry.responsible_unit or "—",
                "p": entry.responsible_person or "—",
            },
            user,
        )
    return entry


@transaction.atomic
def remind(*, entries, user) -> int:
    """催办: a reminder on each unit's liaison's home page and, where mail is configured and the
    liaison has an address, an e-mail. Closed entries are skipped. How many were reminded."""
    count = 0
    mails: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.state == State.CLOSED:
            continue
        _event(entry, Event.Kind.REMIND, _("请抓紧整改，按时限报送整改情况。"), user)
        count += 1
        for liaison in Liaison.objects.filter(
            campaign_id=entry.campaign_id, unit_id=entry.unit_id
        ).select_related("user"):
            if liaison.user.email:
                mails.setdefault(liaison.user.email, []).append(entry)
    if getattr(settings, "EMAIL_HOST", "") and mails:
        for address, items in mails.items():
            lines = "\n".join(
                f"- {e.unit.name}：{e.text}（整改时限：{e.deadline or '未设定'}）" for e in items
            )
            transaction.on_commit(lambda address=address, lines=lines: _mail(address, lines))
    return count


def _mail(address: str, lines: str) -> None:
    try:
        send_mail(_("整改催办"), _("以下问题请抓紧整改：\n") + lines, None, [address])
    except OSError:  # the reminder on the home page stays; mail is a courtesy
        log.warning("催办邮件未发送：%s", address)


@transaction.atomic
def reminders_seen(*, entries, user) -> None:
    now = timezone.now()
    for event in Event.objects.filter(entry__in=entries, kind=Event.Kind.REMIND, seen_at__isnull=True):
        event.seen_at = now
        event.save(update_fields=["seen_at"])


# --- recurrence ------------------------------------------------------------------------------------


@transaction.atomic
def recurrence_decide(*, problem: Problem, earlier: Entry, same: bool, user) -> Recurrence:
    """A person answers "是否同一问题"; the same problem marks its entries 重复发生 (with the years)."""
    if earlier.unit_id != problem.target.unit_id or earlier.year >= problem.target.campaign.year:
        raise ValidationError(_("只能与本单位以前年度的问题比较。"))
    recurrence, _created = Recurrence.objects.update_or_create(
        problem=problem, earlier=earlier, defaults={"same": same, "decided_by": user}
    )
    return recurrence


def repeat_years(problem: Problem) -> list[int]:
    """The earlier years a problem was confirmed found in (重复发生), oldest first."""
    return sorted({r.earlier.year for r in problem.recurrences.filter(same=True).select_related("earlier")})
