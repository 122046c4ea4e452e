"""The demo findings: the three demo counties in the three states a new user should see.

* 青山县 — complete (the seed report's texts), submitted by its leader and approved by
  the reviewer: 已审核, ready for an administrator to 定稿.
* 绿水县 — half done: two of four items scored and evaluated, one deduction, one
  problem, a narrative begun; still 填报中.
* 白石区 — untouched.

Everything goes through the services a group uses in the workspace, as the group's
leader or member would, so versions and the audit trail are real. Texts are in
``demo.findings_data``. Idempotent: if 青山县 already has any finding, nothing is done.
"""

from django.db import transaction

from units.models import Unit

from ..models import Campaign, Deduction, GroupMember, ItemAssessment, Problem, Target
from ..selectors.sampling import current_sample
from ..services.editing import LATEST
from ..services.findings import (
    deduction_create,
    evaluation_lead_save,
    point_create,
    problem_create,
    score_decide,
)
from ..services.overview import example_create, narrative_save, recommendation_create
from ..services.workflow import target_approve, target_submit
from . import findings_data as data


class _Target:
    """One target with what its texts name: the group's people, the items, the sampled units."""

    def __init__(self, target: Target):
        self.target = target
        memberships = list(target.group.memberships.select_related("user").order_by("role", "user__username"))
        self.leader = next(m.user for m in memberships if m.role == GroupMember.Role.LEADER)
        members = [m.user for m in memberships if m.role != GroupMember.Role.LEADER]
        self.people = {"leader": self.leader, "member": members[0] if members else self.leader}
        self.items = {
            item.order: item for item in target.campaign.items.prefetch_related("criteria").order_by("order")
        }
        _draw, sampled = current_sample(target)
        self.sampled = {}
        for s in sampled:
            self.sampled.setdefault(s.unit.name, s.unit)

    def unit(self, name: str | None) -> Unit | None:
        """A unit the text names: from the current sample, else (a unit the group looked into
        beyond the draw) from the county's roster; None if the roster has no such unit."""
        if name is None:
            return None
        if name in self.sampled:
            return self.sampled[name]
        county = self.target.unit
        return (
            Unit.objects.filter(ancestry__startswith=county.descendant_prefix, name=name)
            .order_by("pk")
            .first()
        )

    def criterion(self, item_no: int, criterion_no: int):
        return next(c for c in self.items[item_no].criteria.all() if c.order == criterion_no)

    def evaluate(self, evaluations: dict) -> None:
        for item_no, (who, lead, points) in evaluations.items():
            item, user = self.items[item_no], self.people[who]
            evaluation_lead_save(target=self.target, item=item, lead=lead, version=LATEST, user=user)
            for headline, body in points:
                point_create(target=self.target, item=item, headline=headline, body=body, user=user)

    def deduct(self, deductions: list) -> None:
        for item_no, criterion_no, unit, points, reason, who in deductions:
            deduction_create(
                target=self.target,
                item=self.items[item_no],
                criterion=self.criterion(item_no, criterion_no),
                unit=self.unit(unit),
                points=points,
                reason=reason,
                user=self.people[who],
            )

    def find_problems(self, problems: list) -> None:
        for item_no, unit, text, category, owner_unit, who in problems:
            problem_create(
                target=self.target,
                item=self.items[item_no],
                user=self.people[who],
                text=text,
                unit=self.unit(unit),
                category=category,
                owner_unit=owner_unit,
                deadline=data.DEADLINE,
            )

    def decide(self, item_numbers) -> None:
        for item_no in item_numbers:
            score_decide(
                target=self.target, item=self.items[item_no], decided=True, version=LATEST, user=self.leader
            )

    def write_narrative(self, narrative: str) -> None:
        narrative_save(target=self.target, narrative=narrative, version=LATEST, user=self.leader)


def _has_findings(target: Target) -> bool:
    return (
        Deduction.objects.filter(target=target).exists()
        or Problem.objects.filter(target=target).exists()
        or ItemAssessment.objects.filter(target=target).exists()
    )


@transaction.atomic
def load_findings_demo(campaign: Campaign) -> dict:
    """Fill in the demo campaign's targets (after its draws exist). Returns what was done."""
    targets = {
        t.unit.name: t
        for t in Target.objects.filter(campaign=campaign).select_related("unit", "group", "campaign")
    }
    qingshan, lvshui = targets.get(data.QINGSHAN), targets.get(data.LVSHUI)
    if qingshan is None or _has_findings(qingshan):
        return {"created": False}

    # 青山县: everything the report needs, then 提交 and 审核通过.
    qs = _Target(qingshan)
    qs.write_narrative(data.QS_NARRATIVE)
    qs.deduct(data.QS_DEDUCTIONS)
    qs.evaluate(data.QS_EVALUATIONS)
    qs.find_problems(data.QS_PROBLEMS)
    qs.decide(qs.items)
    for title, body, unit in data.QS_EXAMPLES:
        example_create(target=qingshan, title=title, body=body, unit=qs.unit(unit), user=qs.leader)
    for headline, body in data.QS_RECOMMENDATIONS:
        recommendation_create(target=qingshan, headline=headline, body=body, user=qs.leader)
    target_submit(target=qingshan, user=qs.leader)
    reviewer = campaign.reviewer_links.select_related("user").order_by("user__username").first()
    if reviewer is not None:  # the demo campaign has one, 赵雅琴
        target_approve(target=qingshan, user=reviewer.user)
    done = [data.QINGSHAN]

    # 绿水县: half done, left 填报中.
    if lvshui is not None and not _has_findings(lvshui):
        ls = _Target(lvshui)
        ls.write_narrative(data.LS_NARRATIVE)
        ls.deduct(data.LS_DEDUCTIONS)
        ls.evaluate(data.LS_EVALUATIONS)
        ls.find_problems(data.LS_PROBLEMS)
        ls.decide(data.LS_EVALUATIONS)
        done.append(data.LVSHUI)
    return {"created": True, "targets": done}
