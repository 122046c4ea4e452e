"""Findings services: concurrent edits (EditConflict) and the audit trail with its transaction."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.models import AuditEntry, Deduction, ItemAssessment, Problem
from assessment.services import editing, findings
from assessment.services.editing import LATEST, EditConflict
from tests.assessment.findings_helpers import (
    deduct,
    enable_bonus,
    point,
    problem,
)

pytestmark = pytest.mark.django_db

# 01:30 UTC is 09:30 in Asia/Shanghai: the conflict message shows "1月5日 09:30".
SAVED_AT = dt.datetime(2022, 1, 5, 1, 30, tzinfo=dt.UTC)
CONFLICT_BY_MEMBER = "李组员 已于 1月5日 09:30 修改了此内容，您的修改尚未保存。请对照两个版本后再保存。"


# --- concurrent edits --------------------------------------------------------------------------------

# Each case: (make as 李组员, their save at a version, my save at a version, what "mine" holds).
CONFLICTS = {
    "deduction-update": (
        lambda s: deduct(s, "2", user=s["member"]),
        lambda s, obj, v: findings.deduction_update(
            deduction=obj,
            version=v,
            criterion=obj.criterion,
            unit=None,
            points="3",
            reason="他人修改",
            user=s["member"],
        ),
        lambda s, obj, v: findings.deduction_update(
            deduction=obj,
            version=v,
            criterion=None,
            unit=None,
            points="1",
            reason="我的修改",
            user=s["leader"],
        ),
        {"criterion": None, "unit": None, "points": "1", "reason": "我的修改"},
    ),
    "deduction-delete": (
        lambda s: deduct(s, "2", user=s["member"]),
        lambda s, obj, v: findings.deduction_update(
            deduction=obj,
            version=v,
            criterion=obj.criterion,
            unit=None,
            points="3",
            reason="他人修改",
            user=s["member"],
        ),
        lambda s, obj, v: findings.deduction_delete(deduction=obj, version=v, user=s["leader"]),
        {},
    ),
    "lead": (
        lambda s: findings.evaluation_lead_save(
            target=s["target"], item=s["item"], lead="初稿", version=LATEST, user=s["member"]
        ),
        lambda s, obj, v: findings.evaluation_lead_save(
            target=s["target"], item=s["item"], lead="他人的评价", version=v, user=s["member"]
        ),
        lambda s, obj, v: findings.evaluation_lead_save(
            target=s["target"], item=s["item"], lead=" 我的评价 ", version=v, user=s["leader"]
        ),
        {"lead": "我的评价"},
    ),
    "bonus": (
        lambda s: findings.bonus_set(
            target=s["target"], item=s["item"], bonus="1", reason="创新", version=LATEST, user=s["member"]
        ),
        lambda s, obj, v: findings.bonus_set(
            target=s["target"], item=s["item"], bonus="2", reason="他人理由", version=v, user=s["member"]
        ),
        lambda s, obj, v: findings.bonus_set(
            target=s["target"], item=s["item"], bonus="0.5", reason="我的理由", version=v, user=s["leader"]
        ),
        {"bonus": Decimal("0.5"), "bonus_reason": "我的理由"},
    ),
    "point-update": (
        lambda s: point(s, "初稿要点", user=s["member"]),
        lambda s, obj, v: findings.point_update(
            point=obj, version=v, headline="他人要点", body="", user=s["member"]
        ),
        lambda s, obj, v: findings.point_update(
            point=obj, version=v, headline="我的要点", body="我的内容", user=s["leader"]
        ),
        {"headline": "我的要点", "body": "我的内容"},
    ),
    "point-delete": (
        lambda s: point(s, "初稿要点", user=s["member"]),
        lambda s, obj, v: findings.point_update(
            point=obj, version=v, headline="他人要点", body="", user=s["member"]
        ),
        lambda s, obj, v: findings.point_delete(point=obj, version=v, user=s["leader"]),
        {},
    ),
    "problem-update": (
        lambda s: problem(s, "初稿问题", user=s["member"]),
        lambda s, obj, v: findings.problem_update(
            problem=obj, version=v, user=s["member"], text="他人的问题描述"
        ),
        lambda s, obj, v: findings.problem_update(
            problem=obj, version=v, user=s["leader"], text="我的问题描述", category="作风建设"
        ),
        {"text": "我的问题描述", "category": "作风建设"},
    ),
    "problem-delete": (
        lambda s: problem(s, "初稿问题", user=s["member"]),
        lambda s, obj, v: findings.problem_update(
            problem=obj, version=v, user=s["member"], text="他人的问题描述"
        ),
        lambda s, obj, v: findings.problem_delete(problem=obj, version=v, user=s["leader"]),
        {},
    ),
}


@pytest.mark.parametrize("case", CONFLICTS.values(), ids=CONFLICTS.keys())
def test_the_later_save_from_an_outdated_version_is_refused_and_nothing_is_written(s, case):
    make, theirs, mine, expected_mine = case
    enable_bonus(s)
    obj = make(s)
    model = type(obj)
    loaded_at = obj.version  # both people opened the record at this version
    theirs(s, model.objects.get(pk=obj.pk), loaded_at)
    model.objects.filter(pk=obj.pk).update(updated_at=SAVED_AT)
    saved = model.objects.get(pk=obj.pk)
    audit_count = AuditEntry.objects.count()

    with pytest.raises(EditConflict) as exc:
        mine(s, obj, loaded_at)

    assert str(exc.value) == CONFLICT_BY_MEMBER
    current = exc.value.current
    assert current.pk == obj.pk
    assert current.version == loaded_at + 1
    assert current.updated_by == s["member"]
    assert current.audit_snapshot() == saved.audit_snapshot()
    assert exc.value.mine == expected_mine
    row = model.objects.get(pk=obj.pk)
    assert row.version == loaded_at + 1
    assert row.audit_snapshot() == saved.audit_snapshot()
    assert AuditEntry.objects.count() == audit_count


def test_the_current_version_is_accepted_after_a_conflict(s):
    deduction = deduct(s, "2")
    findings.deduction_update(
        deduction=deduction,
        version=1,
        criterion=None,
        unit=None,
        points="3",
        reason="他人修改",
        user=s["member"],
    )
    with pytest.raises(EditConflict):
        findings.deduction_update(
            deduction=deduction,
            version=1,
            criterion=None,
            unit=None,
            points="1",
            reason="我的修改",
            user=s["leader"],
        )
    findings.deduction_update(
        deduction=deduction,
        version=2,
        criterion=None,
        unit=None,
        points="1",
        reason="我的修改",
        user=s["leader"],
    )
    row = Deduction.objects.get()
    assert (row.points, row.reason, row.version, row.updated_by) == (Decimal("1"), "我的修改", 3, s["leader"])


def test_conflict_is_checked_before_the_values(s):
    deduction = deduct(s, "2")
    findings.deduction_update(
        deduction=deduction,
        version=1,
        criterion=None,
        unit=None,
        points="3",
        reason="他人修改",
        user=s["member"],
    )
    with pytest.raises(EditConflict):
        findings.deduction_update(
            deduction=deduction,
            version=1,
            criterion=None,
            unit=None,
            points="0.333",
            reason="",
            user=s["leader"],
        )


def test_confirming_the_score_does_not_disturb_an_open_lead_edit(s):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="初稿", version=LATEST, user=s["member"]
    )
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="改稿", version=2, user=s["member"]
    )
    assert ItemAssessment.objects.get().lead == "改稿"


STALE_PAGE = ["页面内容已过期，请刷新页面后再保存。"]


def _state(model, pk) -> tuple:
    obj = model.objects.filter(pk=pk).first()
    return (obj and repr(obj.audit_snapshot()), obj and obj.version, AuditEntry.objects.count())


@pytest.mark.parametrize("case", CONFLICTS.values(), ids=CONFLICTS.keys())
def test_a_write_without_a_version_is_refused_and_nothing_is_written(s, case):
    make, _theirs, mine, _expected = case
    enable_bonus(s)
    obj = make(s)
    model = type(obj)
    before = _state(model, obj.pk)
    with pytest.raises(ValidationError) as exc:
        mine(s, model.objects.get(pk=obj.pk), None)
    assert exc.value.messages == STALE_PAGE
    assert _state(model, obj.pk) == before


MOVES = {
    "point": (point, lambda s, obj, v: findings.point_move(point=obj, up=True, version=v, user=s["leader"])),
    "problem": (
        problem,
        lambda s, obj, v: findings.problem_move(problem=obj, up=True, version=v, user=s["leader"]),
    ),
}


@pytest.mark.parametrize("case", MOVES.values(), ids=MOVES.keys())
def test_a_move_needs_the_version_the_page_showed(s, case):
    make, move = case
    make(s, "第一条")
    second = make(s, "第二条")
    model = type(second)
    order = lambda: list(model.objects.order_by("position").values_list("pk", flat=True))  # noqa: E731
    before = order()
    with pytest.raises(ValidationError) as exc:
        move(s, second, None)
    assert exc.value.messages == STALE_PAGE
    model.objects.filter(pk=second.pk).update(version=2)  # someone edited its text meanwhile
    with pytest.raises(EditConflict):
        move(s, second, 1)
    assert order() == before
    move(s, second, 2)
    assert order() == before[::-1]


def test_latest_is_for_code_that_overwrites_on_purpose(s):
    # The demo data writes over whatever is there; a form always sends the version its page showed.
    deduction = deduct(s, "2")
    findings.deduction_update(
        deduction=deduction,
        version=1,
        criterion=None,
        unit=None,
        points="3",
        reason="他人修改",
        user=s["member"],
    )
    findings.deduction_update(
        deduction=deduction,
        version=LATEST,
        criterion=None,
        unit=None,
        points="1",
        reason="我的修改",
        user=s["leader"],
    )
    assert Deduction.objects.get().reason == "我的修改"


def test_deleting_what_is_already_gone_is_done_and_editing_it_is_explained(s):
    # The second click of a double click on 删除 finds the record gone: what it asked for is done.
    deduction = deduct(s, "2")
    findings.deduction_delete(deduction=deduction, version=1, user=s["member"])
    count = AuditEntry.objects.count()
    findings.deduction_delete(deduction=deduction, version=1, user=s["member"])
    assert AuditEntry.objects.count() == count
    with pytest.raises(ValidationError) as exc:
        findings.deduction_update(
            deduction=deduction,
            version=1,
            criterion=None,
            unit=None,
            points="1",
            reason="改",
            user=s["leader"],
        )
    assert exc.value.messages == ["这条记录已被删除，您的修改未保存。请刷新页面。"]


# --- the audit trail and its transaction -----------------------------------------------------------


@pytest.fixture
def fail_after_audit(monkeypatch):
    """Call it to make the audit (services.editing's, which the records' skeleton writes, and
    findings', which the item's assessment writes) write its entry and then fail, as if the
    transaction broke after both the change and its entry were written."""
    real = editing.audit

    def failing(**kwargs):
        real(**kwargs)
        raise RuntimeError("写入失败")

    def patch():
        monkeypatch.setattr(editing, "audit", failing)
        monkeypatch.setattr(findings, "audit", failing)

    return patch


def test_a_create_that_fails_after_its_audit_leaves_neither(s, fail_after_audit):
    fail_after_audit()
    with pytest.raises(RuntimeError):
        deduct(s, "2")
    assert not Deduction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_update_that_fails_after_its_audit_leaves_the_record_and_the_trail_as_they_were(
    s, fail_after_audit
):
    created = problem(s, "台账不全")
    fail_after_audit()
    with pytest.raises(RuntimeError):
        findings.problem_update(problem=created, version=1, user=s["leader"], text="台账严重不全")
    row = Problem.objects.get()
    assert (row.text, row.version, row.updated_by) == ("台账不全", 1, s["member"])
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["create"]


def test_a_delete_that_fails_after_its_audit_keeps_the_record_and_drops_the_entry(s, monkeypatch):
    deduction = deduct(s, "2")

    def failing_delete(self, *args, **kwargs):
        raise RuntimeError("删除失败")

    monkeypatch.setattr(Deduction, "delete", failing_delete)
    with pytest.raises(RuntimeError):
        findings.deduction_delete(deduction=deduction, version=1, user=s["leader"])
    assert Deduction.objects.filter(pk=deduction.pk).exists()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["create"]


def test_a_failing_audit_undoes_the_change(s, monkeypatch):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="初稿", version=LATEST, user=s["member"]
    )

    def broken(**kwargs):
        raise RuntimeError("审计写入失败")

    monkeypatch.setattr(findings, "audit", broken)
    with pytest.raises(RuntimeError):
        findings.evaluation_lead_save(
            target=s["target"], item=s["item"], lead="改稿", version=2, user=s["leader"]
        )
    row = ItemAssessment.objects.get()
    assert (row.lead, row.version, row.updated_by) == ("初稿", 2, s["member"])


def test_every_versioned_record_describes_itself_for_the_history():
    """The skeleton (services.editing) audits any record by its own audit_snapshot and audit_label:
    a new record type that forgets them fails here, not at its first save."""
    from django.apps import apps

    from assessment.models.findings import Versioned

    records = [m for m in apps.get_app_config("assessment").get_models() if issubclass(m, Versioned)]
    assert {m.__name__ for m in records} >= {"Deduction", "Problem", "EvaluationPoint", "ItemAssessment"}
    for model in records:
        for method in ("audit_snapshot", "audit_label"):
            assert getattr(model, method) is not getattr(Versioned, method), f"{model.__name__}.{method}"
