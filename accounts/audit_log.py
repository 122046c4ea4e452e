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
from ipaddress import ip_address

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import changes as wording

from .models import AuditLog

PAGE_SIZE = 50
EMPTY = wording.EMPTY


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
#
# The rules that turn a stored value into words are core.changes' (one place for the security log and
# a county's 修改记录): the field's Chinese name, 是/否, a choice's label, a related object's name, a
# date and time in Chinese, "（空）" for nothing.

Change = wording.Change


def model_name(label: str) -> str:
    """ "assessment.deduction" → 扣分 (the label itself for a model no longer known)."""
    model = wording.model_for(label) if label else None
    return str(model._meta.verbose_name) if model is not None else label


def changes(entry: AuditLog, *, items: int | None = None) -> list[Change]:
    """The entry's values as rows: for an update the fields that changed, before and after; for a
    creation the values it was created with (the empty ones left out); for a deletion the values
    it had. A list (the units an import created) shows its first ``items``."""
    return wording.changes(
        entry.model or "",
        entry.before if isinstance(entry.before, dict) else None,
        entry.after if isinstance(entry.after, dict) else None,
        whole=entry.kind in (AuditLog.Kind.CREATE, AuditLog.Kind.DELETE),
        items=items,
    )


def changes_text(entry: AuditLog) -> str:
    """The same rows as lines of text: "扣分：1.5 → 2", "单位：青山县"."""
    lines = []
    for change in changes(entry):
        if change.before is not None and change.after is not None:
            lines.append(f"{change.field}：{change.before} → {change.after}")
        else:
            lines.append(f"{change.field}：{change.before if change.after is None else change.after}")
    return "\n".join(lines)
