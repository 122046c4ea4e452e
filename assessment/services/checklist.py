"""Editing a campaign's checklist item by item (the Excel import replaces it whole).

An item with a deduction under it is locked: its structure (title, score,
criteria) may still change, but only by an administrator who states why; every
change is recorded in ChecklistChange with the item before and after.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from accounts import model_audit
from core.numbers import points_text
from core.text import clean_text

from ..models import AuditEntry, Campaign, ChecklistChange, ChecklistItem, Criterion, Deduction, Target
from . import locks
from .editing import audit_each

# A temporary order far above any real one: renumbering goes through it so the
# (parent, order) unique constraints never see two rows with the same number.
_OUT_OF_THE_WAY = F("order") + 10000


@dataclass
class CriterionInput:
    text: str
    points: Decimal | None = None
    method: str = ""
    pk: int | None = None  # an existing criterion being edited


def item_snapshot(item: ChecklistItem) -> dict:
    """An item with its criteria as JSON, for the record of changes (uses prefetched criteria if any)."""
    return {
        "order": item.order,
        "title": item.title,
        "full_score": points_text(item.full_score),
        "lead_department": item.lead_department,
        "note": item.note,
        "criteria": [
            {"order": c.order, "text": c.text, "points": points_text(c.points), "method": c.method}
            for c in sorted(item.criteria.all(), key=lambda c: c.order)
        ],
    }


def item_is_locked(item: ChecklistItem) -> bool:
    """Scoring has begun under this item."""
    return item.pk is not None and Deduction.objects.filter(item=item).exists()


def checklist_refusal(campaign: Campaign) -> str | None:
    """Why the checklist may not change now: it is every county's, so each must be open."""
    return locks.refusal(campaign=campaign, what=locks.CHECKLIST)


def _check_editable(campaign: Campaign) -> list[Target]:
    """Refuse unless every county of the campaign is open; the counties, their rows locked."""
    locks.require_open(campaign=campaign, what=locks.CHECKLIST)
    return list(Target.objects.filter(campaign=campaign))


def history_snapshot(item: ChecklistItem) -> dict:
    """An item as a county's 修改记录 shows it (flat: one line per field)."""
    criteria = sorted(item.criteria.all(), key=lambda c: c.order)
    return {
        "序号": item.order,
        "考核项目": item.title,
        "分值": points_text(item.full_score),
        "牵头单位": item.lead_department or None,
        "备注": item.note or None,
        "评分细则": "；".join(
            f"{c.order}. {c.text}" + (f"（{points_text(c.points)}分）" if c.points is not None else "")
            for c in criteria
        ),
    }


def checklist_line(campaign: Campaign) -> dict:
    """The whole checklist in one line, for a county's 修改记录 of an import."""
    items = campaign.items.order_by("order")
    return {"考核项目清单": "；".join(f"{i.title}（{points_text(i.full_score)}分）" for i in items) or None}


def _record(targets, *, user, action: str, obj, before, after, reason: str = "") -> None:
    if after is not None and reason:
        after = {**after, "原因": reason}
    audit_each(
        targets,
        user=user,
        action=action,
        obj=obj,
        before=before,
        after=after,
        title=_("考核项目：%(title)s") % {"title": obj.title},
    )


def _validate(item: ChecklistItem, criteria: list[CriterionInput]) -> None:
    errors: dict[str, list[str]] = {}
    if not item.title:
        errors["title"] = [_("请填写考核项目名称。")]
    elif ChecklistItem.objects.filter(campaign=item.campaign, title=item.title).exclude(pk=item.pk).exists():
        errors["title"] = [_("清单中已有“%(title)s”。") % {"title": item.title}]
    if item.full_score is None or item.full_score <= 0:
        errors["full_score"] = [_("分值必须大于0。")]
    if not criteria:
        errors["criteria"] = [_("每个考核项目至少要有一条考核内容及评分标准。")]
    for c in criteria:
        if c.points is not None and c.points <= 0:
            errors.setdefault("criteria", []).append(_("要点分值必须大于0，或者留空。"))
    total = sum((c.points for c in criteria if c.points is not None), Decimal(0))
    if item.full_score and total > item.full_score:
        errors.setdefault("criteria", []).append(
            _("各评分细则的分值合计%(total)s分，超过了项目分值%(score)s分。")
            % {"total": f"{total.normalize():f}", "score": f"{item.full_score.normalize():f}"}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_save(
    *,
    campaign: Campaign,
    item: ChecklistItem | None = None,
    title: str,
    full_score: Decimal,
    lead_department: str = "",
    note: str = "",
    criteria: list[CriterionInput],
    reason: str = "",
    user,
) -> ChecklistItem:
    """Create or change an item with its criteria, in the order given."""
    targets = _check_editable(campaign)
    creating = item is None
    if creating:
        next_order = (campaign.items.aggregate(m=Max("order"))["m"] or 0) + 1
        item = ChecklistItem(campaign=campaign, order=next_order)
    locked = item_is_locked(item)
    reason = reason.strip()
    if locked and not reason:
        raise ValidationError({"reason": [_("该项目已有扣分记录，修改须说明原因。")]})
    before = None if creating else item_snapshot(item)
    history_before = None if creating else history_snapshot(item)
    item.title = clean_text(title)
    item.full_score = full_score
    item.lead_department = clean_text(lead_department)
    item.note = note.strip()
    criteria = [
        CriterionInput(clean_text(c.text), c.points, clean_text(c.method), c.pk)
        for c in criteria
        if clean_text(c.text)
    ]
    _validate(item, criteria)
    item.save()

    existing = {c.pk: c for c in item.criteria.all()}
    keep = {c.pk for c in criteria if c.pk in existing}
    doomed = [c for pk, c in existing.items() if pk not in keep]
    used = set(Deduction.objects.filter(criterion__in=doomed).values_list("criterion_id", flat=True))
    if used:
        raise ValidationError(
            {
                "criteria": [
                    _("评分细则“%(text)s”下已有扣分，不能删除。") % {"text": existing[pk].text[:30]}
                    for pk in used
                ]
            }
        )
    Criterion.objects.filter(pk__in=[c.pk for c in doomed]).delete()
    with model_audit.tracked(Criterion.objects.filter(item=item)):  # the security trail: before → after
        Criterion.objects.filter(item=item).update(order=_OUT_OF_THE_WAY)
        for position, c in enumerate(criteria, start=1):
            if c.pk in existing:
                Criterion.objects.filter(pk=c.pk).update(
                    order=position, text=c.text, points=c.points, method=c.method
                )
            else:
                Criterion.objects.create(
                    item=item, order=position, text=c.text, points=c.points, method=c.method
                )
    ChecklistChange.objects.create(
        campaign=campaign,
        item_title=item.title,
        action=_("新增项目") if creating else _("修改项目"),
        reason=reason,
        before=before,
        after=item_snapshot(item),
        changed_by=user,
    )
    history_after = history_snapshot(item)
    if history_after != history_before:
        action = AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE
        _record(
            targets,
            user=user,
            action=action,
            obj=item,
            before=history_before,
            after=history_after,
            reason=reason,
        )
    return item


@transaction.atomic
def item_delete(*, item: ChecklistItem, reason: str = "", user) -> None:
    targets = _check_editable(item.campaign)
    if item_is_locked(item):
        raise ValidationError(_("“%(title)s”已有扣分记录，不能删除。") % {"title": item.title})
    if item.problems.exists():
        raise ValidationError(_("“%(title)s”已有问题记录，不能删除。") % {"title": item.title})
    if item.assessments.exists():  # an evaluation written or a score decided: work of a county
        raise ValidationError(_("“%(title)s”已有总体评价或得分确认记录，不能删除。") % {"title": item.title})
    campaign = item.campaign
    ChecklistChange.objects.create(
        campaign=campaign,
        item_title=item.title,
        action=_("删除项目"),
        reason=reason.strip(),
        before=item_snapshot(item),
        after=None,
        changed_by=user,
    )
    _record(
        targets,
        user=user,
        action=AuditEntry.Action.DELETE,
        obj=item,
        before=history_snapshot(item),
        after=None,
    )
    item.delete()
    _renumber(campaign, list(campaign.items.order_by("order").values_list("pk", flat=True)))


def _renumber(campaign: Campaign, ordered_ids: list[int]) -> None:
    with model_audit.tracked(ChecklistItem.objects.filter(campaign=campaign)):  # the security trail
        ChecklistItem.objects.filter(campaign=campaign).update(order=_OUT_OF_THE_WAY)
        for position, pk in enumerate(ordered_ids, start=1):
            ChecklistItem.objects.filter(pk=pk).update(order=position)


@transaction.atomic
def item_move(*, item: ChecklistItem, up: bool, user) -> None:
    """Swap an item with its neighbour above or below."""
    targets = _check_editable(item.campaign)
    ids = list(item.campaign.items.order_by("order").values_list("pk", flat=True))
    index = ids.index(item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    before = {"序号": item.order}
    _renumber(item.campaign, ids)
    item.refresh_from_db(fields=["order"])
    _record(
        targets,
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=item,
        before=before,
        after={"序号": item.order},
    )
    ChecklistChange.objects.create(
        campaign=item.campaign,
        item_title=item.title,
        action=_("上移项目") if up else _("下移项目"),
        changed_by=user,
    )
