"""Findings services: parse_points, deductions and the criterion cap, and the units and items they may name.

Scores and 加分 are in test_score_services.py, evaluations and problems in
test_evaluation_and_problem_services.py, concurrent edits (EditConflict) and the audit trail in
test_edit_conflicts_and_audit.py. The workflow lock (TargetLocked) of every service is in test_workflow.py.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.models import AuditEntry, Deduction, ItemAssessment, Problem
from assessment.services import findings
from assessment.services.editing import LATEST, parse_points
from tests.assessment.findings_helpers import (
    deduct,
    enable_bonus,
    errors,
    point,
    problem,
    second_item,
    unit_in,
)
from tests.factories import CampaignFactory, ChecklistItemFactory, CriterionFactory

pytestmark = pytest.mark.django_db


# --- parse_points ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("0.5", "0.5"), ("2分", "2"), (" 1.25 ", "1.25"), ("3 分", "3"), (4, "4"), ("999.99", "999.99")],
)
def test_parse_points_accepts_numbers_with_at_most_two_decimals_and_the_fen_suffix(typed, expected):
    assert parse_points(typed, field="points", label="扣分") == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0.333", "扣分最多保留两位小数。"),
        ("-1", "扣分须大于0且小于1000。"),
        ("0", "扣分须大于0且小于1000。"),
        ("1000", "扣分须大于0且小于1000。"),
        ("两分", "扣分须为数字，如 0.5 或 2。"),
        ("abc", "扣分须为数字，如 0.5 或 2。"),
        ("", "扣分须为数字，如 0.5 或 2。"),
        (None, "扣分须为数字，如 0.5 或 2。"),
    ],
)
def test_parse_points_refuses_what_is_not_a_valid_score(typed, message):
    with pytest.raises(ValidationError) as exc:
        parse_points(typed, field="points", label="扣分")
    assert errors(exc) == {"points": [message]}


def test_parse_points_allows_zero_only_when_asked():
    assert parse_points("0", field="bonus", label="加分", allow_zero=True) == 0
    with pytest.raises(ValidationError):
        parse_points("-0.5", field="bonus", label="加分", allow_zero=True)


def test_parse_points_refuses_a_huge_exponent_with_a_message():
    # "1e30" once escaped as a bare decimal.InvalidOperation from quantize() (a 500).
    with pytest.raises(ValidationError) as exc:
        parse_points("1e30", field="points", label="扣分")
    assert errors(exc) == {"points": ["扣分须大于0且小于1000。"]}


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-Infinity"])
def test_parse_points_calls_nan_and_infinity_not_a_number(typed):
    # Not "扣分最多保留两位小数。", which is what they were once told.
    with pytest.raises(ValidationError) as exc:
        parse_points(typed, field="points", label="扣分")
    assert errors(exc) == {"points": ["扣分须为数字，如 0.5 或 2。"]}


# --- deductions ---------------------------------------------------------------------------


def test_deduction_is_created_with_parsed_points_and_audited(s):
    town = unit_in(s, "城关镇")
    deduction = deduct(s, "2分", "  三会一课记录不全  ", unit=town, user=s["member"])

    row = Deduction.objects.get()
    assert row.pk == deduction.pk
    assert (row.target, row.item, row.criterion, row.unit) == (s["target"], s["item"], s["criterion"], town)
    assert (row.points, row.reason, row.version) == (Decimal("2"), "三会一课记录不全", 1)
    assert row.created_by == row.updated_by == s["member"]

    entry = AuditEntry.objects.get()
    assert entry.target == s["target"]
    assert entry.actor == s["member"]
    assert entry.at is not None
    assert (entry.action, entry.model, entry.object_id) == ("create", "assessment.deduction", row.pk)
    assert entry.label == "扣分：老干部工作 −2分"
    assert entry.before is None
    assert entry.after == {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "criterion": {"id": s["criterion"].pk, "label": s["criterion"].text[:60]},
        "unit": {"id": town.pk, "label": "城关镇"},
        "points": "2",
        "reason": "三会一课记录不全",
    }


def test_deduction_update_records_values_before_and_after(s):
    deduction = deduct(s, "2", "台账不全")
    village = unit_in(s, "新村")
    findings.deduction_update(
        deduction=deduction,
        version=1,
        criterion=None,
        unit=village,
        points="1.5",
        reason="会议记录缺失",
        user=s["leader"],
    )

    row = Deduction.objects.get()
    assert (row.criterion, row.unit, row.points, row.reason) == (
        None,
        village,
        Decimal("1.5"),
        "会议记录缺失",
    )
    assert (row.version, row.updated_by, row.created_by) == (2, s["leader"], s["member"])
    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == s["leader"]
    assert entry.object_id == row.pk
    assert entry.before == {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "criterion": {"id": s["criterion"].pk, "label": s["criterion"].text[:60]},
        "unit": None,
        "points": "2",
        "reason": "台账不全",
    }
    assert entry.after == {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "criterion": None,
        "unit": {"id": village.pk, "label": "新村"},
        "points": "1.5",
        "reason": "会议记录缺失",
    }


def test_deduction_delete_removes_it_and_keeps_its_last_values_in_the_audit(s):
    deduction = deduct(s, "2", "台账不全")
    pk = deduction.pk
    findings.deduction_delete(deduction=deduction, version=1, user=s["leader"])

    assert not Deduction.objects.exists()
    entry = AuditEntry.objects.get(action="delete")
    assert (entry.actor, entry.model, entry.object_id) == (s["leader"], "assessment.deduction", pk)
    assert entry.label == "扣分：老干部工作 −2分"
    assert entry.after is None
    assert entry.before == {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "criterion": {"id": s["criterion"].pk, "label": s["criterion"].text[:60]},
        "unit": None,
        "points": "2",
        "reason": "台账不全",
    }


def test_deduction_reason_is_required(s):
    with pytest.raises(ValidationError) as exc:
        deduct(s, "2", "   ")
    assert errors(exc) == {"reason": ["请填写扣分理由。"]}
    assert not Deduction.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0.333", "扣分最多保留两位小数。"),
        ("-1", "扣分须大于0且小于1000。"),
        ("0", "扣分须大于0且小于1000。"),
        ("两分", "扣分须为数字，如 0.5 或 2。"),
    ],
)
def test_deduction_with_invalid_points_is_refused_and_nothing_is_written(s, typed, message):
    with pytest.raises(ValidationError) as exc:
        deduct(s, typed)
    assert errors(exc) == {"points": [message]}
    assert not Deduction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_invalid_points_on_update_leave_the_deduction_as_it_was(s):
    deduction = deduct(s, "2")
    with pytest.raises(ValidationError) as exc:
        findings.deduction_update(
            deduction=deduction,
            version=1,
            criterion=None,
            unit=None,
            points="0.333",
            reason="x",
            user=s["member"],
        )
    assert errors(exc) == {"points": ["扣分最多保留两位小数。"]}
    row = Deduction.objects.get()
    assert (row.points, row.reason, row.version) == (Decimal("2"), "台账不全", 1)
    assert AuditEntry.objects.count() == 1


# criterion cap


def test_deductions_under_a_criterion_may_reach_its_points_but_not_exceed_them(s):
    deduct(s, "3")
    deduct(s, "2")
    with pytest.raises(ValidationError) as exc:
        deduct(s, "0.5")
    assert errors(exc) == {"points": ["该细则分值5分，已扣5分，最多还能扣0分。"]}
    assert Deduction.objects.count() == 2
    assert AuditEntry.objects.count() == 2


def test_criterion_cap_message_says_how_much_is_left(s):
    deduct(s, "3")
    with pytest.raises(ValidationError) as exc:
        deduct(s, "2.5")
    assert errors(exc) == {"points": ["该细则分值5分，已扣3分，最多还能扣2分。"]}


def test_a_single_deduction_above_the_criterion_points_is_refused(s):
    with pytest.raises(ValidationError) as exc:
        deduct(s, "5.5")
    assert errors(exc) == {"points": ["该细则分值5分，已扣0分，最多还能扣5分。"]}


def test_updating_a_deduction_counts_the_others_under_its_criterion_not_itself(s):
    first, second = deduct(s, "3"), deduct(s, "2")
    criterion = s["criterion"]
    findings.deduction_update(
        deduction=first,
        version=1,
        criterion=criterion,
        unit=None,
        points="3",
        reason="改了理由",
        user=s["member"],
    )
    with pytest.raises(ValidationError) as exc:
        findings.deduction_update(
            deduction=second,
            version=1,
            criterion=criterion,
            unit=None,
            points="2.5",
            reason="台账不全",
            user=s["member"],
        )
    assert errors(exc) == {"points": ["该细则分值5分，已扣3分，最多还能扣2分。"]}
    assert Deduction.objects.get(pk=second.pk).points == Decimal("2")


def test_moving_a_deduction_under_a_full_criterion_is_refused(s):
    deduct(s, "5")
    loose = deduct(s, "1", criterion=None)
    with pytest.raises(ValidationError) as exc:
        findings.deduction_update(
            deduction=loose,
            version=1,
            criterion=s["criterion"],
            unit=None,
            points="1",
            reason="台账不全",
            user=s["member"],
        )
    assert errors(exc) == {"points": ["该细则分值5分，已扣5分，最多还能扣0分。"]}
    assert Deduction.objects.get(pk=loose.pk).criterion is None


def test_deductions_of_another_target_do_not_count_toward_the_cap(s):
    deduct(s, "5", target=s["lv_target"], user=s["other"])
    deduct(s, "5")
    assert Deduction.objects.filter(target=s["target"]).count() == 1


def test_a_criterion_without_points_has_no_cap(s):
    open_ended = CriterionFactory(item=s["item"], order=2, points=None)
    deduct(s, "30", criterion=open_ended)
    deduct(s, "30", criterion=open_ended)
    assert Deduction.objects.filter(criterion=open_ended).count() == 2


def test_a_criterion_of_another_item_is_refused(s):
    other_item = second_item(s)
    foreign = CriterionFactory(item=other_item, order=1)
    with pytest.raises(ValidationError) as exc:
        deduct(s, "1", criterion=foreign)
    assert errors(exc) == {"criterion": ["该评分细则不属于这个考核项目。"]}
    assert not Deduction.objects.exists()


def test_locking_a_finding_with_its_optional_relations_works(s):
    # Locking a finding together with its optional relations must work on PostgreSQL, which refuses
    # FOR UPDATE on the nullable side of an outer join: the services lock `of=("self",)`.
    enable_bonus(s)
    deduction = deduct(s, "2")
    findings.deduction_update(
        deduction=deduction, version=1, criterion=None, unit=None, points="1", reason="改", user=s["leader"]
    )
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="1", reason="创新", version=LATEST, user=s["leader"]
    )
    first = point(s, "甲")
    findings.point_update(point=first, version=1, headline="甲改", body="", user=s["leader"])
    problem(s, "问题甲")
    findings.problem_move(problem=problem(s, "问题乙"), up=True, version=1, user=s["leader"])
    findings.deduction_delete(deduction=deduction, version=2, user=s["leader"])
    assert AuditEntry.objects.filter(actor=s["leader"]).count() == 7  # the move: both problems


# units and items


@pytest.mark.parametrize("name", ["青山县", "青山县第0局", "城关镇", "新村"])
def test_deduction_may_name_the_county_or_any_unit_inside_it(s, name):
    unit = s["qingshan"] if name == "青山县" else unit_in(s, name)
    assert deduct(s, unit=unit).unit == unit


@pytest.mark.parametrize(
    ("where", "shown"),
    [("lv_town", "城关镇"), ("lv_village", "新村"), ("lvshui", "绿水县"), ("city", "云山市")],
)
def test_deduction_at_a_unit_outside_the_county_is_refused(s, where, shown):
    unit = {
        "lv_town": lambda: unit_in(s, "城关镇", "lvshui"),
        "lv_village": lambda: unit_in(s, "新村", "lvshui"),
        "lvshui": lambda: s["lvshui"],
        "city": lambda: s["qingshan"].parent,
    }[where]()
    with pytest.raises(ValidationError) as exc:
        deduct(s, unit=unit)
    assert errors(exc) == {"unit": [f"“{shown}”不是青山县的单位。"]}
    assert not Deduction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_deduction_update_to_a_unit_outside_the_county_is_refused(s):
    deduction = deduct(s)
    with pytest.raises(ValidationError) as exc:
        findings.deduction_update(
            deduction=deduction,
            version=1,
            criterion=None,
            unit=unit_in(s, "城关镇", "lvshui"),
            points="2",
            reason="台账不全",
            user=s["member"],
        )
    assert errors(exc) == {"unit": ["“城关镇”不是青山县的单位。"]}
    assert Deduction.objects.get().unit is None


def _foreign_item():
    return ChecklistItemFactory(campaign=CampaignFactory(), order=1, title="老干部工作")


@pytest.mark.parametrize(
    "call",
    [
        lambda s, item: deduct(s, item=item, criterion=None),
        lambda s, item: findings.score_decide(
            target=s["target"], item=item, decided=True, version=LATEST, user=s["member"]
        ),
        lambda s, item: findings.bonus_set(
            target=s["target"], item=item, bonus="1", reason="创新", version=LATEST, user=s["member"]
        ),
        lambda s, item: findings.evaluation_lead_save(
            target=s["target"], item=item, lead="总体较好", version=LATEST, user=s["member"]
        ),
        lambda s, item: findings.point_create(
            target=s["target"], item=item, headline="凝聚人心", body="", user=s["member"]
        ),
        lambda s, item: findings.problem_create(target=s["target"], item=item, text="问题", user=s["member"]),
    ],
    ids=["deduction", "score", "bonus", "lead", "point", "problem"],
)
def test_an_item_of_another_campaign_is_refused(s, call):
    enable_bonus(s)
    with pytest.raises(ValidationError) as exc:
        call(s, _foreign_item())
    assert exc.value.messages == ["该考核项目不属于本次考核。"]
    assert not Deduction.objects.exists()
    assert not ItemAssessment.objects.exists()
    assert not Problem.objects.exists()
    assert not AuditEntry.objects.exists()
