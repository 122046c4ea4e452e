"""What every change to a target's findings goes through: the workflow lock, the
version check against concurrent edits, and the audit record."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.numbers import points_text

from ..models import (
    AuditEntry,
    Deduction,
    EvaluationPoint,
    Evidence,
    ItemAssessment,
    Problem,
    Recommendation,
    SampleDraw,
    SampledUnit,
    SamplingPlan,
    Target,
    TypicalExample,
)
from .locks import FINDINGS, target_refusal


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


# --- the audit trail -----------------------------------------------------------------


def _unit(unit) -> str | None:
    return unit.name if unit is not None else None


def snapshot(obj: models.Model) -> dict:
    """The values of a finding that matter to a reader of the history."""
    if isinstance(obj, Deduction):
        return {
            "考核项目": obj.item.title,
            "评分细则": obj.criterion.text[:60] if obj.criterion else None,
            "单位": _unit(obj.unit),
            "扣分": points_text(obj.points),
            "扣分理由": obj.reason,
        }
    if isinstance(obj, Problem):
        return {
            "考核项目": obj.item.title,
            "问题": obj.text,
            "单位": _unit(obj.unit),
            "问题类别": obj.category,
            "责任单位": obj.owner_unit,
            "整改时限": obj.deadline.isoformat() if obj.deadline else None,
            "整改状态": obj.get_rectification_display(),
            "整改情况": obj.rectification_note,
            "顺序": obj.position,
        }
    if isinstance(obj, ItemAssessment):
        return {
            "考核项目": obj.item.title,
            "总体评价": obj.lead,
            "确认得分": bool(obj.score_decided_at),
            "加分": points_text(obj.bonus),
            "加分理由": obj.bonus_reason,
        }
    if isinstance(obj, EvaluationPoint):
        return {"要点": obj.headline, "内容": obj.body, "顺序": obj.position}
    if isinstance(obj, TypicalExample):
        return {"标题": obj.title, "内容": obj.body, "相关单位": _unit(obj.unit), "顺序": obj.position}
    if isinstance(obj, Recommendation):
        return {"建议": obj.headline, "内容": obj.body, "顺序": obj.position}
    if isinstance(obj, Evidence):
        return {"文件": obj.original_name, "大小": obj.size}
    if isinstance(obj, Target):
        return {"工作情况": obj.narrative}
    if isinstance(obj, SamplingPlan):
        scope = {"方案": _("本县单独方案") if obj.target_id else _("本次考核默认方案")}
        return scope | {str(SamplingPlan._meta.get_field(n).verbose_name): v for n, v in obj.counts().items()}
    if isinstance(obj, SampledUnit):
        return {"单位": obj.unit.name, "类别": obj.get_stratum_display(), "原因": obj.reason or None}
    raise TypeError(f"no snapshot for {type(obj).__name__}")


def label(obj: models.Model) -> str:
    if isinstance(obj, Deduction):
        return _("扣分：%(item)s −%(points)s分") % {"item": obj.item.title, "points": points_text(obj.points)}
    if isinstance(obj, Problem):
        return _("问题：%(text)s") % {"text": obj.text[:40]}
    if isinstance(obj, ItemAssessment):
        return _("项目评价：%(item)s") % {"item": obj.item.title}
    if isinstance(obj, EvaluationPoint):
        return _("评价要点：%(headline)s") % {"headline": obj.headline[:40]}
    if isinstance(obj, TypicalExample):
        return _("典型：%(title)s") % {"title": obj.title[:40]}
    if isinstance(obj, Recommendation):
        return _("建议：%(headline)s") % {"headline": obj.headline[:40]}
    if isinstance(obj, Evidence):
        return _("佐证材料：%(name)s") % {"name": obj.original_name}
    if isinstance(obj, Target):
        return _("工作情况")
    if isinstance(obj, SamplingPlan):
        return _("抽查方案")
    if isinstance(obj, SampleDraw):
        return _("抽取样本：随机种子 %(seed)s") % {"seed": obj.seed}
    if isinstance(obj, SampledUnit):
        return _("专项抽查单位：%(unit)s") % {"unit": obj.unit.name}
    return str(obj)


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
    """Record a change. With ``coalesce`` (text saved as the user types), a run of saves of the
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
        label=(title or label(obj))[:200],
        before=before,
        after=after,
    )


def audit_each(targets, **entry) -> None:
    """The same change in the 修改记录 of every county it touches (a group's, a campaign's)."""
    for target in targets:
        audit(target=target, **entry)
