"""Recorded values in people's words: the one place that turns an audited record's before/after
JSON into rows a reader understands — a county's 修改记录 (assessment.AuditEntry) and the security
log's 安全审计 (accounts.AuditLog, through accounts.audit_log) alike.

``record(obj, fields)`` writes a snapshot: the model's field names as keys, values JSON can hold
(a related object as ``{"id", "label"}`` with its name at the time, dates and times in ISO 8601,
decimals as written, ``True``/``False``). ``changes(model_label, before, after)`` reads one back
knowing the model's fields:

- each field under its Chinese name: the field's ``verbose_name``, else FIELD_NAMES' (columns
  Django leaves unnamed: ``updated_by`` → 修改人), else a relation's model's (``item`` → 考核项目);
- 是/否 for yes-or-no values; a choice's label, not its code (``open`` → 未整改);
- a related object's name, not its id (a bare id is looked up; ``changes_for`` looks up a whole
  page of entries at once);
- dates as 2022年6月30日, times as 2022年1月12日 10:32:05 (local time);
- scores without trailing zeros (2.50 → 2.5), a file's size in KB or MB;
- a record's place in its list as 第1条: ``position`` counts from 0 (the findings, the sampled
  units), ``order`` (序号) from 1 (the checklist).

Snapshots written before this module (Chinese keys, values partly formatted: ``"顺序": 0``,
``"确认得分": True``) read the same way: a key that is some field's Chinese name stands for that
field, and a key that is no field keeps its name with its value read by its type.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.apps import apps
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.numbers import points_text

#: A value that was empty (an update from or to nothing).
EMPTY = "（空）"

#: Fields that give a record's place in a list, and the number of its first place.
POSITION_BASE = {"position": 0, "order": 1}

#: Integer fields counting bytes.
BYTE_FIELDS = {"size"}

# Chinese names for fields whose models leave them unnamed (Django would show "updated by").
FIELD_NAMES = {
    "target": "考核对象",
    "item": "考核项目",
    "campaign": "考核工作",
    "group": "考核组",
    "user": "用户",
    "unit": "单位",
    "draw": "抽查结果",
    "deduction": "扣分",
    "problem": "问题",
    "assessment": "项目评价",
    "actor": "操作人",
    "batch": "批量导出",
    "created_by": "创建人",
    "updated_by": "修改人",
    "uploaded_by": "上传人",
    "drawn_by": "抽取人",
    "added_by": "添加人",
    "requested_by": "申请人",
    "exported_by": "导出人",
    "changed_by": "修改人",
    "score_decided_by": "确认得分人",
    "narrative_updated_by": "工作情况修改人",
    "narrative_updated_at": "工作情况修改时间",
    "file": "文件",
    "recusal_confirmed_by": "回避例外确认人",
    "recusal_confirmed_at": "回避例外确认时间",
    "content_type": "文件类型",
    "size": "大小（字节）",
    "sha256": "SHA-256",
    "thumbnail": "缩略图",
    "password": "密码",
    "email": "电子邮箱",
    "model": "对象类型",
    "object_id": "对象编号",
    "label": "对象",
    "action": "操作",
    "before": "修改前",
    "after": "修改后",
    "status": "状态",
    "total": "总数",
    "done": "已完成",
    "error": "错误",
    "finished_at": "完成时间",
    "from_status": "原状态",
    "to_status": "新状态",
    "position": "顺序",
    "township": "所在乡镇",
    "is_active": "在用",
    "is_staff": "管理员",
    "is_superuser": "超级管理员",
    "username": "用户名",
    "date_joined": "注册时间",
    "groups": "用户组",
    "user_permissions": "用户权限",
    "permissions": "权限",
    "name": "名称",
}


# --- writing -------------------------------------------------------------------------------------


def reference(obj: models.Model | None, label: str | None = None) -> dict | None:
    """A related object as a snapshot holds it: its id, and its name now (``label`` or str(obj))."""
    if obj is None:
        return None
    return {"id": obj.pk, "label": label if label is not None else str(obj)}


def record(obj: models.Model, fields: Iterable[str], labels: dict[str, str] | None = None) -> dict:
    """``obj``'s ``fields`` as a snapshot for the audit trail (see the module's docstring).

    ``labels`` names related objects otherwise than their str() (a criterion by its text)."""
    labels = labels or {}
    snapshot = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            snapshot[name] = [reference(o) for o in getattr(obj, name).all()]
        elif field.is_relation:
            snapshot[name] = reference(getattr(obj, name), labels.get(name))
        else:
            snapshot[name] = _json(field.value_from_object(obj))
    return snapshot


def _json(value):
    if isinstance(value, Decimal):
        return points_text(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or None
    return value


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of an entry: its Chinese name, the value before and after (None: not part of
    the entry, as a creation has no before)."""

    field: str
    before: str | None
    after: str | None


@lru_cache(maxsize=256)
def model_for(label: str):
    """ "assessment.deduction" → the model class (None for a model no longer known)."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _explicit_verbose_name(field) -> str | None:
    verbose = getattr(field, "verbose_name", None)
    if verbose is None or str(verbose) == field.name.replace("_", " "):
        return None  # Django's automatic name, English
    return str(verbose)


def field_label(field) -> str:
    """A field's Chinese name: its verbose_name, else FIELD_NAMES', else (a relation) the related
    model's."""
    explicit = _explicit_verbose_name(field)
    if explicit:
        return explicit
    if field.name in FIELD_NAMES:
        return FIELD_NAMES[field.name]
    if field.is_relation and field.related_model is not None:
        return str(field.related_model._meta.verbose_name)
    return field.name


@lru_cache(maxsize=256)
def _fields_by_key(model) -> dict:
    """Every key a snapshot may use for a field of ``model``: its name, its column's attribute
    (``unit_id``) and its Chinese name (the keys of snapshots written before ``record``)."""
    keys = {}
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations
        keys.setdefault(field.name, field)
        if getattr(field, "attname", None):
            keys.setdefault(field.attname, field)
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue
        explicit = _explicit_verbose_name(field)
        if explicit:
            keys.setdefault(explicit, field)
    return keys


def field_for(model, key: str):
    if model is None:
        return None
    return _fields_by_key(model).get(key)


def _ordinal(value, base: int) -> str | None:
    try:
        number = int(value) - base + 1
    except (TypeError, ValueError):
        return None
    return _("第%(n)s条") % {"n": number}


def _date(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日"


def _datetime(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M:%S}"


def _decimal(value) -> str:
    try:
        return points_text(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


class _Names:
    """Names of related objects stored as bare ids, looked up once per model for a whole page."""

    def __init__(self):
        self.wanted: dict = defaultdict(set)
        self.found: dict = {}

    def want(self, model, value) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            self.wanted[model].add(value)
        elif isinstance(value, list):
            for v in value:
                self.want(model, v)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=ids):
                self.found[(model, obj.pk)] = str(obj)
        self.wanted.clear()

    def name(self, model, pk: int) -> str:
        if (model, pk) not in self.found and model is not None:
            self.want(model, pk)
            self.load()
        found = self.found.get((model, pk))
        return found if found is not None else _("编号%(id)s（已删除）") % {"id": pk}


def value_text(field, value, names: _Names | None = None, *, items: int | None = None) -> str:
    """A stored value as a reader wants it (``field`` None: read by the value's type alone); a list
    shows its first ``items`` (all if None)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, dict) and "id" in value and "label" in value:
        return str(value["label"] or _("编号%(id)s") % {"id": value["id"]})
    if isinstance(value, list):
        text = "、".join(value_text(field, v, names) for v in value[:items])
        if items is not None and len(value) > items:
            text += _("……等 %(count)s 项") % {"count": f"{len(value):,}"}
        return text
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if field is not None:
        if field.is_relation and field.related_model is not None and isinstance(value, int):
            return (names or _Names()).name(field.related_model, value)
        if field.choices and not isinstance(value, dict):
            return str(dict(field.flatchoices).get(value, value))
        if field.name in POSITION_BASE and isinstance(value, int):
            return _ordinal(value, POSITION_BASE[field.name]) or str(value)
        if field.name in BYTE_FIELDS and isinstance(value, int):
            return filesizeformat(value)
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            return _datetime(value)
        if isinstance(field, models.DateField) and isinstance(value, str):
            return _date(value)
        if isinstance(field, models.DecimalField):
            return _decimal(value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{value_text(None, v, names)}" for k, v in value.items())
    return str(value)


@lru_cache(maxsize=256)
def _field_order(model) -> dict:
    return {field.name: n for n, field in enumerate(model._meta.get_fields())}


def _ordered(model, keys: list[str]) -> list[str]:
    """Keys in the model's order of fields (PostgreSQL's jsonb keeps no order of its own), a
    record's place in its list last; keys that are no field after them, as they came."""
    if model is None:
        return keys
    order = _field_order(model)

    def rank(key: str) -> tuple:
        field = field_for(model, key)
        if field is None:
            return (2, 0)
        return (1 if field.name in POSITION_BASE else 0, order.get(field.name, 0))

    return sorted(keys, key=rank)


def _rows(
    model, before: dict | None, after: dict | None, names: _Names, *, whole=None, items=None
) -> list[Change]:
    """An update: each field that changed, before and after. A creation or a deletion (``whole``;
    by default, when one side is None): the values of the side that has them, empty ones left out."""
    old, new = before or {}, after or {}
    if whole is None:
        whole = before is None or after is None
    rows = []
    if whole:
        created = bool(new) or not old
        values = new if created else old
        for key in _ordered(model, list(values)):
            field = field_for(model, key)
            text = value_text(field, values[key], names, items=items)
            if text != EMPTY:  # a record created or deleted: its empty fields say nothing
                rows.append(Change(_label(field, key), None if created else text, text if created else None))
        return rows
    for key in _ordered(model, list(dict.fromkeys([*old, *new]))):
        if old.get(key) == new.get(key):
            continue
        field = field_for(model, key)
        rows.append(
            Change(
                _label(field, key),
                value_text(field, old.get(key), names, items=items),
                value_text(field, new.get(key), names, items=items),
            )
        )
    return rows


def _label(field, key: str) -> str:
    return field_label(field) if field is not None else FIELD_NAMES.get(key, key)


def changes(
    model_label: str, before: dict | None, after: dict | None, *, whole: bool | None = None, items=None
) -> list[Change]:
    """The rows of one change to a record of ``model_label``: for an update the fields that
    changed, before and after; for a creation or deletion (``whole``; by default, one side None)
    the values it had, empty ones left out. A list value shows its first ``items``."""
    return _rows(model_for(model_label), before, after, _Names(), whole=whole, items=items)


def changes_for(entries: Iterable, *, model_attr="model", before_attr="before", after_attr="after"):
    """Each entry (an audit record with a model label, before and after) with its rows set as
    ``.changes``; related objects stored as bare ids are looked up once per model for them all."""
    entries = list(entries)
    names = _Names()
    for entry in entries:
        model = model_for(getattr(entry, model_attr) or "")
        for data in (getattr(entry, before_attr), getattr(entry, after_attr)):
            for key, value in (data or {}).items() if isinstance(data, dict) else ():
                field = field_for(model, key)
                if field is not None and field.is_relation and field.related_model is not None:
                    names.want(field.related_model, value)
    names.load()
    for entry in entries:
        before, after = getattr(entry, before_attr), getattr(entry, after_attr)
        entry.changes = _rows(
            model_for(getattr(entry, model_attr) or ""),
            before if isinstance(before, dict) else None,
            after if isinstance(after, dict) else None,
            names,
        )
    return entries
