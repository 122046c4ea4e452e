"""Reading the security audit trail (安全审计): the administrators' filters, and each entry's
changes described in Chinese for the page and the Excel export.

Entries keep their values as the writer stored them (accounts.model_audit: field names as keys,
foreign keys as ``{"id", "label"}``; sign-in events: Chinese keys). Here a key becomes the field's
Chinese name and a value readable text: 是/否, a choice's label, a related object's name, a date
and time without the ISO noise, "（空）" for nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import ip_address

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditLog

PAGE_SIZE = 50
EMPTY = "（空）"

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


# --- filters ----------------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("人员"),
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label=gettext_lazy("全部人员"),
        help_text=gettext_lazy("此人做的操作，以及用此人的用户名尝试的登录。"),
    )
    start = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        choices=[("", gettext_lazy("全部类型")), *AuditLog.Kind.choices],
        required=False,
    )
    result = forms.ChoiceField(
        label=gettext_lazy("结果"),
        choices=[("", gettext_lazy("全部结果")), *AuditLog.Result.choices],
        required=False,
    )
    q = forms.CharField(
        label=gettext_lazy("关键词"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("对象名称、用户名、对象编号、说明、请求地址或 IP 地址。"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(_("截止日期不能早于起始日期。"))
        return data

    def describe(self) -> str:
        """The filters in force, in words (the export's title and its audit entry)."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        parts = []
        if data.get("person"):
            person = data["person"]
            parts.append(_("人员：%(name)s（%(username)s）") % {"name": person, "username": person.username})
        if data.get("start") or data.get("end"):
            parts.append(
                _("时间：%(start)s 至 %(end)s")
                % {"start": data.get("start") or _("最早"), "end": data.get("end") or _("现在")}
            )
        if data.get("kind"):
            parts.append(_("类型：%(kind)s") % {"kind": AuditLog.Kind(data["kind"]).label})
        if data.get("result"):
            parts.append(_("结果：%(result)s") % {"result": AuditLog.Result(data["result"]).label})
        if data.get("q"):
            parts.append(_("关键词：%(q)s") % {"q": data["q"]})
        return "；".join(parts)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_entries(form: AuditFilterForm) -> models.QuerySet:
    """The entries the (bound) form asks for, newest first; all of them when it is empty or invalid
    (the page shows the form's errors above them)."""
    entries = AuditLog.objects.select_related("actor").order_by("-at", "-pk")
    if not form.is_bound or not form.is_valid():
        return entries
    data = form.cleaned_data
    person = data.get("person")
    if person is not None:
        entries = entries.filter(Q(actor=person) | Q(actor__isnull=True, username=person.username))
    if data.get("start"):
        entries = entries.filter(at__gte=_local_midnight(data["start"]))
    if data.get("end"):
        entries = entries.filter(at__lt=_local_midnight(data["end"] + dt.timedelta(days=1)))
    if data.get("kind"):
        entries = entries.filter(kind=data["kind"])
    if data.get("result"):
        entries = entries.filter(result=data["result"])
    text = (data.get("q") or "").strip()
    if text:
        match = (
            Q(label__icontains=text)
            | Q(username__icontains=text)
            | Q(detail__icontains=text)
            | Q(path__icontains=text)
            | Q(object_id=text)
        )
        with contextlib.suppress(ValueError):
            match |= Q(ip=str(ip_address(text)))
        entries = entries.filter(match)
    return entries


# --- describing an entry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: not part of this entry (a creation has no before)
    after: str | None


@lru_cache(maxsize=256)
def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_name(label: str) -> str:
    """ "assessment.deduction" → 扣分 (the label itself for a model no longer known)."""
    model = _model(label) if label else None
    return str(model._meta.verbose_name) if model is not None else label


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def field_name(model, key: str) -> str:
    field = _field(model, key)
    if field is not None:
        verbose = getattr(field, "verbose_name", None)
        automatic = verbose is None or str(verbose) == key.replace("_", " ")
        if not automatic:
            return str(verbose)
    return FIELD_NAMES.get(key, key)


def _datetime_text(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def value_text(model, key: str, value, *, items: int | None = None) -> str:
    """A stored value as a reader wants it; a list shows its first ``items`` (all if None)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dict) and set(value) == {"id", "label"}:
        return value["label"] or f"#{value['id']}"
    if isinstance(value, list):
        text = "、".join(value_text(model, key, v) for v in value[:items])
        if items is not None and len(value) > items:
            text += _("……等 %(count)s 项") % {"count": f"{len(value):,}"}
        return text
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    field = _field(model, key)
    if field is not None and getattr(field, "choices", None) and not isinstance(value, dict | list):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _datetime_text(value)
    return str(value)


def changes(entry: AuditLog, *, items: int | None = None) -> list[Change]:
    """The entry's values as rows: for an update the fields that changed, before and after; for a
    creation the values it was created with (the empty ones left out); for a deletion the values
    it had. A list (the units an import created) shows its first ``items``."""
    model = _model(entry.model) if entry.model else None
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(before) + [k for k in after if k not in before]
    if model is not None:  # the model's own order of fields
        order = {f.name: i for i, f in enumerate(model._meta.get_fields())}
        keys.sort(key=lambda k: order.get(k, len(order)))
    rows = []
    for key in keys:
        old = value_text(model, key, before[key], items=items) if key in before else None
        new = value_text(model, key, after[key], items=items) if key in after else None
        if entry.kind in (AuditLog.Kind.CREATE, AuditLog.Kind.DELETE) and (old or new) == EMPTY:
            continue
        rows.append(Change(field_name(model, key), old, new))
    return rows


def changes_text(entry: AuditLog) -> str:
    """The same rows as lines of text: "扣分：1.5 → 2", "单位：青山县"."""
    lines = []
    for change in changes(entry):
        if change.before is not None and change.after is not None:
            lines.append(f"{change.field}：{change.before} → {change.after}")
        else:
            lines.append(f"{change.field}：{change.before if change.after is None else change.after}")
    return "\n".join(lines)
