"""The submission workflow of a target (填报中 → 已提交 → 退回修改 / 已审核 → 已定稿).

Who may take each step is assessment.permissions' question (can_submit,
can_review, is_admin); these functions check it again so that no view can
forget, enforce the order of the steps, and record each step with its comment.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import limits

from .. import permissions
from ..models import Target, WorkflowEvent
from ..selectors import missing_for_submission

Status = Target.Status


def _move(*, target: Target, to: str, allowed_from: tuple[str, ...], user, comment: str = "") -> Target:
    target = (
        Target.objects.select_for_update(of=("self",)).select_related("campaign", "group").get(pk=target.pk)
    )
    if target.status not in allowed_from:
        raise ValidationError(
            _("当前状态为“%(status)s”，不能进行此操作。") % {"status": target.get_status_display()}
        )
    WorkflowEvent.objects.create(
        target=target, actor=user, from_status=target.status, to_status=to, comment=comment
    )
    target.status = to
    target.status_changed_at = timezone.now()
    target.save(update_fields=["status", "status_changed_at"])
    return target


@transaction.atomic
def target_submit(*, target: Target, user) -> Target:
    """The leader hands the group's work in. Refused, with what is missing, unless every item
    has a score decision and an overall evaluation."""
    if not permissions.can_submit(user, target):
        raise PermissionDenied(_("只有考核组组长可以提交。"))
    # Lock first: every edit locks the target too, so nothing can change between the check and the step.
    target = Target.objects.select_for_update(of=("self",)).get(pk=target.pk)
    missing = missing_for_submission(target)
    if missing:
        raise ValidationError([_("还不能提交：")] + missing)
    return _move(
        target=target, to=Status.SUBMITTED, allowed_from=(Status.DRAFTING, Status.RETURNED), user=user
    )


@transaction.atomic
def target_return(*, target: Target, user, comment: str) -> Target:
    """A reviewer sends the submission back with a comment the group sees."""
    if not permissions.can_review(user, target):
        raise PermissionDenied(_("只有组织部审核人员可以审核。"))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("退回时请写明需要修改的内容。")]})
    if len(comment) > limits.PARAGRAPH:
        raise ValidationError(
            {"comment": [_("意见最多%(limit)s字，请精简。") % {"limit": f"{limits.PARAGRAPH:,}"}]}
        )
    return _move(
        target=target, to=Status.RETURNED, allowed_from=(Status.SUBMITTED,), user=user, comment=comment
    )


@transaction.atomic
def target_approve(*, target: Target, user, comment: str = "") -> Target:
    if not permissions.can_review(user, target):
        raise PermissionDenied(_("只有组织部审核人员可以审核。"))
    return _move(
        target=target,
        to=Status.APPROVED,
        allowed_from=(Status.SUBMITTED,),
        user=user,
        comment=comment.strip(),
    )


@transaction.atomic
def target_finalize(*, target: Target, user) -> Target:
    """定稿: the administrator locks the approved work; only reopening changes it again."""
    if not permissions.is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以定稿。"))
    return _move(target=target, to=Status.FINALIZED, allowed_from=(Status.APPROVED,), user=user)


@transaction.atomic
def target_reopen(*, target: Target, user, reason: str) -> Target:
    """An administrator reopens a target for editing, saying why."""
    if not permissions.is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以重新打开。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请说明重新打开的原因。")]})
    allowed = (Status.SUBMITTED, Status.APPROVED, Status.FINALIZED)
    return _move(target=target, to=Status.DRAFTING, allowed_from=allowed, user=user, comment=reason)


def latest_return(target: Target) -> WorkflowEvent | None:
    """The comment of the last return, while the target is still being revised."""
    if target.status != Status.RETURNED:
        return None
    return target.workflow_events.filter(to_status=Status.RETURNED).select_related("actor").first()
