"""Writes to a target's findings: deductions, scores, evaluations and problems.

Every function here: locks the target and refuses when its workflow does not
allow edits (TargetLocked, a 403); refuses a save based on an outdated version
(EditConflict); validates; writes; records the change in the audit trail —
all in one transaction.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import model_audit
from core import limits
from core.numbers import points_text
from units.models import Unit

from ..models import (
    AuditEntry,
    ChecklistItem,
    Criterion,
    Deduction,
    EvaluationPoint,
    ItemAssessment,
    Problem,
    Target,
)
from .editing import (
    RecordGone,
    audit,
    bump,
    check_version,
    lock_editable,
    locked_record,
    parse_points,
    snapshot,
)
from .evidence import discard_files_on_commit

Action = AuditEntry.Action


def _check_item(target: Target, item: ChecklistItem) -> None:
    if item.campaign_id != target.campaign_id:
        raise ValidationError(_("该考核项目不属于本次考核。"))


def _check_unit(target: Target, unit: Unit | None, field: str = "unit") -> None:
    if unit is not None and not (
        unit.pk == target.unit_id or unit.ancestry.startswith(target.unit.descendant_prefix)
    ):
        raise ValidationError(
            {field: [_("“%(unit)s”不是%(county)s的单位。") % {"unit": unit.name, "county": target.unit.name}]}
        )


def _text(
    value: str, *, field: str, label: str, required: bool = True, max_length: int = limits.PARAGRAPH
) -> str:
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


# --- deductions -----------------------------------------------------------------------


def _undecide(target: Target, item: ChecklistItem) -> None:
    """A change to the deductions withdraws the item's score decision: the group confirms again."""
    model_audit.update(
        ItemAssessment.objects.filter(target=target, item=item).exclude(score_decided_at=None),
        score_decided_at=None,
        score_decided_by=None,
    )


def _check_criterion_cap(
    *, target: Target, item: ChecklistItem, criterion: Criterion | None, points: Decimal, exclude: int | None
) -> None:
    """Deductions under one criterion never exceed its points (when it has points)."""
    if criterion is None:
        return
    if criterion.item_id != item.pk:
        raise ValidationError({"criterion": [_("该评分细则不属于这个考核项目。")]})
    if criterion.points is None:
        return
    others = Deduction.objects.filter(target=target, criterion=criterion)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = others.aggregate(s=Sum("points"))["s"] or Decimal(0)
    if taken + points > criterion.points:
        left = criterion.points - taken
        raise ValidationError(
            {
                "points": [
                    _("该细则分值%(cap)s分，已扣%(taken)s分，最多还能扣%(left)s分。")
                    % {
                        "cap": points_text(criterion.points),
                        "taken": points_text(taken),
                        "left": points_text(max(left, Decimal(0))),
                    }
                ]
            }
        )


@transaction.atomic
def deduction_create(
    *,
    target: Target,
    item: ChecklistItem,
    criterion: Criterion | None,
    unit: Unit | None,
    points,
    reason: str,
    user,
) -> Deduction:
    target = lock_editable(target)
    _check_item(target, item)
    _check_unit(target, unit)
    points = parse_points(points, field="points", label=_("扣分"))
    reason = _text(reason, field="reason", label=_("扣分理由"))
    _check_criterion_cap(target=target, item=item, criterion=criterion, points=points, exclude=None)
    deduction = Deduction.objects.create(
        target=target,
        item=item,
        criterion=criterion,
        unit=unit,
        points=points,
        reason=reason,
        created_by=user,
        updated_by=user,
    )
    audit(
        target=target, user=user, action=Action.CREATE, obj=deduction, before=None, after=snapshot(deduction)
    )
    _undecide(target, item)
    return deduction


@transaction.atomic
def deduction_update(
    *,
    deduction: Deduction,
    version: int | None,
    criterion: Criterion | None,
    unit: Unit | None,
    points,
    reason: str,
    user,
) -> Deduction:
    target = lock_editable(deduction.target)
    deduction = locked_record(
        Deduction.objects.select_related("item", "criterion", "unit", "updated_by"), deduction.pk
    )
    mine = {"criterion": criterion, "unit": unit, "points": points, "reason": reason}
    check_version(deduction, version, mine)
    _check_unit(target, unit)
    points = parse_points(points, field="points", label=_("扣分"))
    reason = _text(reason, field="reason", label=_("扣分理由"))
    _check_criterion_cap(
        target=target, item=deduction.item, criterion=criterion, points=points, exclude=deduction.pk
    )
    before = snapshot(deduction)
    deduction.criterion, deduction.unit, deduction.points, deduction.reason = criterion, unit, points, reason
    bump(deduction, user)
    deduction.save()
    _undecide(target, deduction.item)
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=deduction,
        before=before,
        after=snapshot(deduction),
    )
    return deduction


@transaction.atomic
def deduction_delete(*, deduction: Deduction, version: int | None, user) -> None:
    target = lock_editable(deduction.target)
    try:
        deduction = locked_record(
            Deduction.objects.select_related("item", "criterion", "unit", "updated_by"), deduction.pk
        )
    except RecordGone:
        return  # deleted meanwhile (a double click): what was asked is done
    check_version(deduction, version, {})
    audit(
        target=target, user=user, action=Action.DELETE, obj=deduction, before=snapshot(deduction), after=None
    )
    discard_files_on_commit(deduction.evidence.all())
    deduction.delete()
    _undecide(target, deduction.item)


# --- the item's assessment: score decision, bonus, evaluation lead ---------------------------


def assessment_for(target: Target, item: ChecklistItem) -> ItemAssessment:
    assessment, _created = ItemAssessment.objects.select_related("item", "updated_by").get_or_create(
        target=target, item=item
    )
    return assessment


def _locked_assessment(target: Target, item: ChecklistItem) -> ItemAssessment:
    assessment_for(target, item)
    return (
        ItemAssessment.objects.select_for_update(of=("self",))
        .select_related("item", "updated_by")
        .get(target=target, item=item)
    )


@transaction.atomic
def score_decide(*, target: Target, item: ChecklistItem, decided: bool, version, user) -> ItemAssessment:
    """Confirm (or withdraw) the item's score as it stands: full marks minus its deductions.

    ``version`` is the assessment's version the page showed (check_version): a decision taken on a
    page older than the latest save of the item's assessment is an EditConflict. The toggle itself
    does not bump the version (it is not a text), so nobody's open lead or bonus edit conflicts with
    it; confirming what is already confirmed (a double click) changes and records nothing.
    """
    target = lock_editable(target)
    _check_item(target, item)
    assessment = _locked_assessment(target, item)
    check_version(assessment, version, {"确认得分": decided})
    if bool(assessment.score_decided_at) == decided:
        return assessment
    before = snapshot(assessment)
    assessment.score_decided_at = timezone.now() if decided else None
    assessment.score_decided_by = user if decided else None
    # A toggle, not a text: it does not bump the version, so nobody's open lead edit conflicts.
    assessment.save(update_fields=["score_decided_at", "score_decided_by", "updated_at"])
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=assessment,
        before=before,
        after=snapshot(assessment),
    )
    return assessment


@transaction.atomic
def bonus_set(
    *, target: Target, item: ChecklistItem, bonus, reason: str, version: int | None, user
) -> ItemAssessment:
    """加分 for an item, when the campaign allows it; a target's bonuses together stay within the cap."""
    target = lock_editable(target)
    _check_item(target, item)
    campaign = target.campaign
    bonus = parse_points(bonus, field="bonus", label=_("加分"), allow_zero=True)
    if not campaign.bonus_enabled and bonus:
        raise ValidationError({"bonus": [_("本次考核不设加分。")]})
    reason = _text(reason, field="bonus_reason", label=_("加分理由"), required=bonus > 0)
    assessment = _locked_assessment(target, item)
    check_version(assessment, version, {"bonus": bonus, "bonus_reason": reason})
    others = ItemAssessment.objects.filter(target=target).exclude(pk=assessment.pk).aggregate(s=Sum("bonus"))[
        "s"
    ] or Decimal(0)
    if others + bonus > campaign.bonus_cap:
        raise ValidationError(
            {
                "bonus": [
                    _("加分合计不能超过%(cap)s分（其他项目已加%(others)s分）。")
                    % {"cap": points_text(campaign.bonus_cap), "others": points_text(others)}
                ]
            }
        )
    before = snapshot(assessment)
    assessment.bonus, assessment.bonus_reason = bonus, reason
    bump(assessment, user)
    assessment.save()
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=assessment,
        before=before,
        after=snapshot(assessment),
    )
    return assessment


@transaction.atomic
def evaluation_lead_save(
    *, target: Target, item: ChecklistItem, lead: str, version: int | None, user
) -> ItemAssessment:
    """The 总体评价's lead paragraph."""
    target = lock_editable(target)
    _check_item(target, item)
    assessment = _locked_assessment(target, item)
    lead = _text(lead, field="lead", label=_("总体评价"), required=False)
    check_version(assessment, version, {"lead": lead})
    if lead == assessment.lead:
        return assessment
    before = snapshot(assessment)
    assessment.lead = lead
    bump(assessment, user)
    assessment.save()
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=assessment,
        before=before,
        after=snapshot(assessment),
        coalesce=True,  # saved as the user types
    )
    return assessment


# --- evaluation points (一是…二是…) --------------------------------------------------------


def _next_position(queryset) -> int:
    last = queryset.aggregate(m=Max("position"))["m"]
    return 0 if last is None else last + 1


def move(*, queryset, obj, up: bool, version: int | None, target: Target, user) -> None:
    """Swap ``obj`` (at ``version``) with its neighbour in ``queryset`` (ordered by position),
    renumbering 0..n; every record whose position changed is audited, the neighbour as well as
    ``obj``. A move changes no text, so it bumps no version."""
    ordered = list(queryset.select_for_update(of=("self",)).order_by("position", "pk"))
    index = next((i for i, o in enumerate(ordered) if o.pk == obj.pk), None)
    if index is None:
        raise RecordGone(_("这条记录已被删除。请刷新页面。"))
    check_version(ordered[index], version, {})
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, o in enumerate(ordered):
        if o.position != position:
            before = snapshot(o)
            o.position = position
            o.save(update_fields=["position"])
            audit(target=target, user=user, action=Action.UPDATE, obj=o, before=before, after=snapshot(o))


@transaction.atomic
def point_create(*, target: Target, item: ChecklistItem, headline: str, body: str, user) -> EvaluationPoint:
    target = lock_editable(target)
    _check_item(target, item)
    assessment = _locked_assessment(target, item)
    point = EvaluationPoint.objects.create(
        assessment=assessment,
        position=_next_position(assessment.points.all()),
        headline=_text(headline, field="headline", label=_("要点"), max_length=limits.NAME),
        body=_text(body, field="body", label=_("内容"), required=False),
        updated_by=user,
    )
    audit(target=target, user=user, action=Action.CREATE, obj=point, before=None, after=snapshot(point))
    return point


@transaction.atomic
def point_update(
    *, point: EvaluationPoint, version: int | None, headline: str, body: str, user
) -> EvaluationPoint:
    target = lock_editable(point.assessment.target)
    point = locked_record(EvaluationPoint.objects.select_related("updated_by"), point.pk)
    headline, body = (headline or "").strip(), _text(body, field="body", label=_("内容"), required=False)
    check_version(point, version, {"headline": headline, "body": body})
    headline = _text(headline, field="headline", label=_("要点"), max_length=limits.NAME)
    before = snapshot(point)
    point.headline, point.body = headline, body
    bump(point, user)
    point.save()
    audit(target=target, user=user, action=Action.UPDATE, obj=point, before=before, after=snapshot(point))
    return point


@transaction.atomic
def point_delete(*, point: EvaluationPoint, version: int | None, user) -> None:
    target = lock_editable(point.assessment.target)
    try:
        point = locked_record(EvaluationPoint.objects.select_related("updated_by"), point.pk)
    except RecordGone:
        return  # deleted meanwhile (a double click): what was asked is done
    check_version(point, version, {})
    audit(target=target, user=user, action=Action.DELETE, obj=point, before=snapshot(point), after=None)
    point.delete()


@transaction.atomic
def point_move(*, point: EvaluationPoint, up: bool, version: int | None, user) -> None:
    target = lock_editable(point.assessment.target)
    move(
        queryset=EvaluationPoint.objects.filter(assessment_id=point.assessment_id),
        obj=point,
        up=up,
        version=version,
        target=target,
        user=user,
    )


# --- problems ----------------------------------------------------------------------------------

PROBLEM_FIELDS = ("text", "unit", "category", "owner_unit", "deadline", "rectification", "rectification_note")


def _clean_problem(target: Target, values: dict) -> dict:
    cleaned = {
        "text": _text(values.get("text", ""), field="text", label=_("问题")),
        "unit": values.get("unit"),
        "category": (values.get("category") or "").strip()[:50],
        "owner_unit": (values.get("owner_unit") or "").strip()[:100],
        "deadline": values.get("deadline"),
        "rectification": values.get("rectification") or Problem.Rectification.OPEN,
        "rectification_note": _text(
            values.get("rectification_note", ""),
            field="rectification_note",
            label=_("整改情况"),
            required=False,
        ),
    }
    _check_unit(target, cleaned["unit"])
    if cleaned["rectification"] not in Problem.Rectification.values:
        raise ValidationError({"rectification": [_("整改状态无效。")]})
    if cleaned["deadline"] is not None and not isinstance(cleaned["deadline"], dt.date):
        raise ValidationError({"deadline": [_("整改时限须为日期。")]})
    return cleaned


@transaction.atomic
def problem_create(*, target: Target, item: ChecklistItem, user, **values) -> Problem:
    target = lock_editable(target)
    _check_item(target, item)
    cleaned = _clean_problem(target, values)
    problem = Problem.objects.create(
        target=target,
        item=item,
        position=_next_position(Problem.objects.filter(target=target, item=item)),
        created_by=user,
        updated_by=user,
        **cleaned,
    )
    audit(target=target, user=user, action=Action.CREATE, obj=problem, before=None, after=snapshot(problem))
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, version: int | None, user, **values) -> Problem:
    target = lock_editable(problem.target)
    problem = locked_record(Problem.objects.select_related("item", "unit", "updated_by"), problem.pk)
    check_version(problem, version, values)
    cleaned = _clean_problem(target, values)
    before = snapshot(problem)
    for key, value in cleaned.items():
        setattr(problem, key, value)
    bump(problem, user)
    problem.save()
    audit(target=target, user=user, action=Action.UPDATE, obj=problem, before=before, after=snapshot(problem))
    return problem


@transaction.atomic
def problem_delete(*, problem: Problem, version: int | None, user) -> None:
    target = lock_editable(problem.target)
    try:
        problem = locked_record(Problem.objects.select_related("item", "unit", "updated_by"), problem.pk)
    except RecordGone:
        return  # deleted meanwhile (a double click): what was asked is done
    check_version(problem, version, {})
    audit(target=target, user=user, action=Action.DELETE, obj=problem, before=snapshot(problem), after=None)
    discard_files_on_commit(problem.evidence.all())
    problem.delete()


@transaction.atomic
def problem_move(*, problem: Problem, up: bool, version: int | None, user) -> None:
    target = lock_editable(problem.target)
    queryset = Problem.objects.filter(target=target, item_id=problem.item_id).select_related("item", "unit")
    move(queryset=queryset, obj=problem, up=up, version=version, target=target, user=user)
