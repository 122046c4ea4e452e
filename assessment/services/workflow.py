"""The submission workflow of a target (填报中 → 已提交 → 退回修改 / 已审核 → 已定稿).

Which step may be taken from which state, and by which role, is
assessment.domain.workflow's table; who holds a role for a target is
assessment.permissions' question (``roles_for``). These functions check both again so
that no view can forget, and record each step with its comment. The workspace offers
the steps ``available_steps`` returns: the same table.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import limits

from .. import extensions, permissions
from ..domain import workflow as rules
from ..domain.completeness import Gap
from ..domain.locks import closed_message
from ..domain.workflow import Role, Status, Step
from ..models import Target, WorkflowEvent
from ..selectors.workspace import submission_gaps


class SubmissionIncomplete(ValidationError):
    """A submission refused because the work is incomplete: ``gaps`` says what is missing and
    where it is fixed (assessment.domain.completeness)."""

    def __init__(self, gaps: list[Gap]):
        self.gaps = gaps
        super().__init__([_("还不能提交：")] + [gap.text for gap in gaps])


def roles_for(user, target: Target) -> set[str]:
    """The workflow roles ``user`` holds for ``target`` (assessment.permissions decides)."""
    roles = set()
    if permissions.can_submit(user, target):
        roles.add(Role.LEADER)
    if permissions.can_review(user, target):
        roles.add(Role.REVIEWER)
    if permissions.is_admin(user):
        roles.add(Role.ADMIN)
    return roles


def available_steps(user, target: Target) -> list[str]:
    """The steps the workspace offers ``user`` on ``target`` now (assessment.domain.workflow);
    none in a closed campaign."""
    if target.campaign.is_closed:
        return []
    return rules.allowed_steps(target.status, roles_for(user, target))


def _move(*, target: Target, step: str, user, comment: str = "") -> Target:
    target = (
        Target.objects.select_for_update(of=("self",)).select_related("campaign", "group").get(pk=target.pk)
    )
    if target.campaign.is_closed:  # everything of a closed campaign is read-only, its workflow too
        raise ValidationError(closed_message(_("审核流程")))
    if not rules.can_take(step, target.status):
        raise ValidationError(
            _("当前状态为“%(status)s”，不能进行此操作。") % {"status": target.get_status_display()}
        )
    to = rules.TRANSITIONS[step].to
    WorkflowEvent.objects.create(
        target=target, actor=user, from_status=target.status, to_status=to, comment=comment
    )
    target.status = to
    target.status_changed_at = timezone.now()
    target.save(update_fields=["status", "status_changed_at"])
    extensions.target_moved.send(sender=Target, target=target, step=step, user=user)
    return target


@transaction.atomic
def target_submit(*, target: Target, user) -> Target:
    """The leader hands the group's work in. Refused (SubmissionIncomplete, with what is missing)
    unless the submission check passes (assessment.domain.completeness.submission_gaps)."""
    if not permissions.can_submit(user, target):
        raise PermissionDenied(_("只有考核组组长可以提交。"))
    # Lock first: every edit locks the target too, so nothing can change between the check and the step.
    target = Target.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=target.pk)
    if rules.can_take(Step.SUBMIT, target.status):
        gaps = submission_gaps(target)
        if gaps:
            raise SubmissionIncomplete(gaps)
    return _move(target=target, step=Step.SUBMIT, user=user)


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
    return _move(target=target, step=Step.RETURN, user=user, comment=comment)


@transaction.atomic
def target_approve(*, target: Target, user, comment: str = "") -> Target:
    if not permissions.can_review(user, target):
        raise PermissionDenied(_("只有组织部审核人员可以审核。"))
    return _move(target=target, step=Step.APPROVE, user=user, comment=comment.strip())


@transaction.atomic
def target_finalize(*, target: Target, user) -> Target:
    """定稿: the administrator locks the approved work; only reopening changes it again."""
    if not permissions.is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以定稿。"))
    target = Target.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=target.pk)
    if rules.can_take(Step.FINALIZE, target.status):
        refusals = extensions.finalize_refusals(target)
        if refusals:
            raise ValidationError(refusals)
    return _move(target=target, step=Step.FINALIZE, user=user)


@transaction.atomic
def target_reopen(*, target: Target, user, reason: str) -> Target:
    """An administrator reopens a target for editing, saying why."""
    if not permissions.is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以重新打开。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请说明重新打开的原因。")]})
    return _move(target=target, step=Step.REOPEN, user=user, comment=reason)


def latest_return(target: Target) -> WorkflowEvent | None:
    """The comment of the last return, while the target is still being revised."""
    if target.status != Status.RETURNED:
        return None
    return target.workflow_events.filter(to_status=Status.RETURNED).select_related("actor").first()
