"""The 筹备步骤 of a campaign, in the order an organization department does them: the unit roster,
the people, the campaign itself (its reviewers), the checklist, the groups with their targets,
the sampling plan and the draw. Each step is done or says what is still missing; the campaign
page's step bar and the administrator's to-do list read the same steps.

Pure: the facts come as plain counts (``assessment.selectors.setup`` gathers them).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Key(TextChoices):
    ROSTER = "roster", gettext_lazy("单位名册")
    PEOPLE = "people", gettext_lazy("人员")
    CAMPAIGN = "campaign", gettext_lazy("考核工作")
    CHECKLIST = "checklist", gettext_lazy("考核项目清单")
    GROUPS = "groups", gettext_lazy("考核组和考核对象")
    PLAN = "plan", gettext_lazy("抽查方案")
    DRAW = "draw", gettext_lazy("抽签")


@dataclass(frozen=True, slots=True)
class Facts:
    target_units: int  # active units of the kinds the campaign assesses
    people: int  # active accounts that can be put on groups (administrators aside)
    reviewers: int
    checklist_items: int
    groups: int
    groups_without_leader: int
    targets: int
    unassigned_units: int  # active units of those kinds no group assesses yet
    plan_saved: bool  # the campaign's default sampling plan was set (or a draw already used one)
    targets_to_draw: int  # targets whose sample is still to be drawn


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    label: str
    done: bool
    missing: str  # what is still to do ("" when done)


def steps(facts: Facts) -> list[Step]:
    """The seven steps, each done or with what is missing."""

    def step(key: Key, missing: str) -> Step:
        return Step(key=key.value, label=str(key.label), done=not missing, missing=missing)

    groups_missing = ""
    if not facts.groups:
        groups_missing = _("尚未建立考核组")
    elif not facts.targets:
        groups_missing = _("考核组尚未分配考核对象")
    elif facts.groups_without_leader:
        groups_missing = _("%(n)d 个考核组没有组长") % {"n": facts.groups_without_leader}
    elif facts.unassigned_units:
        groups_missing = _("还有 %(n)d 个单位未分配考核组") % {"n": facts.unassigned_units}
    draw_missing = ""
    if not facts.targets:
        draw_missing = _("先分配考核对象")
    elif facts.targets_to_draw:
        draw_missing = _("%(n)d 个考核对象尚未抽签") % {"n": facts.targets_to_draw}
    return [
        step(Key.ROSTER, "" if facts.target_units else _("名册中还没有可考核的单位，请先导入单位名册")),
        step(Key.PEOPLE, "" if facts.people else _("还没有考核人员的账号，请先添加或导入人员")),
        step(Key.CAMPAIGN, "" if facts.reviewers else _("尚未指定审核人员")),
        step(Key.CHECKLIST, "" if facts.checklist_items else _("尚未导入考核项目清单")),
        step(Key.GROUPS, groups_missing),
        step(Key.PLAN, "" if facts.plan_saved else _("尚未确认抽查方案")),
        step(Key.DRAW, draw_missing),
    ]


def pending(facts: Facts) -> list[Step]:
    """The steps not done yet, in order."""
    return [s for s in steps(facts) if not s.done]
