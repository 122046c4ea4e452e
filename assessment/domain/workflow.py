"""The submission workflow of a target: its states, and which step each role may take from each.

    填报中 ──提交审核 (leader)──▶ 已提交 ──审核通过 (reviewer)──▶ 已审核 ──定稿 (admin)──▶ 已定稿
    退回修改 ─┘                    └──退回修改 (reviewer)──▶ 退回修改 ◀──退回修改 (reviewer)──┘
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
        # An approved target goes back too: a ruling on the unit's objection changes a problem.
        Transition(
            Step.RETURN, frozenset({Status.SUBMITTED, Status.APPROVED}), Status.RETURNED, Role.REVIEWER
        ),
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


# What each step does to the people concerned, asked before it is taken (the buttons' confirmation).
CONSEQUENCES: dict[str, str] = {
    Step.SUBMIT: _("提交后本组将不能修改，直到审核退回。确定提交审核吗？"),
    Step.RETURN: _("退回后考核组可以修改并须重新提交审核。确定退回吗？"),
    Step.APPROVE: _("审核通过后考核组不能再修改，等待管理员定稿。确定审核通过吗？"),
    Step.FINALIZE: _(
        "定稿后考核材料和报告锁定，任何人不能修改；只有管理员说明原因后重新打开才能修改。确定定稿吗？"
    ),
    Step.REOPEN: _(
        "重新打开后回到“填报中”，考核组可以修改，须重新提交、审核和定稿；已导出的定稿报告不再是最终版本。确定重新打开吗？"
    ),
}


def can_take(step: str, status: str) -> bool:
    """Whether ``step`` may be taken from ``status`` (whoever takes it)."""
    return status in TRANSITIONS[step].sources


def allowed_steps(status: str, roles: Collection[str]) -> list[str]:
    """The steps someone holding ``roles`` may take from ``status``, in the order of ``Step``."""
    return [step for step in Step if TRANSITIONS[step].role in roles and status in TRANSITIONS[step].sources]
