"""Findings services: the evaluation (lead and numbered points) and problems."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assessment.models import AuditEntry, EvaluationPoint, ItemAssessment, Problem
from assessment.services import findings
from assessment.services.editing import LATEST
from tests.assessment.findings_helpers import (
    errors,
    point,
    problem,
    second_item,
    state,
    unit_in,
)

pytestmark = pytest.mark.django_db


# --- the evaluation: lead and points ---------------------------------------------------------------


def test_evaluation_lead_is_saved_stripped_and_audited(s):
    findings.evaluation_lead_save(
        target=s["target"],
        item=s["item"],
        lead="  该县老干部工作扎实有效。 ",
        version=LATEST,
        user=s["member"],
    )
    row = ItemAssessment.objects.get()
    assert (row.lead, row.version, row.updated_by) == ("该县老干部工作扎实有效。", 2, s["member"])
    assert state(s).evaluated
    entry = AuditEntry.objects.get()
    assert (entry.before["lead"], entry.after["lead"]) == ("", "该县老干部工作扎实有效。")


def test_saving_an_unchanged_lead_writes_nothing(s):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="工作扎实", version=LATEST, user=s["member"]
    )
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead=" 工作扎实 ", version=2, user=s["leader"]
    )
    row = ItemAssessment.objects.get()
    assert (row.version, row.updated_by) == (2, s["member"])
    assert AuditEntry.objects.count() == 1


def test_a_blank_lead_is_no_evaluation(s):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="   ", version=LATEST, user=s["member"]
    )
    assert not state(s).evaluated
    assert not AuditEntry.objects.exists()


def test_evaluation_points_are_numbered_in_order_and_audited(s):
    first = point(s, "凝聚人心有声势", "  组织开展走访慰问 ")
    second = point(s, "服务保障有温度")
    assert list(EvaluationPoint.objects.values_list("headline", "body", "position")) == [
        ("凝聚人心有声势", "组织开展走访慰问", 0),
        ("服务保障有温度", "", 1),
    ]
    assert first.assessment == second.assessment == ItemAssessment.objects.get()
    assert state(s).has_points and not state(s).evaluated  # the lead is the evaluation; points follow it
    entry = AuditEntry.objects.get(object_id=first.pk)
    assert (entry.action, entry.model, entry.label) == (
        "create",
        "assessment.evaluationpoint",
        "评价要点：凝聚人心有声势",
    )
    assert entry.before is None
    assert entry.after == {"headline": "凝聚人心有声势", "body": "组织开展走访慰问", "position": 0}


def test_evaluation_point_needs_a_headline(s):
    with pytest.raises(ValidationError) as exc:
        point(s, "  ")
    assert errors(exc) == {"headline": ["请填写要点。"]}
    assert not EvaluationPoint.objects.exists()
    assert not ItemAssessment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_evaluation_point_update_and_delete_are_audited(s):
    p = point(s, "凝聚人心有声势", "原内容")
    findings.point_update(point=p, version=1, headline="凝聚人心有力度", body="新内容", user=s["leader"])
    row = EvaluationPoint.objects.get()
    assert (row.headline, row.body, row.version, row.updated_by) == (
        "凝聚人心有力度",
        "新内容",
        2,
        s["leader"],
    )
    update = AuditEntry.objects.get(action="update")
    assert update.before == {"headline": "凝聚人心有声势", "body": "原内容", "position": 0}
    assert update.after == {"headline": "凝聚人心有力度", "body": "新内容", "position": 0}

    findings.point_delete(point=row, version=2, user=s["leader"])
    assert not EvaluationPoint.objects.exists()
    delete = AuditEntry.objects.get(action="delete")
    assert (delete.object_id, delete.before, delete.after) == (
        p.pk,
        {"headline": "凝聚人心有力度", "body": "新内容", "position": 0},
        None,
    )
    assert not state(s).evaluated


def test_evaluation_point_update_needs_a_headline(s):
    p = point(s)
    with pytest.raises(ValidationError) as exc:
        findings.point_update(point=p, version=1, headline=" ", body="x", user=s["leader"])
    assert errors(exc) == {"headline": ["请填写要点。"]}
    assert EvaluationPoint.objects.get().version == 1


def test_moving_an_evaluation_point_renumbers_positions(s):
    a, b, c = point(s, "甲"), point(s, "乙"), point(s, "丙")
    findings.point_delete(point=b, version=1, user=s["member"])
    assert list(EvaluationPoint.objects.values_list("headline", "position")) == [("甲", 0), ("丙", 2)]

    findings.point_move(point=c, up=True, version=c.version, user=s["leader"])
    assert list(EvaluationPoint.objects.order_by("position").values_list("headline", "position")) == [
        ("丙", 0),
        ("甲", 1),
    ]
    # Both points that changed position are audited: the moved one and its neighbour.
    entries = AuditEntry.objects.filter(action="update").order_by("pk")
    assert [(e.object_id, e.actor, e.before["position"], e.after["position"]) for e in entries] == [
        (c.pk, s["leader"], 2, 0),
        (a.pk, s["leader"], 0, 1),
    ]

    findings.point_move(point=c, up=False, version=c.version, user=s["leader"])
    assert list(EvaluationPoint.objects.order_by("position").values_list("headline", "position")) == [
        ("甲", 0),
        ("丙", 1),
    ]
    assert a.pk in EvaluationPoint.objects.values_list("pk", flat=True)


def test_moving_the_first_point_up_or_the_last_down_changes_nothing(s):
    a, b = point(s, "甲"), point(s, "乙")
    count = AuditEntry.objects.count()
    findings.point_move(point=a, up=True, version=a.version, user=s["member"])
    findings.point_move(point=b, up=False, version=b.version, user=s["member"])
    assert list(EvaluationPoint.objects.order_by("position").values_list("headline", "position")) == [
        ("甲", 0),
        ("乙", 1),
    ]
    assert AuditEntry.objects.count() == count


# --- problems -------------------------------------------------------------------------------------

FULL_PROBLEM = {
    "category": " 组织建设 ",
    "owner_unit": "城关镇党委",
    "deadline": dt.date(2022, 3, 31),
    "rectification": Problem.Rectification.IN_PROGRESS,
    "rectification_note": " 已召开专题会 ",
}


def test_problem_is_created_with_all_its_fields_and_audited(s):
    village = unit_in(s, "新村")
    created = problem(s, "  新村党支部“三会一课”记录不全 ", unit=village, **FULL_PROBLEM)

    row = Problem.objects.get()
    assert row.pk == created.pk
    assert (row.target, row.item, row.unit, row.position) == (s["target"], s["item"], village, 0)
    assert (row.text, row.category, row.owner_unit) == (
        "新村党支部“三会一课”记录不全",
        "组织建设",
        "城关镇党委",
    )
    assert (row.deadline, row.rectification, row.rectification_note) == (
        dt.date(2022, 3, 31),
        "in_progress",
        "已召开专题会",
    )
    assert (row.version, row.created_by, row.updated_by) == (1, s["member"], s["member"])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.model, entry.object_id) == ("create", "assessment.problem", row.pk)
    assert entry.label == "问题：新村党支部“三会一课”记录不全"
    assert entry.before is None
    assert entry.after == {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "text": "新村党支部“三会一课”记录不全",
        "unit": {"id": village.pk, "label": "新村"},
        "category": "组织建设",
        "owner_unit": "城关镇党委",
        "deadline": "2022-03-31",
        "rectification": "in_progress",
        "rectification_note": "已召开专题会",
        "position": 0,
    }


def test_problem_defaults_to_not_rectified(s):
    problem(s, "台账不全")
    row = Problem.objects.get()
    assert (row.rectification, row.deadline, row.unit, row.category) == ("open", None, None, "")
    assert AuditEntry.objects.get().after["rectification"] == "open"


def test_problem_update_and_delete_record_before_and_after(s):
    created = problem(s, "台账不全")
    findings.problem_update(problem=created, version=1, user=s["leader"], text="台账严重不全", **FULL_PROBLEM)
    row = Problem.objects.get()
    assert (row.text, row.rectification, row.version, row.updated_by) == (
        "台账严重不全",
        "in_progress",
        2,
        s["leader"],
    )
    update = AuditEntry.objects.get(action="update")
    before = {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "text": "台账不全",
        "unit": None,
        "category": "",
        "owner_unit": "",
        "deadline": None,
        "rectification": "open",
        "rectification_note": "",
        "position": 0,
    }
    assert update.before == before
    assert update.after == {
        **before,
        "text": "台账严重不全",
        "category": "组织建设",
        "owner_unit": "城关镇党委",
        "deadline": "2022-03-31",
        "rectification": "in_progress",
        "rectification_note": "已召开专题会",
    }

    findings.problem_delete(problem=row, version=2, user=s["leader"])
    assert not Problem.objects.exists()
    delete = AuditEntry.objects.get(action="delete")
    assert (delete.object_id, delete.before, delete.after) == (created.pk, update.after, None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"text": "  "}, {"text": ["请填写问题。"]}),
        ({"text": "台账不全", "rectification": "maybe"}, {"rectification": ["整改状态无效。"]}),
        ({"text": "台账不全", "deadline": "2022-03-31"}, {"deadline": ["整改时限须为日期。"]}),
    ],
    ids=["no-text", "bad-rectification", "deadline-not-a-date"],
)
def test_invalid_problem_is_refused_and_nothing_is_written(s, values, expected):
    with pytest.raises(ValidationError) as exc:
        findings.problem_create(target=s["target"], item=s["item"], user=s["member"], **values)
    assert errors(exc) == expected
    assert not Problem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_problem_at_a_unit_outside_the_county_is_refused(s):
    with pytest.raises(ValidationError) as exc:
        problem(s, unit=unit_in(s, "新村", "lvshui"))
    assert errors(exc) == {"unit": ["“新村”不是青山县的单位。"]}
    created = problem(s)
    with pytest.raises(ValidationError):
        findings.problem_update(
            problem=created, version=1, user=s["member"], text="台账不全", unit=unit_in(s, "城关镇", "lvshui")
        )
    assert Problem.objects.get().unit is None
    assert AuditEntry.objects.count() == 1


def test_problems_are_numbered_per_item_and_move_down_renumbers(s):
    other_item = second_item(s)
    a, b, c = problem(s, "问题甲"), problem(s, "问题乙"), problem(s, "问题丙")
    elsewhere = problem(s, "别的项目的问题", item=other_item)
    assert elsewhere.position == 0
    assert [a.position, b.position, c.position] == [0, 1, 2]

    findings.problem_move(problem=a, up=False, version=a.version, user=s["member"])
    ordered = Problem.objects.filter(item=s["item"]).order_by("position")
    assert list(ordered.values_list("text", "position")) == [("问题乙", 0), ("问题甲", 1), ("问题丙", 2)]
    assert Problem.objects.get(pk=elsewhere.pk).position == 0
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.object_id, entry.before["position"], entry.after["position"]) == (a.pk, 0, 1)

    findings.problem_move(problem=c, up=True, version=c.version, user=s["member"])
    assert list(ordered.values_list("text", flat=True)) == ["问题乙", "问题丙", "问题甲"]
