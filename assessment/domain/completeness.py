"""When an item is done, and what still keeps a target from being submitted.

One check, read by the report preview's "报告尚不完整" list, the workspace's submit button and
the service that refuses a submission: every item decided (确认得分), every 总体评价 with its lead
paragraph, no item with deductions but an empty 问题清单 (deductions are problems found), and the
工作情况 narrative written. Each gap says where it is fixed (``Place``), so pages can link to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from .scoring import ItemFacts


class Place(TextChoices):
    """Where in the workspace a gap is fixed."""

    CHECKLIST = "checklist"  # the campaign has no checklist yet: the administrator's
    NARRATIVE = "narrative"  # 工作情况 tab
    SCORE = "score"  # the item's 得分情况 (确认得分)
    EVALUATION = "evaluation"  # the item's 总体评价
    PROBLEMS = "problems"  # the item's 问题清单


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing missing before submission, in the user's words, and where it is fixed."""

    place: str  # a Place
    text: str
    item_id: int | None = None


@dataclass(frozen=True, slots=True)
class ItemEntry:
    """An item as the check sees it: its key (the checklist item's id), its heading
    ("（三）老干部工作") and its facts."""

    item_id: int
    heading: str
    facts: ItemFacts


def item_gaps(entry: ItemEntry) -> list[Gap]:
    facts, heading, item_id = entry.facts, entry.heading, entry.item_id
    gaps = []
    if not facts.decided:
        gaps.append(Gap(Place.SCORE, _("%(item)s 尚未确认得分") % {"item": heading}, item_id))
    if not facts.has_lead:
        gaps.append(
            Gap(Place.EVALUATION, _("%(item)s 尚未填写总体评价（导语）") % {"item": heading}, item_id)
        )
    if facts.deductions_without_problem:
        gaps.append(Gap(Place.PROBLEMS, _("%(item)s 有扣分，但问题清单为空") % {"item": heading}, item_id))
    return gaps


def item_done(facts: ItemFacts) -> bool:
    """An item is done when decided, evaluated (its lead written) and every deduction has its
    problem: what "已完成 n/m 项" counts. (In SQL for lists of targets:
    assessment.selectors.workspace.done_assessments, pinned to this by a test.)"""
    return facts.decided and facts.has_lead and not facts.deductions_without_problem


def submission_gaps(items: Sequence[ItemEntry], *, narrative_written: bool) -> list[Gap]:
    """Everything that keeps the target from being submitted, in the report's order: 工作情况
    first, then item by item. Empty when the target may be submitted."""
    gaps = []
    if not items:
        gaps.append(Gap(Place.CHECKLIST, _("本次考核还没有考核项目")))
    if not narrative_written:
        gaps.append(Gap(Place.NARRATIVE, _("工作情况尚未填写")))
    for entry in items:
        gaps.extend(item_gaps(entry))
    return gaps
