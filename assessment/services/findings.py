"""Writes to a target's findings: deductions, scores, evaluations and problems.

Every function here: locks the target and refuses when its workflow does not
allow edits (TargetLocked, a 403); refuses a save based on an outdated version
(EditConflict); validates; writes; records the change in the audit trail —
all in one transaction. The records' create, update, delete and move are the
skeleton of services.editing; the item's assessment (one per item, made on
demand) has services of its own.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
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
    audit,
    bump,
    check_unit,
    check_version,
    lock_editable,
    next_position,
    parse_points,
    parse_text,
    record_create,
    record_delete,
    record_move,
    record_update,
)

Action = AuditEntry.Action


def _check_item(target: Target, item: ChecklistItem) -> None:
    if item.campaign_id != target.campaign_id:
        raise ValidationError(_("该考核项目不属于本次考核。"))


# --- deductions -----------------------------------------------------------------------


def _undecide(target: Target, deduction: Deduction) -> None:
    """A change to the deductions withdraws the item's score decision: the group confirms again."""
    model_audit.update(
        ItemAssessment.objects.filter(target=target, item_id=deduction.item_id).exclude(
            score_decided_at=None
        ),
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


def _deductions():
    return Deduction.objects.select_related("item", "criterion", "unit", "updated_by")


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
    def create(target: Target) -> Deduction:
        _check_item(target, item)
        check_unit(target, unit)
        cleaned = parse_points(points, field="points", label=_("扣分"))
        text = parse_text(reason, field="reason", label=_("扣分理由"))
        _check_criterion_cap(target=target, item=item, criterion=criterion, points=cleaned, exclude=None)
        return Deduction.objects.create(
            target=target,
            item=item,
            criterion=criterion,
            unit=unit,
            points=cleaned,
            reason=text,
            created_by=user,
            updated_by=user,
        )

    return record_create(target=target, user=user, create=create, then=_undecide)


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
    def clean(target: Target, deduction: Deduction) -> dict:
        check_unit(target, unit)
        cleaned = parse_points(points, field="points", label=_("扣分"))
        text = parse_text(reason, field="reason", label=_("扣分理由"))
        _check_criterion_cap(
            target=target, item=deduction.item, criterion=criterion, points=cleaned, exclude=deduction.pk
        )
        return {"criterion": criterion, "unit": unit, "points": cleaned, "reason": text}

    return record_update(
        _deductions(),
        deduction,
        target=deduction.target,
        version=version,
        user=user,
        mine={"criterion": criterion, "unit": unit, "points": points, "reason": reason},
        clean=clean,
        then=_undecide,
    )


def deduction_delete(*, deduction: Deduction, version: int | None, user) -> None:
    record_delete(
        _deductions(), deduction, target=deduction.target, version=version, user=user, then=_undecide
    )


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
    before = assessment.audit_snapshot()
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
        after=assessment.audit_snapshot(),
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
    reason = parse_text(reason, field="bonus_reason", label=_("加分理由"), required=bonus > 0)
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
    before = assessment.audit_snapshot()
    assessment.bonus, assessment.bonus_reason = bonus, reason
    bump(assessment, user)
    assessment.save()
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=assessment,
        before=before,
        after=assessment.audit_snapshot(),
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
    lead = parse_text(lead, field="lead", label=_("总体评价"), required=False)
    check_version(assessment, version, {"lead": lead})
    if lead == assessment.lead:
        return assessment
    before = assessment.audit_snapshot()
    assessment.lead = lead
    bump(assessment, user)
    assessment.save()
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=assessment,
        before=before,
        after=assessment.audit_snapshot(),
        coalesce=True,  # saved as the user types
    )
    return assessment


# --- evaluation points (一是…二是…) --------------------------------------------------------


def point_create(*, target: Target, item: ChecklistItem, headline: str, body: str, user) -> EvaluationPoint:
    def create(target: Target) -> EvaluationPoint:
        _check_item(target, item)
        assessment = _locked_assessment(target, item)
        return EvaluationPoint.objects.create(
            assessment=assessment,
            position=next_position(assessment.points.all()),
            headline=parse_text(headline, field="headline", label=_("要点"), max_length=limits.NAME),
            body=parse_text(body, field="body", label=_("内容"), required=False),
            updated_by=user,
        )

    return record_create(target=target, user=user, create=create)


def _points():
    return EvaluationPoint.objects.select_related("updated_by")


def point_update(
    *, point: EvaluationPoint, version: int | None, headline: str, body: str, user
) -> EvaluationPoint:
    def clean(target: Target, point: EvaluationPoint) -> dict:
        return {
            "headline": parse_text(headline, field="headline", label=_("要点"), max_length=limits.NAME),
            "body": parse_text(body, field="body", label=_("内容"), required=False),
        }

    return record_update(
        _points(),
        point,
        target=point.assessment.target,
        version=version,
        user=user,
        mine={"headline": headline, "body": body},
        clean=clean,
    )


def point_delete(*, point: EvaluationPoint, version: int | None, user) -> None:
    record_delete(_points(), point, target=point.assessment.target, version=version, user=user)


def point_move(*, point: EvaluationPoint, up: bool, version: int | None, user) -> None:
    siblings = EvaluationPoint.objects.filter(assessment_id=point.assessment_id)
    record_move(siblings, point, target=point.assessment.target, up=up, version=version, user=user)


# --- problems ----------------------------------------------------------------------------------

PROBLEM_FIELDS = ("text", "unit", "category", "owner_unit", "deadline", "rectification", "rectification_note")


def _clean_problem(target: Target, values: dict) -> dict:
    cleaned = {
        "text": parse_text(values.get("text", ""), field="text", label=_("问题")),
        "unit": values.get("unit"),
        "category": (values.get("category") or "").strip()[:50],
        "owner_unit": (values.get("owner_unit") or "").strip()[:100],
        "deadline": values.get("deadline"),
        "rectification": values.get("rectification") or Problem.Rectification.OPEN,
        "rectification_note": parse_text(
            values.get("rectification_note", ""),
            field="rectification_note",
            label=_("整改情况"),
            required=False,
        ),
    }
    check_unit(target, cleaned["unit"])
    if cleaned["rectification"] not in Problem.Rectification.values:
        raise ValidationError({"rectification": [_("整改状态无效。")]})
    if cleaned["deadline"] is not None and not isinstance(cleaned["deadline"], dt.date):
        raise ValidationError({"deadline": [_("整改时限须为日期。")]})
    return cleaned


def problem_create(*, target: Target, item: ChecklistItem, user, **values) -> Problem:
    def create(target: Target) -> Problem:
        _check_item(target, item)
        cleaned = _clean_problem(target, values)
        return Problem.objects.create(
            target=target,
            item=item,
            position=next_position(Problem.objects.filter(target=target, item=item)),
            created_by=user,
            updated_by=user,
            **cleaned,
        )

    return record_create(target=target, user=user, create=create)


def _problems():
    return Problem.objects.select_related("item", "unit", "updated_by")


def problem_update(*, problem: Problem, version: int | None, user, **values) -> Problem:
    return record_update(
        _problems(),
        problem,
        target=problem.target,
        version=version,
        user=user,
        mine=values,
        clean=lambda target, _problem: _clean_problem(target, values),
    )


def problem_delete(*, problem: Problem, version: int | None, user) -> None:
    record_delete(_problems(), problem, target=problem.target, version=version, user=user)


def problem_move(*, problem: Problem, up: bool, version: int | None, user) -> None:
    siblings = Problem.objects.filter(target_id=problem.target_id, item_id=problem.item_id)
    record_move(
        siblings.select_related("item", "unit"),
        problem,
        target=problem.target,
        up=up,
        version=version,
        user=user,
    )
