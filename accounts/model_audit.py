"""Every write of every model of ours in the security audit log, with its values before and after.

Connected once, in ``AccountsConfig.ready``, for the models of our apps (and Django's user groups):

- a save of a new row is a CREATE entry with the row's values (``after``);
- a save of an existing row is an UPDATE entry with the fields that changed, before and after
  (read back from the database just before the save: one query by primary key); a save that
  changes nothing is not recorded;
- a deletion, including every row a cascade takes with it, is a DELETE entry with the row's
  values (``before``) and, for a cascade, what was deleted to cause it;
- a change of a many-to-many relation (a user's groups, a campaign's reviewers) is an UPDATE
  of the object holding it, with the whole list before and after.

Values are JSON: a foreign key as ``{"id": …, "label": …}``, a file as its name, a decimal as its
digits, a date or time in ISO format (local time), other values as they are; a password never
(only that it changed). Derived and bookkeeping columns are left out (``SKIPPED_FIELDS``).

Who acted comes from ``accounts.acting``: the request being served, or the person or command a
task runs for.

Bulk writes do not send Django's signals, so the code that uses them goes through this module:
``created(Model.objects.bulk_create(...))``, ``update(queryset, field=value)`` instead of
``queryset.update(...)``, and ``with tracked(queryset):`` around a block of bulk updates (a
renumbering, an import). The test suite refuses a bulk write to an audited model from our code
made any other way (tests/conftest.py, ``bulk_write_allowed``).

Not audited (``NOT_AUDITED``): the log itself; sessions, sign-in attempts (django-axes; failures,
lockouts and unlocks have entries of their own), background task results, the admin's own change
log, content types and permissions (created by migrations), core.FormToken (which rendered
form created what: the creation itself is recorded) and core.WorkerHeartbeat (a running worker's
row, rewritten every few seconds). The application's own change records
(a county's 修改记录, the checklist's changes, report export records) are written beside changes
the trail already has, so only their deletion is recorded (``ONLY_DELETES``); a batch export's
progress is the worker's bookkeeping, so only its creation and deletion are (``NO_UPDATES``).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from . import acting
from .audit import Kind, entry
from .models import AuditLog

AUDITED_APPS = (
    "accounts",
    "core",
    "units",
    "assessment",
    "meetings",
    "ballots",
    "liaison",
    "rectification",
    "reports",
    "results",
    "people",
)
AUDITED_EXTRA = ("auth.group",)
NOT_AUDITED = {
    "accounts.auditlog": "the log itself (append-only)",
    "core.formtoken": "which rendered form created what; the creation itself is recorded",
    "core.workerheartbeat": "a running worker's heartbeat, written every few seconds (core.worker)",
    # 民主测评 is secret: an entry per received ballot or per spent code would carry its moment and
    # request, and pair a code (whose slip someone was handed) with the ballot it became. Issuing
    # codes, entering or withdrawing a paper batch and the ballot's own changes are recorded instead.
    "ballots.castballot": "a received ballot: secret (ballots.models)",
    "ballots.token": "a one-use code: its spend must not be paired with a ballot (ballots.models)",
}
ONLY_DELETES = {"assessment.auditentry", "assessment.checklistchange", "reports.reportexport"}
NO_UPDATES = {"reports.reportbatch"}

# Columns no reader of the trail needs: derived from others (a unit's path of ancestors follows its
# parent), or counters that change with every save (a record's version).
SKIPPED_FIELDS = {
    "units.unit": {"ancestry"},
    # A ledger entry keeps its problem's words and item's title; the links only say where it came
    # from, and are cleared (SET_NULL) when a reopened target's problem or an item is deleted.
    "rectification.entry": {"problem", "comment_problem", "item"},
    "*": {"version", "narrative_version", "last_login"},
}
SECRET_FIELDS = {"accounts.user": {"password"}}
SECRET_SET = "（已设置）"
SECRET_UNUSABLE = "（未设置，不能用密码登录）"  # Django's unusable passwords begin with "!"
SECRET_BEFORE = "（原密码）"
SECRET_AFTER = "（新密码）"

# A JSON value longer than this (serialized) is stored cut short, with its length.
MAX_JSON_CHARS = 20_000


def model_label(model) -> str:
    return model._meta.label_lower


def audited_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        label = model_label(model)
        if label in NOT_AUDITED or model._meta.proxy:
            continue
        if model._meta.app_label in AUDITED_APPS or label in AUDITED_EXTRA:
            found.append(model)
    return found


def is_audited(model, action: str) -> bool:
    """Whether ``action`` ("create", "update" or "delete") of ``model`` goes in the trail."""
    label = model_label(model)
    if label in NOT_AUDITED or not (model._meta.app_label in AUDITED_APPS or label in AUDITED_EXTRA):
        return False
    if label in ONLY_DELETES:
        return action == "delete"
    if label in NO_UPDATES:
        return action != "update"
    return True


# --- values ----------------------------------------------------------------------------------------

_fields_cache: dict[type, list] = {}


def snapshot_fields(model) -> list:
    """The concrete fields whose values the trail keeps, the primary key and timestamps excluded."""
    fields = _fields_cache.get(model)
    if fields is None:
        label = model_label(model)
        skipped = SKIPPED_FIELDS.get(label, set()) | SKIPPED_FIELDS["*"]
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and f.name not in skipped
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        ]
        _fields_cache[model] = fields
    return fields


def _is_secret(model, field) -> bool:
    return field.name in SECRET_FIELDS.get(model_label(model), ())


def _raw(instance, field):
    """The field's value as the database holds it (a foreign key's id, a file's name)."""
    value = getattr(instance, field.attname)
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    return value


def plain(field, value):
    """A JSON value for ``value`` of ``field``, the same whatever Python type it arrived in (a form's
    string, the database's Decimal), so that two values compare equal exactly when they are."""
    if value is None:
        return None
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    if not field.is_relation and not isinstance(field, models.JSONField):
        with suppress(ValidationError, TypeError, ValueError):
            value = field.to_python(value)
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return _("（%(count)d 字节的二进制数据）") % {"count": len(value)}
    if isinstance(field, models.JSONField) or isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
        if len(text) > MAX_JSON_CHARS:
            return _("%(start)s…（共 %(count)s 字，已截断）") % {
                "start": text[:MAX_JSON_CHARS],
                "count": f"{len(text):,}",
            }
        return json.loads(text)
    return str(value)


def object_label(obj) -> str:
    try:
        return str(obj)[:200]
    except ObjectDoesNotExist:  # names a relative deleted in the same cascade
        return f"{obj._meta.verbose_name} #{obj.pk}"


class Labels:
    """Names of related objects for the snapshots' foreign keys, looked up once per request or task
    (the acting context's memo) and, for many rows, one query per related model."""

    def __init__(self):
        context = acting.current()
        self.memo: dict = context.labels if context is not None else {}

    def remember(self, obj) -> None:
        self.memo[(model_label(obj), obj.pk)] = object_label(obj)

    def fetch(self, wanted: dict[type, set]) -> None:
        """Look up the labels of ``{related model: ids}`` not yet known, one query per model."""
        for model, ids in wanted.items():
            label = model_label(model)
            missing = [pk for pk in ids if (label, pk) not in self.memo]
            if not missing:
                continue
            for obj in model._base_manager.filter(pk__in=missing):
                self.memo[(label, obj.pk)] = object_label(obj)
            for pk in missing:
                self.memo.setdefault((label, pk), "")

    def get(self, model, pk) -> str:
        return self.memo.get((model_label(model), pk), "")

    def cache_from(self, instance, fields) -> None:
        """Related objects already loaded on ``instance`` give their labels without a query."""
        for field in fields:
            if field.is_relation and field.is_cached(instance):
                related = field.get_cached_value(instance)
                if related is not None and related.pk == getattr(instance, field.attname):
                    key = (model_label(related), related.pk)
                    if key not in self.memo:
                        self.memo[key] = object_label(related)


def _related_ids(rows: Iterable[dict], fields) -> dict[type, set]:
    wanted: dict[type, set] = defaultdict(set)
    for field in fields:
        if field.is_relation:
            for row in rows:
                pk = row.get(field.attname)
                if pk is not None:
                    wanted[field.related_model].add(pk)
    return wanted


def _shown(model, field, value, labels: Labels, *, secret: str = ""):
    if _is_secret(model, field):
        return SECRET_UNUSABLE if isinstance(value, str) and value.startswith("!") else secret
    if field.is_relation:
        if value is None:
            return None
        return {"id": value, "label": labels.get(field.related_model, value)}
    return plain(field, value)


def row_of(instance, fields=None) -> dict:
    """The raw values of ``instance`` (attname → value) for the snapshot fields it has loaded."""
    loaded = instance.__dict__
    return {
        f.attname: _raw(instance, f) for f in fields or snapshot_fields(type(instance)) if f.attname in loaded
    }


def snapshot(model, row: dict, labels: Labels, fields=None) -> dict:
    """The whole row as the trail keeps it (a CREATE's after, a DELETE's before)."""
    return {
        f.name: _shown(model, f, row.get(f.attname), labels, secret=SECRET_SET)
        for f in fields or snapshot_fields(model)
        if f.attname in row
    }


def changes(model, before: dict, after: dict, labels: Labels | None, fields=None) -> tuple[dict, dict]:
    """The fields that differ between two raw rows, as ({name: before}, {name: after}).
    With ``labels`` None, only which fields changed (values unresolved)."""
    old: dict = {}
    new: dict = {}
    for f in fields or snapshot_fields(model):
        if f.attname not in before or f.attname not in after:
            continue
        a, b = before[f.attname], after[f.attname]
        if f.is_relation:
            same = (a is None) == (b is None) and str(a) == str(b)
        else:
            same = plain(f, a) == plain(f, b)
        if same:
            continue
        if labels is None:
            old[f.name], new[f.name] = a, b
        else:
            old[f.name] = _shown(model, f, a, labels, secret=SECRET_BEFORE)
            new[f.name] = _shown(model, f, b, labels, secret=SECRET_AFTER)
    return old, new


def _changed_fields(model, before: dict, after: dict, fields) -> list:
    names = set(changes(model, before, after, None, fields)[0])
    return [f for f in fields if f.name in names]


# --- the entries ------------------------------------------------------------------------------------


def _entries(model, items: list[tuple], *, labels: Labels | None = None, detail: str = "") -> list[AuditLog]:
    """Entries for ``(kind, object label, pk, before row | None, after row | None)`` of one model:
    the related objects' labels fetched once for all of them."""
    if not items:
        return []
    fields = snapshot_fields(model)
    labels = labels or Labels()
    rows = [row for item in items for row in (item[3], item[4]) if row]
    labels.fetch(_related_ids(rows, [f for f in fields if f.is_relation]))
    context = acting.current()
    label = model_label(model)
    made = []
    for kind, name, pk, before, after in items:
        if kind == Kind.CREATE:
            old, new = None, snapshot(model, after, labels)
        elif kind == Kind.DELETE:
            old, new = snapshot(model, before, labels), None
        else:
            old, new = changes(model, before, after, labels)
            if not old:
                continue
        made.append(
            entry(
                kind,
                model=label,
                object_id=pk,
                label=name,
                before=old,
                after=new,
                detail=detail,
                context=context,
            )
        )
    return made


def _save(entries: list[AuditLog]) -> None:
    if len(entries) == 1:
        entries[0].save()
    elif entries:
        AuditLog.objects.bulk_create(entries, batch_size=500)


# --- signals ------------------------------------------------------------------------------------------


def _pre_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    if raw or instance.pk is None or not is_audited(sender, "update"):
        return  # a new row (no id yet) is a CREATE: nothing to read
    fields = snapshot_fields(sender)
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
        if not fields:
            instance._audit_before = {}
            return
    row = (
        sender._base_manager.using(using).filter(pk=instance.pk).values(*[f.attname for f in fields]).first()
    )
    instance._audit_before = row


def _post_save(sender, instance, created=False, raw=False, using=None, update_fields=None, **kwargs):
    if raw:
        return
    read = "_audit_before" in instance.__dict__
    before = instance.__dict__.pop("_audit_before", None)
    if created or (read and before is None):  # inserted, or updated a row that was not there
        if not is_audited(sender, "create"):
            return
        labels = Labels()
        labels.cache_from(instance, snapshot_fields(sender))
        made = _entries(
            sender,
            [(Kind.CREATE, object_label(instance), instance.pk, None, row_of(instance))],
            labels=labels,
        )
    else:
        if not before:
            return  # not audited, or none of the fields saved is kept
        fields = [f for f in snapshot_fields(sender) if f.attname in before]
        after = row_of(instance, fields)
        changed = _changed_fields(sender, before, after, fields)
        if not changed:
            return
        labels = Labels()
        labels.cache_from(instance, changed)
        made = _entries(
            sender, [(Kind.UPDATE, object_label(instance), instance.pk, before, after)], labels=labels
        )
        if any(_is_secret(sender, f) for f in changed) and _in_a_command():
            # A password set from the command line (manage.py changepassword, a shell): the pages
            # record their own 修改密码/重置密码 entries; this one stands in for them.
            for made_entry in made:
                made_entry.kind = Kind.PASSWORD_RESET
                made_entry.detail = _("在命令行修改了密码。")
    labels.remember(instance)
    _save(made)


def _in_a_command() -> bool:
    context = acting.current()
    return context is not None and context.request is None and context.via.startswith("manage.py")


def _post_delete(sender, instance, using=None, origin=None, **kwargs):
    if not is_audited(sender, "delete"):
        return
    detail = ""
    if isinstance(origin, models.Model) and not (type(origin) is sender and origin.pk == instance.pk):
        detail = _("因删除%(model)s“%(label)s”而一并删除。") % {
            "model": origin._meta.verbose_name,
            "label": object_label(origin),
        }
    elif isinstance(origin, models.QuerySet) and origin.model is not sender:
        detail = _("因删除%(model)s而一并删除。") % {"model": origin.model._meta.verbose_name}
    fields = snapshot_fields(sender)
    labels = Labels()
    labels.cache_from(instance, fields)
    item = (Kind.DELETE, object_label(instance), instance.pk, row_of(instance), None)
    _save(_entries(sender, [item], labels=labels, detail=detail))


# Many-to-many: the list before the change, kept on the instance between the pre_ and post_ signals.


def _m2m_accessor(instance, through) -> str | None:
    for field in type(instance)._meta.get_fields():
        if isinstance(field, models.ManyToManyField):
            if field.remote_field.through is through:
                return field.name
        elif isinstance(field, models.ManyToManyRel) and field.through is through:
            return field.get_accessor_name()
    return None


def _m2m_list(instance, accessor: str) -> list[str]:
    return sorted(object_label(obj) for obj in getattr(instance, accessor).all())


def _m2m_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    if not is_audited(type(instance), "update"):
        return
    accessor = _m2m_accessor(instance, sender)
    if accessor is None:
        return
    key = f"_audit_m2m_{accessor}"
    if action.startswith("pre_"):
        instance.__dict__[key] = _m2m_list(instance, accessor)
        return
    before = instance.__dict__.pop(key, None)
    if before is None:
        return
    after = _m2m_list(instance, accessor)
    if before == after:
        return
    entry(
        Kind.UPDATE,
        obj=instance,
        label=object_label(instance),
        before={accessor: before},
        after={accessor: after},
        context=acting.current(),
    ).save()


def connect() -> None:
    """Connect the handlers to every audited model (AccountsConfig.ready)."""
    for model in audited_models():
        uid = f"accounts.model_audit.{model_label(model)}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_post_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}"
            )


# --- bulk writes ------------------------------------------------------------------------------------------

# The models a helper below is writing in bulk right now (the test suite's guard reads it).
_bulk_scope: ContextVar[frozenset] = ContextVar("audit_bulk_scope", default=frozenset())


@contextmanager
def recorded_by_caller(*models_) -> Iterator[None]:
    """Bulk writes to ``models_`` inside the block are recorded by the caller (``created``, after
    inserts made without the ORM)."""
    token = _bulk_scope.set(_bulk_scope.get() | {model_label(m) for m in models_})
    try:
        yield
    finally:
        _bulk_scope.reset(token)


def bulk_write_allowed(model, fields: Iterable[str] | None, action: str) -> bool:
    """Whether a bulk write (``action`` "create" or "update" of ``fields``) needs no entry of its own:
    it goes through a helper below, or the model or fields are not audited."""
    if model_label(model) in _bulk_scope.get() or not is_audited(model, action):
        return True
    if action == "update" and fields is not None:
        kept = {f.name for f in snapshot_fields(model)} | {f.attname for f in snapshot_fields(model)}
        return not any(name in kept for name in fields)
    return False


def bulk_create(model, objs: Iterable[models.Model], **kwargs) -> list:
    """``model.objects.bulk_create(objs, **kwargs)`` with a CREATE entry for each object."""
    with recorded_by_caller(model):
        made = model._default_manager.bulk_create(objs, **kwargs)
    return created(made)


def created(objs: Iterable[models.Model]) -> list:
    """CREATE entries for objects inserted in bulk (they have their ids). Returns them."""
    objs = list(objs)
    by_model: dict[type, list] = defaultdict(list)
    for obj in objs:
        by_model[type(obj)].append(obj)
    for model, group in by_model.items():
        if not is_audited(model, "create"):
            continue
        labels = Labels()
        for obj in group:
            labels.cache_from(obj, snapshot_fields(model))
        items = [(Kind.CREATE, object_label(o), o.pk, None, row_of(o)) for o in group]
        _save(_entries(model, items, labels=labels))
    return objs


def update(queryset: models.QuerySet, **values) -> int:
    """``queryset.update(**values)``, with an UPDATE entry for each row that changed.

    The rows are read first (one query; nothing matching: no update at all), then exactly those
    rows are updated, so every row changed is a row recorded."""
    model = queryset.model
    if not is_audited(model, "update") or bulk_write_allowed(model, values, "update"):
        with recorded_by_caller(model):
            return queryset.update(**values)
    objs = list(queryset)
    if not objs:
        return 0
    pks = [o.pk for o in objs]
    with recorded_by_caller(model):
        count = model._base_manager.filter(pk__in=pks).update(**values)
    fields = snapshot_fields(model)
    if any(isinstance(v, Combinable) for v in values.values()):
        after = {o.pk: row_of(o, fields) for o in model._base_manager.filter(pk__in=pks)}
    else:
        after = {}
        for o in objs:
            row = row_of(o, fields)
            for name, value in values.items():
                field = model._meta.get_field(name)
                if field.attname in row:
                    row[field.attname] = value.pk if isinstance(value, models.Model) else value
            after[o.pk] = row
    items = [
        (Kind.UPDATE, object_label(o), o.pk, row_of(o, fields), after[o.pk]) for o in objs if o.pk in after
    ]
    _save(_entries(model, items))
    return count


@contextmanager
def tracked(queryset: models.QuerySet) -> Iterator[None]:
    """Around a block of bulk writes to ``queryset``'s rows (a renumbering, an import's updates): an
    UPDATE entry for each row that changed, its state before the block against its state after.
    Saves and deletions inside the block are recorded by the signals as usual."""
    model = queryset.model
    fields = snapshot_fields(model)
    before = {o.pk: row_of(o, fields) for o in queryset}
    with recorded_by_caller(model):
        yield
    if not before or not is_audited(model, "update"):
        return
    items = [
        (Kind.UPDATE, object_label(obj), obj.pk, before[obj.pk], row_of(obj, fields))
        for obj in model._base_manager.filter(pk__in=list(before))
    ]
    _save(_entries(model, items))
