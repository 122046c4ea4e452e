"""assessment.domain: each rule once, as plain functions; and every place that applies it in SQL or
through a page pinned to the pure rule (done items in SQL, the workflow buttons on the workspace)."""

import itertools
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.domain import completeness, scoring, workflow
from assessment.domain.completeness import Gap, ItemEntry, Place
from assessment.domain.scoring import Grade, GradeBands, ItemFacts
from assessment.domain.workflow import Role, Status, Step
from assessment.models import Deduction, ItemAssessment, Problem, Target
from assessment.selectors.workspace import done_assessments, item_states
from assessment.services import workflow as workflow_services
from tests.factories import ChecklistItemFactory

D = Decimal


# --- scoring -----------------------------------------------------------------------------------------


def test_an_item_scores_only_once_decided():
    facts = ItemFacts(full=D(40), deducted=D(3), problems=1)
    assert (facts.points, facts.score) == (D(37), None)
    decided = ItemFacts(full=D(40), deducted=D(3), decided=True)
    assert decided.score == D(37)
    assert ItemFacts(full=D(10), deducted=D(12), bonus=D(1), decided=True).score == D(
        1
    )  # floored, then the bonus


@pytest.mark.parametrize(
    ("scores", "value", "provisional", "text"),
    [
        ([D(37), D(25), D("14.5"), D(19)], D("95.5"), None, "95.5分"),
        ([D(39), D(25), None, None], None, D(64), "暂计 64 分（2 项未评分）"),
        ([None, None, None, None], None, None, "未评分"),  # no sum of nothing
        ([D(0), None], None, D(0), "暂计 0 分（1 项未评分）"),  # a decided zero is a score
        ([], None, None, "未评分"),  # no checklist: nothing to total
    ],
)
def test_a_total_only_when_every_item_is_decided(scores, value, provisional, text):
    total = scoring.total_of(scores, D(100))
    assert (total.value, total.provisional, total.text) == (value, provisional, text)
    assert total.complete == (value is not None)


def test_grades_and_percentages_only_for_a_total():
    bands = GradeBands(good=D(90), fairly_good=D(80), average=D(60))
    assert scoring.grade_of(bands, D(90), D(100)) == Grade.GOOD
    assert scoring.grade_of(bands, D("89.99"), D(100)) == Grade.FAIRLY_GOOD
    assert scoring.grade_of(bands, D(36), D(40)) == Grade.GOOD
    assert scoring.grade_of(bands, None, D(100)) is None
    assert scoring.grade_of(bands, D(50), D(0)) is None
    assert scoring.percent_of(None, D(100)) is None
    assert scoring.percent_of(D("35.99"), D(40)) == D("89.97")


def test_statistics_over_known_values():
    stats = scoring.stats_of([D(37), None, D(39)])
    assert (stats.average, stats.minimum, stats.maximum, stats.count, stats.of, stats.partial) == (
        D(38),
        D(37),
        D(39),
        2,
        3,
        True,
    )
    empty = scoring.stats_of([None, None])
    assert (empty.average, empty.count, empty.of) == (None, 0, 2)


# --- completeness ---------------------------------------------------------------------------------------


def test_no_problem_found_only_when_decided_without_deductions_or_problems():
    assert ItemFacts(full=D(10), decided=True).found_nothing
    assert not ItemFacts(full=D(10)).found_nothing  # nobody looked yet
    assert not ItemFacts(full=D(10), deducted=D(1), decided=True).found_nothing  # a deduction is a problem
    assert not ItemFacts(full=D(10), decided=True, problems=1).found_nothing


def test_item_done_needs_a_decision_a_lead_and_a_problem_for_its_deductions():
    assert completeness.item_done(ItemFacts(full=D(10), decided=True, has_lead=True))
    assert not completeness.item_done(ItemFacts(full=D(10), decided=False, has_lead=True))
    assert not completeness.item_done(ItemFacts(full=D(10), decided=True, has_lead=False))
    assert not completeness.item_done(ItemFacts(full=D(10), deducted=D(1), decided=True, has_lead=True))
    assert completeness.item_done(
        ItemFacts(full=D(10), deducted=D(1), decided=True, has_lead=True, problems=1)
    )


def test_the_submission_check_lists_gaps_in_the_reports_order_with_where_to_fix():
    items = [
        ItemEntry(1, "（一）甲", ItemFacts(full=D(10), deducted=D(1), decided=True, has_lead=True)),
        ItemEntry(2, "（二）乙", ItemFacts(full=D(10))),
        ItemEntry(3, "（三）丙", ItemFacts(full=D(10), decided=True, has_lead=True)),
    ]
    assert completeness.submission_gaps(items, narrative_written=False) == [
        Gap(Place.NARRATIVE, "工作情况尚未填写"),
        Gap(Place.PROBLEMS, "（一）甲 有扣分，但问题清单为空", 1),
        Gap(Place.SCORE, "（二）乙 尚未确认得分", 2),
        Gap(Place.EVALUATION, "（二）乙 尚未填写总体评价（导语）", 2),
    ]
    assert completeness.submission_gaps(items[2:], narrative_written=True) == []
    assert completeness.submission_gaps([], narrative_written=True) == [
        Gap(Place.CHECKLIST, "本次考核还没有考核项目")
    ]


@pytest.mark.django_db
def test_done_items_in_sql_are_the_pure_rule(setup):
    """selectors.workspace.done_assessments (the progress and the home cards count with it) against
    completeness.item_done, over every combination of decision, lead, deductions and problems —
    and an item nobody has opened (no assessment row)."""
    target, leader, campaign = setup["qs_target"], setup["leader"], setup["campaign"]
    combinations = list(itertools.product([False, True], repeat=4))
    items = [
        ChecklistItemFactory(campaign=campaign, order=n + 2, title=f"项目{n}", full_score=10)
        for n in range(len(combinations))
    ]
    for item, (decided, lead, deducted, problem) in zip(items, combinations, strict=True):
        ItemAssessment.objects.create(
            target=target,
            item=item,
            lead="扎实" if lead else "",
            score_decided_at=timezone.now() if decided else None,
        )
        if deducted:
            Deduction.objects.create(target=target, item=item, points=1, reason="x", created_by=leader)
        if problem:
            Problem.objects.create(target=target, item=item, text="问题", created_by=leader)
    # Another target's problem on an item with a deduction but no problem here counts for nothing.
    assert combinations[14] == (True, True, True, False)
    Problem.objects.create(target=setup["lv_target"], item=items[14], text="别处的问题", created_by=leader)

    in_sql = set(done_assessments().filter(target=target).values_list("item_id", flat=True))
    pure = {s.item.pk for s in item_states(target) if completeness.item_done(s.facts)}
    assert in_sql == pure
    assert len(pure) == 3  # decided and a lead, and no deduction, or a problem beside it
    assert setup["item"].pk not in pure  # never opened


# --- workflow ---------------------------------------------------------------------------------------------

# status → role → the steps it may take, by hand from the design (domain.md's submission workflow).
STEPS = {
    Status.DRAFTING: {Role.LEADER: [Step.SUBMIT]},
    Status.RETURNED: {Role.LEADER: [Step.SUBMIT]},
    Status.SUBMITTED: {Role.REVIEWER: [Step.RETURN, Step.APPROVE], Role.ADMIN: [Step.REOPEN]},
    # Returned after approval when a ruling on the assessed unit's objection changes a problem.
    Status.APPROVED: {Role.REVIEWER: [Step.RETURN], Role.ADMIN: [Step.FINALIZE, Step.REOPEN]},
    Status.FINALIZED: {Role.ADMIN: [Step.REOPEN]},
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", list(Role))
def test_the_steps_each_role_may_take_from_each_state(status, role):
    assert workflow.allowed_steps(status, {role}) == STEPS[status].get(role, [])


def test_only_drafting_and_returned_are_editable():
    assert [s for s in Status if workflow.is_editable(s)] == [Status.DRAFTING, Status.RETURNED]
    assert Target.Status is Status


# The workspace's buttons, found by the address each form posts to.
ACTIONS = {
    Step.SUBMIT: "campaigns:target_submit",
    Step.RETURN: "campaigns:target_return",
    Step.APPROVE: "campaigns:target_approve",
    Step.FINALIZE: "campaigns:target_finalize",
    Step.REOPEN: "campaigns:target_reopen",
}
# Who holds which roles on 青山县 (admins act for the group too).
ROLES = {
    "leader": {Role.LEADER},
    "member": set(),
    "reviewer": {Role.REVIEWER},
    "admin": {Role.LEADER, Role.REVIEWER, Role.ADMIN},
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_the_workspace_offers_exactly_the_steps_of_the_table(setup, status):
    target = setup["qs_target"]
    Target.objects.filter(pk=target.pk).update(status=status, narrative="全县党建工作扎实推进。")
    ItemAssessment.objects.create(
        target=target, item=setup["item"], lead="扎实", score_decided_at=timezone.now()
    )
    for who, roles in ROLES.items():
        user = setup[who]
        client = Client()
        client.force_login(user)
        html = client.get(reverse("campaigns:target", args=[target.pk])).content.decode()
        offered = [
            step for step, name in ACTIONS.items() if f'action="{reverse(name, args=[target.pk])}"' in html
        ]
        expected = [step for step in Step if any(step in STEPS[status].get(role, []) for role in roles)]
        assert offered == expected, (status, who)
        fresh = Target.objects.get(pk=target.pk)
        assert workflow_services.available_steps(user, fresh) == expected, (status, who)
