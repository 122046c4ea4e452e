"""The submission workflow of a target: its states, and which step each role may take from each.

    填报中 ──提交审核 (leader)──▶ 已提交 ──审核通过 (reviewer)──▶ 已审核 ──定稿 (admin)──▶ 已定稿
    退回修改 ─┘                    └──退回修改 (reviewer)──▶ 退回修改
    已提交 / 已审核 / 已定稿 ──重新打开 (admin, with a reason)──▶ 填报中

The group edits its findings in 填报中 and 退回修改 only. The services take a step only when
``TRANSITIONS`` allows it from the target's state and the user holds its role; the workspace
offers exactly the steps ``allowed_steps`` returns. Who holds which role for a target is
assessment.permissions' question (see assessment.services.workflow.roles_for).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Status(TextChoices):
    """A target's state (``Target.Status``). The group edits in DRAFTING and RETURNED only."""

    DRAFTING = "drafting", _("填报中")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审核")
    FINALIZED = "finalized", _("已定稿")


EDITABLE = frozenset({Status.DRAFTING, Status.RETURNED})


def is_editable(status: str) -> bool:
    return status in EDITABLE


class Role(TextChoices):
    """Who may take a step: the group's leader (or an administrator on its behalf), a reviewer of
    the campaign, an administrator."""

    LEADER = "leader", _("考核组组长")
    REVIEWER = "reviewer", _("审核人员")
    ADMIN = "admin", _("系统管理员")


class Step(TextChoices):
    SUBMIT = "submit", _("提交审核")
    RETURN = "return", _("退回修改")
    APPROVE = "approve", _("审核通过")
    FINALIZE = "finalize", _("定稿")
    REOPEN = "reopen", _("重新打开")


@dataclass(frozen=True, slots=True)
class Transition:
    step: str
    sources: frozenset[str]
    to: str
    role: str


TRANSITIONS: dict[str, Transition] = {
    t.step: t
    for t in (
        Transition(Step.SUBMIT, frozenset({Status.DRAFTING, Status.RETURNED}), Status.SUBMITTED, Role.LEADER),
        Transition(Step.RETURN, frozenset({Status.SUBMITTED}), Status.RETURNED, Role.REVIEWER),
        Transition(Step.APPROVE, frozenset({Status.SUBMITTED}), Status.APPROVED, Role.REVIEWER),
        Transition(Step.FINALIZE, frozenset({Status.APPROVED}), Status.FINALIZED, Role.ADMIN),
        Transition(
            Step.REOPEN,
            frozenset({Status.SUBMITTED, Status.APPROVED, Status.FINALIZED}),
            Status.DRAFTING,
            Role.ADMIN,
        ),
    )
}


def can_take(step: str, status: str) -> bool:
    """Whether ``step`` may be taken from ``status`` (whoever takes it)."""
    return status in TRANSITIONS[step].sources


def allowed_steps(status: str, roles: Collection[str]) -> list[str]:
    """The steps someone holding ``roles`` may take from ``status``, in the order of ``Step``."""
    return [step for step in Step if TRANSITIONS[step].role in roles and status in TRANSITIONS[step].sources]
