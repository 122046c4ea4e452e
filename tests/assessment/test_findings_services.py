"""Findings services: deductions and the criterion cap, scores and 加分, evaluations, problems,
concurrent edits (EditConflict) and the audit trail.

The workflow lock (TargetLocked) of every service is in test_workflow.py.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.models import AuditEntry, Deduction, EvaluationPoint, ItemAssessment, Problem
from assessment.selectors import item_states
from assessment.services import findings
from assessment.services.editing import EditConflict, parse_points, snapshot
from tests.factories import CampaignFactory, ChecklistItemFactory, CriterionFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

# 01:30 UTC is 09:30 in Asia/Shanghai: the conflict message shows "1月5日 09:30".
SAVED_AT = dt.datetime(2022, 1, 5, 1, 30, tzinfo=dt.UTC)
CONFLICT_BY_MEMBER = "李组员 已于 1月5日 09:30 修改了此内容，您的修改尚未保存。请对照两个版本后再保存。"


@pytest.fixture
def s(setup):
    setup["criterion"] = setup["item"].criteria.get()
    setup["target"] = setup["qs_target"]
    return setup


def unit_in(s, name, county="qingshan"):
    return Unit.objects.get(name=name, ancestry__startswith=s[county].descendant_prefix)


def deduct(s, points="2", reason="台账不全", *, criterion=..., unit=None, user=None, target=None, item=None):
    item = item or s["item"]
    return findings.deduction_create(
        target=target or s["target"],
        item=item,
        criterion=item.criteria.first() if criterion is ... else criterion,
        unit=unit,
        points=points,
        reason=reason,
        user=user or s["member"],
    )


def enable_bonus(s, cap="3"):
    campaign = s["campaign"]
    campaign.bonus_enabled, campaign.bonus_cap = True, Decimal(cap)
    campaign.save()


def second_item(s, order=2, title="基层组织建设"):
    return ChecklistItemFactory(campaign=s["campaign"], order=order, title=title)


def problem(s, text="部分村党组织“三会一课”记录不全", *, item=None, user=None, **values):
    return findings.problem_create(
        target=s["target"], item=item or s["item"], user=user or s["member"], text=text, **values
    )


def point(s, headline="凝聚人心有声势", body="", *, user=None):
    return findings.point_create(
        target=s["target"], item=s["item"], headline=headline, body=body, user=user or s["member"]
    )


def state(s, item=None):
    return next(st for st in item_states(s["target"]) if st.item == (item or s["item"]))


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


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
        "考核项目": "老干部工作",
        "评分细则": s["criterion"].text[:60],
        "单位": "城关镇",
        "扣分": "2",
        "扣分理由": "三会一课记录不全",
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
        "考核项目": "老干部工作",
        "评分细则": s["criterion"].text[:60],
        "单位": None,
        "扣分": "2",
        "扣分理由": "台账不全",
    }
    assert entry.after == {
        "考核项目": "老干部工作",
        "评分细则": None,
        "单位": "新村",
        "扣分": "1.5",
        "扣分理由": "会议记录缺失",
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
        "考核项目": "老干部工作",
        "评分细则": s["criterion"].text[:60],
        "单位": None,
        "扣分": "2",
        "扣分理由": "台账不全",
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
    findings.score_decide(target=s["target"], item=s["item"], decided=True, user=s["leader"])
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="1", reason="创新", version=None, user=s["leader"]
    )
    first = point(s, "甲")
    findings.point_update(point=first, version=1, headline="甲改", body="", user=s["leader"])
    problem(s, "问题甲")
    findings.problem_move(problem=problem(s, "问题乙"), up=True, user=s["leader"])
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
        lambda s, item: findings.score_decide(target=s["target"], item=item, decided=True, user=s["member"]),
        lambda s, item: findings.bonus_set(
            target=s["target"], item=item, bonus="1", reason="创新", version=None, user=s["member"]
        ),
        lambda s, item: findings.evaluation_lead_save(
            target=s["target"], item=item, lead="总体较好", version=None, user=s["member"]
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


# --- scores ---------------------------------------------------------------------------------


def test_score_is_full_marks_minus_the_deductions(s):
    deduct(s, "2")
    deduct(s, "1.5", criterion=None)
    st = state(s)
    assert st.deducted == Decimal("3.5")
    assert st.score == Decimal("21.5")


def test_score_is_full_marks_without_deductions(s):
    assert state(s).score == Decimal("25")


def test_score_never_goes_below_zero(s):
    deduct(s, "20", criterion=None)
    deduct(s, "10", criterion=None)
    st = state(s)
    assert st.deducted == Decimal("30")
    assert st.score == Decimal("0")


def test_deductions_of_another_target_or_item_do_not_lower_the_score(s):
    other_item = second_item(s)
    deduct(s, "4", target=s["lv_target"], user=s["other"])
    deduct(s, "3", item=other_item, criterion=None)
    assert state(s).score == Decimal("25")
    assert state(s, other_item).score == Decimal("22")


def test_bonus_is_added_on_top_of_the_score(s):
    enable_bonus(s, cap="3")
    deduct(s, "3")
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新做法", version=None, user=s["leader"]
    )
    st = state(s)
    assert st.bonus == Decimal("2")
    assert st.score == Decimal("24")


def test_bonus_is_added_after_the_score_is_floored_at_zero(s):
    enable_bonus(s, cap="3")
    deduct(s, "30", criterion=None)
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新做法", version=None, user=s["leader"]
    )
    assert state(s).score == Decimal("2")


def test_confirming_the_score_records_who_and_when_and_is_audited(s):
    assessment = findings.score_decide(target=s["target"], item=s["item"], decided=True, user=s["leader"])

    row = ItemAssessment.objects.get()
    assert row.pk == assessment.pk
    assert row.score_decided_at is not None
    assert row.score_decided_by == s["leader"]
    assert row.version == 1  # a toggle does not bump the version (nobody's open lead edit conflicts)
    assert state(s).decided
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.model, entry.object_id) == ("update", "assessment.itemassessment", row.pk)
    assert entry.label == "项目评价：老干部工作"
    assert entry.before == {
        "考核项目": "老干部工作",
        "总体评价": "",
        "确认得分": False,
        "加分": "0",
        "加分理由": "",
    }
    assert entry.after == {
        "考核项目": "老干部工作",
        "总体评价": "",
        "确认得分": True,
        "加分": "0",
        "加分理由": "",
    }


def test_withdrawing_the_score_decision_clears_it(s):
    findings.score_decide(target=s["target"], item=s["item"], decided=True, user=s["leader"])
    findings.score_decide(target=s["target"], item=s["item"], decided=False, user=s["member"])
    row = ItemAssessment.objects.get()
    assert (row.score_decided_at, row.score_decided_by) == (None, None)
    assert not state(s).decided
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.before["确认得分"], entry.after["确认得分"]) == (True, False)


def test_a_later_deduction_withdraws_the_score_decision(s):
    findings.score_decide(target=s["target"], item=s["item"], decided=True, user=s["leader"])
    deduction = deduct(s, "2")
    st = state(s)
    assert not st.decided  # the group confirms the new score again
    assert st.score == Decimal("23")
    findings.score_decide(target=s["target"], item=s["item"], decided=True, user=s["leader"])
    findings.deduction_delete(deduction=deduction, version=None, user=s["member"])
    assert not state(s).decided


# --- 加分 --------------------------------------------------------------------------------------


def test_bonus_is_refused_when_the_campaign_does_not_enable_it(s):
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=s["item"], bonus="1", reason="创新", version=None, user=s["leader"]
        )
    assert errors(exc) == {"bonus": ["本次考核不设加分。"]}
    assert not ItemAssessment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_bonus_is_saved_with_its_reason_and_audited(s):
    enable_bonus(s, cap="3")
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="1.5分", reason=" 创新做法 ", version=None, user=s["leader"]
    )
    row = ItemAssessment.objects.get()
    assert (row.bonus, row.bonus_reason, row.updated_by) == (Decimal("1.5"), "创新做法", s["leader"])
    entry = AuditEntry.objects.get()
    assert entry.before == {
        "考核项目": "老干部工作",
        "总体评价": "",
        "确认得分": False,
        "加分": "0",
        "加分理由": "",
    }
    assert entry.after == {
        "考核项目": "老干部工作",
        "总体评价": "",
        "确认得分": False,
        "加分": "1.5",
        "加分理由": "创新做法",
    }


def test_bonus_needs_a_reason(s):
    enable_bonus(s)
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=s["item"], bonus="1", reason="  ", version=None, user=s["leader"]
        )
    assert errors(exc) == {"bonus_reason": ["请填写加分理由。"]}
    assert not AuditEntry.objects.exists()


def test_bonus_may_be_taken_back_to_zero_without_a_reason(s):
    enable_bonus(s)
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="1", reason="创新", version=None, user=s["leader"]
    )
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="0", reason="", version=None, user=s["leader"]
    )
    assert ItemAssessment.objects.get().bonus == 0
    assert state(s).score == Decimal("25")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0.333", "加分最多保留两位小数。"),
        ("-1", "加分须在0至1000之间。"),
        ("很多", "加分须为数字，如 0.5 或 2。"),
    ],
)
def test_invalid_bonus_is_refused(s, typed, message):
    enable_bonus(s)
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=s["item"], bonus=typed, reason="创新", version=None, user=s["leader"]
        )
    assert errors(exc) == {"bonus": [message]}
    assert not AuditEntry.objects.exists()


def test_one_bonus_above_the_cap_is_refused(s):
    enable_bonus(s, cap="3")
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=s["item"], bonus="3.5", reason="创新", version=None, user=s["leader"]
        )
    assert errors(exc) == {"bonus": ["加分合计不能超过3分（其他项目已加0分）。"]}
    assert not ItemAssessment.objects.filter(bonus__gt=0).exists()


def test_bonuses_of_a_target_together_stay_within_the_cap(s):
    enable_bonus(s, cap="3")
    other_item = second_item(s)
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新", version=None, user=s["leader"]
    )
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=other_item, bonus="1.5", reason="亮点", version=None, user=s["leader"]
        )
    assert errors(exc) == {"bonus": ["加分合计不能超过3分（其他项目已加2分）。"]}
    assert state(s, other_item).bonus == 0

    findings.bonus_set(
        target=s["target"], item=other_item, bonus="1", reason="亮点", version=None, user=s["leader"]
    )
    # The item's own bonus is replaced, not added to the others.
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新", version=None, user=s["leader"]
    )
    assert sum(st.bonus for st in item_states(s["target"])) == Decimal("3")


def test_the_bonus_cap_is_per_target(s):
    enable_bonus(s, cap="3")
    findings.bonus_set(
        target=s["lv_target"], item=s["item"], bonus="3", reason="创新", version=None, user=s["other"]
    )
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="3", reason="创新", version=None, user=s["leader"]
    )
    assert state(s).bonus == Decimal("3")


def test_a_bonus_stops_counting_when_the_campaign_disables_bonuses_and_can_be_cleared(s):
    enable_bonus(s, cap="3")
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新", version=None, user=s["leader"]
    )
    s["campaign"].bonus_enabled = False
    s["campaign"].save()
    assert state(s).score == Decimal("25")
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="0", reason="", version=None, user=s["leader"]
    )
    assert ItemAssessment.objects.get().bonus == 0


# --- the evaluation: lead and points ---------------------------------------------------------------


def test_evaluation_lead_is_saved_stripped_and_audited(s):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="  该县老干部工作扎实有效。 ", version=None, user=s["member"]
    )
    row = ItemAssessment.objects.get()
    assert (row.lead, row.version, row.updated_by) == ("该县老干部工作扎实有效。", 2, s["member"])
    assert state(s).evaluated
    entry = AuditEntry.objects.get()
    assert (entry.before["总体评价"], entry.after["总体评价"]) == ("", "该县老干部工作扎实有效。")


def test_saving_an_unchanged_lead_writes_nothing(s):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="工作扎实", version=None, user=s["member"]
    )
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead=" 工作扎实 ", version=2, user=s["leader"]
    )
    row = ItemAssessment.objects.get()
    assert (row.version, row.updated_by) == (2, s["member"])
    assert AuditEntry.objects.count() == 1


def test_a_blank_lead_is_no_evaluation(s):
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="   ", version=None, user=s["member"]
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
    assert state(s).evaluated
    entry = AuditEntry.objects.get(object_id=first.pk)
    assert (entry.action, entry.model, entry.label) == (
        "create",
        "assessment.evaluationpoint",
        "评价要点：凝聚人心有声势",
    )
    assert entry.before is None
    assert entry.after == {"要点": "凝聚人心有声势", "内容": "组织开展走访慰问", "顺序": 0}


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
    assert update.before == {"要点": "凝聚人心有声势", "内容": "原内容", "顺序": 0}
    assert update.after == {"要点": "凝聚人心有力度", "内容": "新内容", "顺序": 0}

    findings.point_delete(point=row, version=2, user=s["leader"])
    assert not EvaluationPoint.objects.exists()
    delete = AuditEntry.objects.get(action="delete")
    assert (delete.object_id, delete.before, delete.after) == (
        p.pk,
        {"要点": "凝聚人心有力度", "内容": "新内容", "顺序": 0},
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

    findings.point_move(point=c, up=True, user=s["leader"])
    assert list(EvaluationPoint.objects.order_by("position").values_list("headline", "position")) == [
        ("丙", 0),
        ("甲", 1),
    ]
    # Both points that changed position are audited: the moved one and its neighbour.
    entries = AuditEntry.objects.filter(action="update").order_by("pk")
    assert [(e.object_id, e.actor, e.before["顺序"], e.after["顺序"]) for e in entries] == [
        (c.pk, s["leader"], 2, 0),
        (a.pk, s["leader"], 0, 1),
    ]

    findings.point_move(point=c, up=False, user=s["leader"])
    assert list(EvaluationPoint.objects.order_by("position").values_list("headline", "position")) == [
        ("甲", 0),
        ("丙", 1),
    ]
    assert a.pk in EvaluationPoint.objects.values_list("pk", flat=True)


def test_moving_the_first_point_up_or_the_last_down_changes_nothing(s):
    a, b = point(s, "甲"), point(s, "乙")
    count = AuditEntry.objects.count()
    findings.point_move(point=a, up=True, user=s["member"])
    findings.point_move(point=b, up=False, user=s["member"])
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
        "考核项目": "老干部工作",
        "问题": "新村党支部“三会一课”记录不全",
        "单位": "新村",
        "问题类别": "组织建设",
        "责任单位": "城关镇党委",
        "整改时限": "2022-03-31",
        "整改状态": "整改中",
        "整改情况": "已召开专题会",
        "顺序": 0,
    }


def test_problem_defaults_to_not_rectified(s):
    problem(s, "台账不全")
    row = Problem.objects.get()
    assert (row.rectification, row.deadline, row.unit, row.category) == ("open", None, None, "")
    assert AuditEntry.objects.get().after["整改状态"] == "未整改"


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
    assert update.before == {
        "考核项目": "老干部工作",
        "问题": "台账不全",
        "单位": None,
        "问题类别": "",
        "责任单位": "",
        "整改时限": None,
        "整改状态": "未整改",
        "整改情况": "",
        "顺序": 0,
    }
    assert update.after == {
        "考核项目": "老干部工作",
        "问题": "台账严重不全",
        "单位": None,
        "问题类别": "组织建设",
        "责任单位": "城关镇党委",
        "整改时限": "2022-03-31",
        "整改状态": "整改中",
        "整改情况": "已召开专题会",
        "顺序": 0,
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

    findings.problem_move(problem=a, up=False, user=s["member"])
    ordered = Problem.objects.filter(item=s["item"]).order_by("position")
    assert list(ordered.values_list("text", "position")) == [("问题乙", 0), ("问题甲", 1), ("问题丙", 2)]
    assert Problem.objects.get(pk=elsewhere.pk).position == 0
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.object_id, entry.before["顺序"], entry.after["顺序"]) == (a.pk, 0, 1)

    findings.problem_move(problem=c, up=True, user=s["member"])
    assert list(ordered.values_list("text", flat=True)) == ["问题乙", "问题丙", "问题甲"]


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
            target=s["target"], item=s["item"], lead="初稿", version=None, user=s["member"]
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
            target=s["target"], item=s["item"], bonus="1", reason="创新", version=None, user=s["member"]
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
    assert snapshot(current) == snapshot(saved)
    assert exc.value.mine == expected_mine
    row = model.objects.get(pk=obj.pk)
    assert row.version == loaded_at + 1
    assert snapshot(row) == snapshot(saved)
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
        target=s["target"], item=s["item"], lead="初稿", version=None, user=s["member"]
    )
    findings.score_decide(target=s["target"], item=s["item"], decided=True, user=s["leader"])
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="改稿", version=2, user=s["member"]
    )
    assert ItemAssessment.objects.get().lead == "改稿"


def test_a_save_without_a_version_is_not_checked(s):
    # version=None is for internal callers (the demo, imports); the workspace's edit views refuse a
    # form posted without its version (test_workspace_views), so a browser never gets here.
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
        version=None,
        criterion=None,
        unit=None,
        points="1",
        reason="我的修改",
        user=s["leader"],
    )
    assert Deduction.objects.get().reason == "我的修改"


# --- the audit trail and its transaction -----------------------------------------------------------


@pytest.fixture
def fail_after_audit(monkeypatch):
    """Call it to make findings.audit write its entry and then fail, as if the transaction
    broke after both the change and its entry were written."""
    real = findings.audit

    def failing(**kwargs):
        real(**kwargs)
        raise RuntimeError("写入失败")

    return lambda: monkeypatch.setattr(findings, "audit", failing)


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
        target=s["target"], item=s["item"], lead="初稿", version=None, user=s["member"]
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
