"""The workflow of a target (填报中 → 已提交 → 退回修改 / 已审核 → 已定稿, reopen), who may take each
step, what submission requires, and the lock every finding service enforces."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from assessment.domain.completeness import Place
from assessment.models import (
    AuditEntry,
    Deduction,
    EvaluationPoint,
    ItemAssessment,
    Problem,
    Recommendation,
    Target,
    TypicalExample,
    WorkflowEvent,
)
from assessment.selectors.workspace import submission_gaps
from assessment.services import findings, overview, workflow
from assessment.services.editing import LATEST, TargetLocked
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    ChecklistItemFactory,
    GroupFactory,
    UserFactory,
    add_member,
    add_target,
    county,
)

pytestmark = pytest.mark.django_db

Status = Target.Status


@pytest.fixture
def s(setup):
    setup["target"] = setup["qs_target"]
    return setup


def complete(s, item=None):
    """Give an item a score decision and an evaluation, and the target its 工作情况."""
    item = item or s["item"]
    findings.score_decide(target=s["target"], item=item, decided=True, version=LATEST, user=s["leader"])
    findings.evaluation_lead_save(
        target=s["target"], item=item, lead="工作扎实有效", version=LATEST, user=s["leader"]
    )
    write_narrative(s)


def write_narrative(s, target=None):
    target = Target.objects.get(pk=(target or s["target"]).pk)
    if not target.narrative:
        overview.narrative_save(
            target=target, narrative="全县党建工作扎实推进。", version=LATEST, user=s["leader"]
        )


def missing(target) -> list[str]:
    return [gap.text for gap in submission_gaps(Target.objects.get(pk=target.pk))]


def status(s) -> str:
    return Target.objects.get(pk=s["target"].pk).status


def events(s) -> list[tuple]:
    return list(
        WorkflowEvent.objects.filter(target=s["target"])
        .order_by("pk")
        .values_list("actor__name", "from_status", "to_status", "comment")
    )


def submit(s, user=None):
    return workflow.target_submit(target=s["target"], user=user or s["leader"])


def to_submitted(s):
    complete(s)
    submit(s)


def to_approved(s):
    to_submitted(s)
    workflow.target_approve(target=s["target"], user=s["reviewer"])


def to_finalized(s):
    to_approved(s)
    workflow.target_finalize(target=s["target"], user=s["admin"])


def set_status(s, value):
    Target.objects.filter(pk=s["target"].pk).update(status=value)


# --- the happy path and the history ------------------------------------------------------------


def test_leader_submits_a_complete_target(s):
    complete(s)
    returned = submit(s)
    row = Target.objects.get(pk=s["target"].pk)
    assert returned.status == row.status == Status.SUBMITTED
    assert row.status_changed_at is not None
    assert events(s) == [("钱组长", "drafting", "submitted", "")]


def test_every_step_is_recorded_with_its_comment(s):
    complete(s)
    submit(s)
    workflow.target_return(target=s["target"], user=s["reviewer"], comment="  请补充问题清单的整改时限。 ")
    submit(s)
    workflow.target_approve(target=s["target"], user=s["reviewer"], comment=" 同意 ")
    workflow.target_finalize(target=s["target"], user=s["admin"])
    workflow.target_reopen(target=s["target"], user=s["admin"], reason=" 市委要求补充典型经验 ")

    assert status(s) == Status.DRAFTING
    assert events(s) == [
        ("钱组长", "drafting", "submitted", ""),
        ("赵审核", "submitted", "returned", "请补充问题清单的整改时限。"),
        ("钱组长", "returned", "submitted", ""),
        ("赵审核", "submitted", "approved", "同意"),
        ("管理员", "approved", "finalized", ""),
        ("管理员", "finalized", "drafting", "市委要求补充典型经验"),
    ]


def test_admin_may_submit_review_and_finalize(s):
    complete(s)
    submit(s, user=s["admin"])
    workflow.target_return(target=s["target"], user=s["admin"], comment="补充材料")
    submit(s, user=s["admin"])
    workflow.target_approve(target=s["target"], user=s["admin"])
    workflow.target_finalize(target=s["target"], user=s["admin"])
    assert status(s) == Status.FINALIZED
    assert [e[0] for e in events(s)] == ["管理员"] * 5


# --- submission: what is missing -----------------------------------------------------------------


def test_submission_is_refused_with_the_list_of_what_is_missing(s):
    with pytest.raises(ValidationError) as exc:
        submit(s)
    assert exc.value.messages == [
        "还不能提交：",
        "工作情况尚未填写",
        "（一）老干部工作 尚未确认得分",
        "（一）老干部工作 尚未填写总体评价（导语）",
    ]
    assert [(g.place, g.item_id) for g in exc.value.gaps] == [
        (Place.NARRATIVE, None),
        (Place.SCORE, s["item"].pk),
        (Place.EVALUATION, s["item"].pk),
    ]
    assert status(s) == Status.DRAFTING
    assert not WorkflowEvent.objects.exists()


def test_submission_needs_the_work_overview(s):
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="扎实", version=LATEST, user=s["leader"]
    )
    with pytest.raises(ValidationError) as exc:
        submit(s)
    assert exc.value.messages == ["还不能提交：", "工作情况尚未填写"]
    write_narrative(s)
    submit(s)
    assert status(s) == Status.SUBMITTED


def test_deductions_without_a_problem_block_submission(s):
    findings.deduction_create(
        target=s["target"],
        item=s["item"],
        criterion=None,
        unit=None,
        points="1",
        reason="台账不全",
        user=s["member"],
    )
    complete(s)
    with pytest.raises(ValidationError) as exc:
        submit(s)
    assert exc.value.messages == ["还不能提交：", "（一）老干部工作 有扣分，但问题清单为空"]
    assert [g.place for g in exc.value.gaps] == [Place.PROBLEMS]
    findings.problem_create(target=s["target"], item=s["item"], text="部分台账不全", user=s["member"])
    submit(s)
    assert status(s) == Status.SUBMITTED


def test_submission_needs_every_item_not_just_the_first(s):
    second = ChecklistItemFactory(campaign=s["campaign"], order=2, title="基层组织建设")
    complete(s)
    findings.score_decide(target=s["target"], item=second, decided=True, version=LATEST, user=s["member"])
    with pytest.raises(ValidationError) as exc:
        submit(s)
    assert exc.value.messages == ["还不能提交：", "（二）基层组织建设 尚未填写总体评价（导语）"]

    findings.evaluation_lead_save(
        target=s["target"], item=second, lead="组织体系更加健全", version=LATEST, user=s["member"]
    )
    submit(s)
    assert status(s) == Status.SUBMITTED


def test_evaluation_points_without_the_lead_are_not_an_evaluation(s):
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    write_narrative(s)
    findings.point_create(
        target=s["target"], item=s["item"], headline="凝聚人心有声势", body="", user=s["member"]
    )
    assert missing(s["target"]) == ["（一）老干部工作 尚未填写总体评价（导语）"]
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="工作扎实", version=LATEST, user=s["member"]
    )
    assert missing(s["target"]) == []


def test_an_evaluation_alone_is_not_a_score_decision(s):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="工作扎实", version=LATEST, user=s["leader"]
    )
    write_narrative(s)
    assert missing(s["target"]) == ["（一）老干部工作 尚未确认得分"]


def test_withdrawing_the_score_decision_makes_it_missing_again(s):
    complete(s)
    findings.score_decide(target=s["target"], item=s["item"], decided=False, version=LATEST, user=s["member"])
    with pytest.raises(ValidationError) as exc:
        submit(s)
    assert exc.value.messages == ["还不能提交：", "（一）老干部工作 尚未确认得分"]


def test_missing_items_are_named_by_their_chinese_ordinal(s):
    ChecklistItemFactory(campaign=s["campaign"], order=12, title="党风廉政建设")
    complete(s)
    assert missing(s["target"]) == [
        "（十二）党风廉政建设 尚未确认得分",
        "（十二）党风廉政建设 尚未填写总体评价（导语）",
    ]


def test_a_campaign_without_items_cannot_be_submitted(s):
    campaign = CampaignFactory()
    group = GroupFactory(campaign=campaign)
    target = add_target(group, county(s["qingshan"].parent, "白云县"))
    with pytest.raises(ValidationError) as exc:
        workflow.target_submit(target=target, user=s["admin"])
    assert exc.value.messages == ["还不能提交：", "本次考核还没有考核项目", "工作情况尚未填写"]


def test_missing_items_of_another_target_do_not_block(s):
    complete(s)
    assert missing(s["lv_target"]) == [
        "工作情况尚未填写",
        "（一）老干部工作 尚未确认得分",
        "（一）老干部工作 尚未填写总体评价（导语）",
    ]
    submit(s)
    assert status(s) == Status.SUBMITTED


# --- who may take each step ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "reviewer", "other", "outsider"])
def test_only_the_leader_or_an_admin_may_submit(s, who):
    complete(s)
    with pytest.raises(PermissionDenied) as exc:
        submit(s, user=s[who])
    assert str(exc.value) == "只有考核组组长可以提交。"
    assert status(s) == Status.DRAFTING
    assert not WorkflowEvent.objects.exists()


def test_the_leader_of_another_group_may_not_submit(s):
    complete(s)
    other_leader = UserFactory(username="lvshui-leader", name="周组长")
    add_member(s["sixth"], other_leader, role="leader")
    with pytest.raises(PermissionDenied):
        submit(s, user=other_leader)
    assert status(s) == Status.DRAFTING


@pytest.mark.parametrize("who", ["leader", "member", "other", "outsider"])
def test_only_a_reviewer_or_an_admin_may_return_or_approve(s, who):
    to_submitted(s)
    with pytest.raises(PermissionDenied) as exc:
        workflow.target_return(target=s["target"], user=s[who], comment="请修改")
    assert str(exc.value) == "只有组织部审核人员可以审核。"
    with pytest.raises(PermissionDenied) as exc:
        workflow.target_approve(target=s["target"], user=s[who])
    assert str(exc.value) == "只有组织部审核人员可以审核。"
    assert status(s) == Status.SUBMITTED
    assert len(events(s)) == 1


def test_a_reviewer_of_another_campaign_may_not_review(s):
    to_submitted(s)
    stranger = UserFactory(username="reviewer2", name="吴审核")
    CampaignFactory().reviewer_links.create(user=stranger)
    with pytest.raises(PermissionDenied):
        workflow.target_approve(target=s["target"], user=stranger)
    assert status(s) == Status.SUBMITTED


@pytest.mark.parametrize("who", ["reviewer", "leader", "member"])
def test_only_an_admin_may_finalize(s, who):
    to_approved(s)
    with pytest.raises(PermissionDenied) as exc:
        workflow.target_finalize(target=s["target"], user=s[who])
    assert str(exc.value) == "只有系统管理员可以定稿。"
    assert status(s) == Status.APPROVED


@pytest.mark.parametrize("who", ["reviewer", "leader", "member"])
def test_only_an_admin_may_reopen(s, who):
    to_finalized(s)
    with pytest.raises(PermissionDenied) as exc:
        workflow.target_reopen(target=s["target"], user=s[who], reason="补充材料")
    assert str(exc.value) == "只有系统管理员可以重新打开。"
    assert status(s) == Status.FINALIZED


def test_an_inactive_admin_may_not_finalize(s):
    to_approved(s)
    retired = AdminFactory(username="retired", name="退休管理员", is_active=False)
    with pytest.raises(PermissionDenied):
        workflow.target_finalize(target=s["target"], user=retired)
    assert status(s) == Status.APPROVED


# --- comments and reasons ----------------------------------------------------------------------------


def test_return_needs_a_comment(s):
    to_submitted(s)
    with pytest.raises(ValidationError) as exc:
        workflow.target_return(target=s["target"], user=s["reviewer"], comment="   ")
    assert exc.value.message_dict == {"comment": ["退回时请写明需要修改的内容。"]}
    assert status(s) == Status.SUBMITTED
    assert len(events(s)) == 1


def test_reopen_needs_a_reason(s):
    to_finalized(s)
    with pytest.raises(ValidationError) as exc:
        workflow.target_reopen(target=s["target"], user=s["admin"], reason=" ")
    assert exc.value.message_dict == {"reason": ["请说明重新打开的原因。"]}
    assert status(s) == Status.FINALIZED


def test_the_group_sees_the_latest_return_comment_while_revising(s):
    to_submitted(s)
    assert workflow.latest_return(s["target"]) is None
    workflow.target_return(target=s["target"], user=s["reviewer"], comment="第一次意见")
    submit(s)
    workflow.target_return(target=s["target"], user=s["reviewer"], comment="第二次意见")

    latest = workflow.latest_return(Target.objects.get(pk=s["target"].pk))
    assert (latest.comment, latest.actor, latest.to_status) == ("第二次意见", s["reviewer"], "returned")

    submit(s)
    assert workflow.latest_return(Target.objects.get(pk=s["target"].pk)) is None


# --- the order of the steps ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reach", "step", "shown"),
    [
        (None, "approve", "填报中"),
        (None, "return", "填报中"),
        (None, "finalize", "填报中"),
        (None, "reopen", "填报中"),
        (to_submitted, "submit", "已提交"),
        (to_submitted, "finalize", "已提交"),
        (to_approved, "submit", "已审核"),
        (to_approved, "approve", "已审核"),
        (to_finalized, "submit", "已定稿"),
        (to_finalized, "approve", "已定稿"),
        (to_finalized, "finalize", "已定稿"),
        (to_finalized, "return", "已定稿"),
    ],
)
def test_a_step_out_of_order_is_refused(s, reach, step, shown):
    if reach is None:
        complete(s)
    else:
        reach(s)
    before_status, before_events = status(s), events(s)
    call = {
        "submit": lambda: submit(s),
        "approve": lambda: workflow.target_approve(target=s["target"], user=s["reviewer"]),
        "return": lambda: workflow.target_return(target=s["target"], user=s["reviewer"], comment="请修改"),
        "finalize": lambda: workflow.target_finalize(target=s["target"], user=s["admin"]),
        "reopen": lambda: workflow.target_reopen(target=s["target"], user=s["admin"], reason="补充"),
    }[step]
    with pytest.raises(ValidationError) as exc:
        call()
    assert exc.value.messages == [f"当前状态为“{shown}”，不能进行此操作。"]
    assert status(s) == before_status
    assert events(s) == before_events


def test_a_returned_target_cannot_be_reopened_or_approved_before_resubmission(s):
    to_submitted(s)
    workflow.target_return(target=s["target"], user=s["reviewer"], comment="请修改")
    for call in (
        lambda: workflow.target_reopen(target=s["target"], user=s["admin"], reason="补充"),
        lambda: workflow.target_approve(target=s["target"], user=s["reviewer"]),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.messages == ["当前状态为“退回修改”，不能进行此操作。"]
    assert status(s) == Status.RETURNED


@pytest.mark.parametrize(
    "reach", [to_submitted, to_approved, to_finalized], ids=["submitted", "approved", "finalized"]
)
def test_an_admin_may_reopen_any_handed_in_target(s, reach):
    reach(s)
    workflow.target_reopen(target=s["target"], user=s["admin"], reason="补充材料")
    assert status(s) == Status.DRAFTING
    assert events(s)[-1][1:] == (reach.__name__.removeprefix("to_"), "drafting", "补充材料")


# --- the lock on findings ---------------------------------------------------------------------------------


@pytest.fixture
def e(s):
    """One or two of every finding, made while the target was being filled in, and the item complete."""
    s["campaign"].bonus_enabled, s["campaign"].bonus_cap = True, 5
    s["campaign"].save()
    target, item, member = s["target"], s["item"], s["member"]
    made = {
        "deduction": findings.deduction_create(
            target=target, item=item, criterion=None, unit=None, points="1", reason="台账不全", user=member
        ),
        "points": [
            findings.point_create(target=target, item=item, headline=h, body="", user=member)
            for h in ("甲", "乙")
        ],
        "problems": [
            findings.problem_create(target=target, item=item, text=t, user=member)
            for t in ("问题甲", "问题乙")
        ],
        "examples": [
            overview.example_create(target=target, title=t, body="", user=member)
            for t in ("典型甲", "典型乙")
        ],
        "recommendations": [
            overview.recommendation_create(target=target, headline=h, body="", user=member)
            for h in ("建议甲", "建议乙")
        ],
    }
    complete(s)  # last: a change to the deductions withdraws the score decision
    return made


def version(obj) -> int:
    return type(obj).objects.get(pk=obj.pk).version


def _t(s):
    return s["target"]


# Each takes (s, e, user) and, on an editable target, writes exactly one AuditEntry.
OPERATIONS = {
    "deduction_create": lambda s, e, u: findings.deduction_create(
        target=_t(s), item=s["item"], criterion=None, unit=None, points="2", reason="会议记录缺失", user=u
    ),
    "deduction_update": lambda s, e, u: findings.deduction_update(
        deduction=e["deduction"],
        version=version(e["deduction"]),
        criterion=None,
        unit=None,
        points="2",
        reason="改",
        user=u,
    ),
    "deduction_delete": lambda s, e, u: findings.deduction_delete(
        deduction=e["deduction"], version=version(e["deduction"]), user=u
    ),
    "score_decide": lambda s, e, u: findings.score_decide(
        target=_t(s), item=s["item"], decided=False, version=LATEST, user=u
    ),
    "bonus_set": lambda s, e, u: findings.bonus_set(
        target=_t(s), item=s["item"], bonus="1", reason="创新", version=LATEST, user=u
    ),
    "evaluation_lead_save": lambda s, e, u: findings.evaluation_lead_save(
        target=_t(s), item=s["item"], lead="改过的评价", version=LATEST, user=u
    ),
    "point_create": lambda s, e, u: findings.point_create(
        target=_t(s), item=s["item"], headline="丙", body="", user=u
    ),
    "point_update": lambda s, e, u: findings.point_update(
        point=e["points"][0], version=version(e["points"][0]), headline="改", body="", user=u
    ),
    "point_delete": lambda s, e, u: findings.point_delete(
        point=e["points"][0], version=version(e["points"][0]), user=u
    ),
    "point_move": lambda s, e, u: findings.point_move(
        point=e["points"][1], up=True, version=e["points"][1].version, user=u
    ),
    "problem_create": lambda s, e, u: findings.problem_create(
        target=_t(s), item=s["item"], text="问题丙", user=u
    ),
    "problem_update": lambda s, e, u: findings.problem_update(
        problem=e["problems"][0], version=version(e["problems"][0]), text="改", user=u
    ),
    "problem_delete": lambda s, e, u: findings.problem_delete(
        problem=e["problems"][0], version=version(e["problems"][0]), user=u
    ),
    "problem_move": lambda s, e, u: findings.problem_move(
        problem=e["problems"][1], up=True, version=e["problems"][1].version, user=u
    ),
    "narrative_save": lambda s, e, u: overview.narrative_save(
        target=_t(s), narrative="新的工作情况", version=LATEST, user=u
    ),
    "example_create": lambda s, e, u: overview.example_create(target=_t(s), title="典型丙", body="", user=u),
    "example_update": lambda s, e, u: overview.example_update(
        example=e["examples"][0], version=version(e["examples"][0]), title="改", body="", user=u
    ),
    "example_delete": lambda s, e, u: overview.example_delete(
        example=e["examples"][0], version=version(e["examples"][0]), user=u
    ),
    "example_move": lambda s, e, u: overview.example_move(
        example=e["examples"][1], up=True, version=e["examples"][1].version, user=u
    ),
    "recommendation_create": lambda s, e, u: overview.recommendation_create(
        target=_t(s), headline="建议丙", body="", user=u
    ),
    "recommendation_update": lambda s, e, u: overview.recommendation_update(
        recommendation=e["recommendations"][0],
        version=version(e["recommendations"][0]),
        headline="改",
        body="",
        user=u,
    ),
    "recommendation_delete": lambda s, e, u: overview.recommendation_delete(
        recommendation=e["recommendations"][0], version=version(e["recommendations"][0]), user=u
    ),
    "recommendation_move": lambda s, e, u: overview.recommendation_move(
        recommendation=e["recommendations"][1], up=True, version=e["recommendations"][1].version, user=u
    ),
}

FINDING_MODELS = (Deduction, ItemAssessment, EvaluationPoint, Problem, TypicalExample, Recommendation)


def fingerprint(s) -> dict:
    """Everything a finding service could change, to compare before and after a refusal."""
    state = {
        model.__name__: sorted((o.pk, o.version, repr(o.audit_snapshot())) for o in model.objects.all())
        for model in FINDING_MODELS
    }
    target = Target.objects.get(pk=s["target"].pk)
    state["narrative"] = (target.narrative, target.narrative_version)
    state["audit"] = AuditEntry.objects.count()
    return state


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
@pytest.mark.parametrize(
    ("locked", "shown"),
    [(Status.SUBMITTED, "已提交审核"), (Status.APPROVED, "已审核通过"), (Status.FINALIZED, "已定稿")],
    ids=["submitted", "approved", "finalized"],
)
def test_no_finding_changes_while_the_target_is_handed_in(s, e, locked, shown, operation):
    set_status(s, locked)  # the in-memory target still says 填报中: the service must re-read it
    before = fingerprint(s)
    with pytest.raises(TargetLocked) as exc:
        operation(s, e, s["leader"])
    assert isinstance(exc.value, PermissionDenied)
    assert str(exc.value) == f"青山县{shown}，考核材料不能修改；如需修改请先由管理员重新打开。"
    assert fingerprint(s) == before


def _returned(s):
    submit(s)
    workflow.target_return(target=s["target"], user=s["reviewer"], comment="请补充")


def _reopened(s):
    submit(s)
    workflow.target_approve(target=s["target"], user=s["reviewer"])
    workflow.target_finalize(target=s["target"], user=s["admin"])
    workflow.target_reopen(target=s["target"], user=s["admin"], reason="补充典型经验")


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
@pytest.mark.parametrize("reopen", [_returned, _reopened], ids=["returned", "reopened"])
def test_findings_change_again_after_a_return_or_a_reopen(s, e, reopen, operation):
    reopen(s)
    count = AuditEntry.objects.count()
    operation(s, e, s["member"])
    assert AuditEntry.objects.filter(actor=s["member"]).count() >= 1
    moves = {f for name, f in OPERATIONS.items() if name.endswith("_move")}
    # one entry a change; a move changes two records (the moved one and its neighbour)
    assert AuditEntry.objects.count() == count + (2 if operation in moves else 1)


def test_submitting_locks_the_findings_it_was_based_on(s, e):
    submit(s)
    with pytest.raises(TargetLocked):
        findings.deduction_create(
            target=s["target"],
            item=s["item"],
            criterion=None,
            unit=None,
            points="2",
            reason="x",
            user=s["admin"],
        )
    assert Deduction.objects.count() == 1


# --- submission and a concurrent edit (PostgreSQL) --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
def test_an_edit_racing_a_submission_cannot_leave_a_submitted_target_incomplete(setup, monkeypatch):
    # The submission locks the target before checking what is missing, so an edit racing it either
    # lands before the check or is refused as locked; a submitted target is never incomplete.
    s = {**setup, "target": setup["qs_target"]}
    complete(s)
    outcome = {}

    def clear_the_evaluation():
        try:
            findings.evaluation_lead_save(
                target=s["target"], item=s["item"], lead="", version=LATEST, user=s["member"]
            )
            outcome["edit"] = "saved"
        except TargetLocked:
            outcome["edit"] = "locked"
        finally:
            connection.close()

    real_gaps = workflow.submission_gaps
    editor = threading.Thread(target=clear_the_evaluation)

    def gaps_then_a_concurrent_edit(target):
        gaps = real_gaps(target)
        editor.start()
        editor.join(timeout=2)  # still blocked after 2 s: the submission holds the target's lock
        return gaps

    monkeypatch.setattr(workflow, "submission_gaps", gaps_then_a_concurrent_edit)
    try:
        submit(s)
    finally:
        editor.join(timeout=10)

    assert status(s) == Status.SUBMITTED
    assert outcome["edit"] == "locked"
    assert missing(s["target"]) == []


# --- extension points (assessment.extensions) ----------------------------------------------------


def test_a_finalize_guard_stops_finalization_with_its_reasons_and_changes_nothing(s):
    from assessment import extensions

    def guard(target):
        return ["被考核单位的反馈意见尚未提交。"] if target.pk == s["target"].pk else []

    complete(s)
    submit(s)
    workflow.target_approve(target=s["target"], user=s["reviewer"])
    extensions.register_finalize_guard(guard)
    try:
        with pytest.raises(ValidationError) as exc:
            workflow.target_finalize(target=s["target"], user=s["admin"])
        assert exc.value.messages == ["被考核单位的反馈意见尚未提交。"]
        assert status(s) == Status.APPROVED
    finally:
        extensions.FINALIZE_GUARDS.remove(guard)
    workflow.target_finalize(target=s["target"], user=s["admin"])
    assert status(s) == Status.FINALIZED


def test_every_workflow_step_is_announced(s):
    from assessment import extensions

    heard = []

    def listener(sender, target, step, user, **kwargs):
        heard.append((target.pk, step, target.status, user.name))

    extensions.target_moved.connect(listener)
    try:
        complete(s)
        submit(s)
        workflow.target_approve(target=s["target"], user=s["reviewer"])
    finally:
        extensions.target_moved.disconnect(listener)
    pk = s["target"].pk
    assert heard == [(pk, "submit", Status.SUBMITTED, "钱组长"), (pk, "approve", Status.APPROVED, "赵审核")]
