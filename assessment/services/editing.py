"""What every change to a target's findings goes through, written once: the workflow lock, the
version check against concurrent edits, validation, the write and its audit record, in one
transaction; a deletion takes the record's files with it; a move renumbers its list.

A versioned record (a subclass of ``models.findings.Versioned``: a deduction, a problem, an
evaluation point, a typical example, a recommendation) gives its own ``audit_snapshot()`` and
``audit_label()``, and its services are short calls of the skeleton below::

    record_create(target=…, user=…, create=…)          # lock the target; create validates and saves
    record_update(queryset, record, target=…, version=…, user=…, mine=…, clean=…)
    record_delete(queryset, record, target=…, version=…, user=…)
    record_move(siblings, record, target=…, up=…, version=…, user=…)

``services.findings`` and ``services.overview`` are written so; a new record type is a model
and those few lines.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import limits
from units.models import Unit

from ..models import AuditEntry, Evidence, Target
from ..models.findings import evidence_storage
from .locks import FINDINGS, target_refusal

Action = AuditEntry.Action
Record = TypeVar("Record", bound=models.Model)


class TargetLocked(PermissionDenied):
    """The target is not being filled in (submitted, approved, finalized): no finding may change."""


class EditConflict(Exception):
    """Someone saved the record after the version this edit started from.

    ``current`` is the record as saved by the other person; ``mine`` the values
    this edit tried to save. Nothing was written.
    """

    def __init__(self, *, current: models.Model, mine: dict, by=None, at=None):
        self.current = current
        self.mine = mine
        who = by or getattr(current, "updated_by", None) or _("其他人")
        when = at or getattr(current, "updated_at", None)
        at = date_format(timezone.localtime(when), "n月j日 H:i") if when else ""
        super().__init__(
            _("%(who)s 已于 %(at)s 修改了此内容，您的修改尚未保存。请对照两个版本后再保存。")
            % {"who": who, "at": at}
        )


def lock_editable(target: Target) -> Target:
    """Lock the target row for this transaction and check the lock (assessment.domain.locks) lets
    its findings change: the target being filled in, its campaign not closed.

    Locking serializes a group's edits with a submission, so nothing slips in
    while the leader submits.
    """
    target = (
        Target.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=target.pk)
    )
    if message := target_refusal(target, FINDINGS):
        raise TargetLocked(message)
    return target


class _Latest:
    def __repr__(self) -> str:
        return "LATEST"


#: The version to pass from code that writes over whatever is there on purpose (the demo data),
#: never from a form: a form sends the version its page showed.
LATEST = _Latest()


class RecordGone(ValidationError):
    """The record was deleted (by someone else, or by the first of a double click) meanwhile."""


def missing_version() -> ValidationError:
    return ValidationError(_("页面内容已过期，请刷新页面后再保存。"), code="version")


def check_version(obj: models.Model, version, mine: dict) -> None:
    """Every write to a versioned record names the version it was based on (a form's hidden
    ``version``): without one it is refused, and with an older one it is an EditConflict.
    ``LATEST`` (code, never a form) writes over the current version knowingly."""
    if version is None:
        raise missing_version()
    if version is not LATEST and obj.version != version:
        raise EditConflict(current=obj, mine=mine)


def locked_record(queryset: models.QuerySet, pk: int) -> models.Model:
    """The record, locked for the rest of the transaction; RecordGone when it no longer exists."""
    obj = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise RecordGone(_("这条记录已被删除，您的修改未保存。请刷新页面。"))
    return obj


def bump(obj: models.Model, user) -> None:
    obj.version += 1
    obj.updated_by = user


def parse_points(value, *, field: str, label: str, allow_zero: bool = False) -> Decimal:
    """A score as typed: a number with at most two decimals, positive (or zero if allowed), under 1,000."""
    try:
        number = Decimal(str(value).strip().removesuffix("分"))
    except (InvalidOperation, AttributeError):
        raise ValidationError({field: [_("%(label)s须为数字，如 0.5 或 2。") % {"label": label}]}) from None
    if not number.is_finite():
        raise ValidationError({field: [_("%(label)s须为数字，如 0.5 或 2。") % {"label": label}]})
    if number < 0 or (number == 0 and not allow_zero) or number >= 1000:
        if allow_zero:
            raise ValidationError({field: [_("%(label)s须在0至1000之间。") % {"label": label}]})
        raise ValidationError({field: [_("%(label)s须大于0且小于1000。") % {"label": label}]})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("%(label)s最多保留两位小数。") % {"label": label}]})
    return number


def parse_text(
    value: str, *, field: str, label: str, required: bool = True, max_length: int = limits.PARAGRAPH
) -> str:
    """A text as typed: trimmed, present unless not ``required``, at most ``max_length`` characters."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: [_("请填写%(label)s。") % {"label": label}]})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: [
                    _("%(label)s最多%(limit)s字，现有%(count)s字，请精简后再保存。")
                    % {"label": label, "limit": f"{max_length:,}", "count": f"{len(text):,}"}
                ]
            }
        )
    return text


def check_unit(target: Target, unit: Unit | None, field: str = "unit") -> None:
    """A record of a target may name a unit of its county (the county itself or any unit below)."""
    if unit is not None and not (
        unit.pk == target.unit_id or unit.ancestry.startswith(target.unit.descendant_prefix)
    ):
        raise ValidationError(
            {field: [_("“%(unit)s”不是%(county)s的单位。") % {"unit": unit.name, "county": target.unit.name}]}
        )


def next_position(siblings: models.QuerySet) -> int:
    """The position after the last of a list (a new record goes at its end)."""
    last = siblings.aggregate(m=Max("position"))["m"]
    return 0 if last is None else last + 1


# --- the audit trail -----------------------------------------------------------------


COALESCE_WINDOW = dt.timedelta(minutes=10)


def audit(
    *,
    target: Target,
    user,
    action: str,
    obj: models.Model,
    before: dict | None,
    after: dict | None,
    coalesce: bool = False,
    title: str | None = None,
) -> AuditEntry:
    """Record a change of ``obj`` (its label from ``obj.audit_label()``; ``before`` and ``after`` are
    its ``audit_snapshot()``s). With ``coalesce`` (text saved as the user types), a run of saves of the
    same object by the same person within ten minutes stays one entry: first before, last after.
    ``title`` names the change where the object's own label would not (e.g. 移交考核组)."""
    model = obj._meta.label_lower
    if coalesce and action == AuditEntry.Action.UPDATE:
        last = AuditEntry.objects.filter(model=model, object_id=obj.pk).order_by("-at", "-pk").first()
        if (
            last is not None
            and last.actor_id == user.pk
            and last.action == AuditEntry.Action.UPDATE
            and last.at >= timezone.now() - COALESCE_WINDOW
        ):
            last.after = after
            last.at = timezone.now()
            last.save(update_fields=["after", "at"])
            return last
    return AuditEntry.objects.create(
        target=target,
        actor=user,
        action=action,
        model=model,
        object_id=obj.pk,
        label=(title or obj.audit_label())[:200],
        before=before,
        after=after,
    )


def audit_each(targets, **entry) -> None:
    """The same change in the 修改记录 of every county it touches (a group's, a campaign's)."""
    for target in targets:
        audit(target=target, **entry)


# --- files -------------------------------------------------------------------------------


def delete_files(names: list[str]) -> None:
    storage = evidence_storage()
    for name in names:
        if name:
            storage.delete(name)


def discard_files_on_commit(evidence_queryset) -> None:
    """For code that deletes evidence rows in bulk or by cascade (deleting a deduction, a problem):
    call before the delete, inside its transaction, so the stored files go once it commits."""
    names = [name for pair in evidence_queryset.values_list("file", "thumbnail") for name in pair if name]
    if names:
        transaction.on_commit(lambda: delete_files(names))


def _evidence_of(record: models.Model) -> list[models.QuerySet]:
    """The evidence attached to ``record`` (every relation from Evidence to its model), which goes
    with it: a record type that takes files needs nothing more than the foreign key."""
    return [
        getattr(record, relation.get_accessor_name()).all()
        for relation in record._meta.related_objects
        if relation.related_model is Evidence
    ]


# --- the skeleton of a versioned record's services ----------------------------------------

#: Called inside the transaction once a record is written, audited or deleted: what else the change
#: means (a changed deduction withdraws its item's score decision).
Then = Callable[[Target, Record], None] | None


@transaction.atomic
def record_create(*, target: Target, user, create: Callable[[Target], Record], then: Then = None) -> Record:
    """Lock the target (refused unless it is being filled in); ``create(target)`` validates against
    the locked target and saves the record; the creation is audited."""
    target = lock_editable(target)
    record = create(target)
    audit(
        target=target, user=user, action=Action.CREATE, obj=record, before=None, after=record.audit_snapshot()
    )
    if then is not None:
        then(target, record)
    return record


@transaction.atomic
def record_update(
    queryset: models.QuerySet,
    record: Record,
    *,
    target: Target,
    version,
    user,
    mine: dict,
    clean: Callable[[Target, Record], dict],
    then: Then = None,
) -> Record:
    """Lock the target, lock the record (``queryset`` loads it with what its snapshot reads), check
    the version the edit started from (``mine``: the values sent, shown beside the other person's in
    a conflict), validate (``clean(target, record)`` returns the fields to set), write with the next
    version, audit before and after."""
    target = lock_editable(target)
    record = locked_record(queryset, record.pk)
    check_version(record, version, mine)
    values = clean(target, record)
    before = record.audit_snapshot()
    for name, value in values.items():
        setattr(record, name, value)
    bump(record, user)
    record.save()
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=record,
        before=before,
        after=record.audit_snapshot(),
    )
    if then is not None:
        then(target, record)
    return record


@transaction.atomic
def record_delete(
    queryset: models.QuerySet, record: Record, *, target: Target, version, user, then: Then = None
) -> None:
    """Lock the target and the record, check the version, audit, delete it with its files (once the
    transaction commits). A record already gone (a double click) is what was asked: nothing to do."""
    target = lock_editable(target)
    try:
        record = locked_record(queryset, record.pk)
    except RecordGone:
        return
    check_version(record, version, {})
    audit(
        target=target, user=user, action=Action.DELETE, obj=record, before=record.audit_snapshot(), after=None
    )
    for evidence in _evidence_of(record):
        discard_files_on_commit(evidence)
    record.delete()
    if then is not None:
        then(target, record)


@transaction.atomic
def record_move(
    siblings: models.QuerySet, record: models.Model, *, target: Target, up: bool, version, user
) -> None:
    """Swap ``record`` (at ``version``) with its neighbour in its list (``siblings``, ordered by
    position), renumbering 0..n; every record whose position changed is audited, the neighbour as
    well as the record. A move changes no text, so it bumps no version."""
    target = lock_editable(target)
    ordered = list(siblings.select_for_update(of=("self",)).order_by("position", "pk"))
    index = next((i for i, o in enumerate(ordered) if o.pk == record.pk), None)
    if index is None:
        raise RecordGone(_("这条记录已被删除。请刷新页面。"))
    check_version(ordered[index], version, {})
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, o in enumerate(ordered):
        if o.position != position:
            before = o.audit_snapshot()
            o.position = position
            o.save(update_fields=["position"])
            audit(
                target=target, user=user, action=Action.UPDATE, obj=o, before=before, after=o.audit_snapshot()
            )
