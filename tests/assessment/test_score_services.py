"""Findings services: the score of an item (full marks less deductions, confirmation) and 加分."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.models import AuditEntry, ItemAssessment
from assessment.selectors.workspace import item_states
from assessment.services import findings
from assessment.services.editing import LATEST
from tests.assessment.findings_helpers import (
    decide,
    deduct,
    enable_bonus,
    errors,
    second_item,
    state,
)

pytestmark = pytest.mark.django_db


# --- scores ---------------------------------------------------------------------------------


def test_score_is_full_marks_minus_the_deductions(s):
    deduct(s, "2")
    deduct(s, "1.5", criterion=None)
    st = state(s)
    assert st.deducted == Decimal("3.5")
    assert st.score is None  # not decided: 未评分, not a number
    assert st.points == Decimal("21.5")  # what it will score once decided
    decide(s)
    assert state(s).score == Decimal("21.5")


def test_an_item_nobody_decided_has_no_score_not_full_marks(s):
    st = state(s)
    assert (st.decided, st.score, st.points) == (False, None, Decimal("25"))


def test_score_is_full_marks_without_deductions_once_decided(s):
    decide(s)
    assert state(s).score == Decimal("25")


def test_score_never_goes_below_zero(s):
    deduct(s, "20", criterion=None)
    deduct(s, "10", criterion=None)
    decide(s)
    st = state(s)
    assert st.deducted == Decimal("30")
    assert st.score == Decimal("0")


def test_deductions_of_another_target_or_item_do_not_lower_the_score(s):
    other_item = second_item(s)
    deduct(s, "4", target=s["lv_target"], user=s["other"])
    deduct(s, "3", item=other_item, criterion=None)
    decide(s)
    decide(s, other_item)
    assert state(s).score == Decimal("25")
    assert state(s, other_item).score == Decimal("22")


def test_bonus_is_added_on_top_of_the_score(s):
    enable_bonus(s, cap="3")
    deduct(s, "3")
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新做法", version=LATEST, user=s["leader"]
    )
    decide(s)
    st = state(s)
    assert st.bonus == Decimal("2")
    assert st.score == Decimal("24")


def test_bonus_is_added_after_the_score_is_floored_at_zero(s):
    enable_bonus(s, cap="3")
    deduct(s, "30", criterion=None)
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新做法", version=LATEST, user=s["leader"]
    )
    decide(s)
    assert state(s).score == Decimal("2")


def test_confirming_the_score_records_who_and_when_and_is_audited(s):
    assessment = findings.score_decide(
        target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"]
    )

    row = ItemAssessment.objects.get()
    assert row.pk == assessment.pk
    assert row.score_decided_at is not None
    assert row.score_decided_by == s["leader"]
    assert row.version == 1  # a toggle does not bump the version (nobody's open lead edit conflicts)
    assert state(s).decided
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.model, entry.object_id) == ("update", "assessment.itemassessment", row.pk)
    assert entry.label == "项目评价：老干部工作"
    empty = {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "lead": "",
        "score_decided_at": None,
        "bonus": "0",
        "bonus_reason": "",
    }
    assert entry.before == empty
    assert entry.after == {**empty, "score_decided_at": row.score_decided_at.isoformat()}


def test_withdrawing_the_score_decision_clears_it(s):
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    findings.score_decide(target=s["target"], item=s["item"], decided=False, version=LATEST, user=s["member"])
    row = ItemAssessment.objects.get()
    assert (row.score_decided_at, row.score_decided_by) == (None, None)
    assert not state(s).decided
    entry = AuditEntry.objects.order_by("pk").last()
    assert entry.before["score_decided_at"] is not None and entry.after["score_decided_at"] is None


def test_a_later_deduction_withdraws_the_score_decision(s):
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    deduction = deduct(s, "2")
    st = state(s)
    assert not st.decided  # the group confirms the new score again
    assert (st.score, st.points) == (None, Decimal("23"))
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    findings.deduction_delete(deduction=deduction, version=LATEST, user=s["member"])
    assert not state(s).decided


# --- 加分 --------------------------------------------------------------------------------------


def test_bonus_is_refused_when_the_campaign_does_not_enable_it(s):
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=s["item"], bonus="1", reason="创新", version=LATEST, user=s["leader"]
        )
    assert errors(exc) == {"bonus": ["本次考核不设加分。"]}
    assert not ItemAssessment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_bonus_is_saved_with_its_reason_and_audited(s):
    enable_bonus(s, cap="3")
    findings.bonus_set(
        target=s["target"],
        item=s["item"],
        bonus="1.5分",
        reason=" 创新做法 ",
        version=LATEST,
        user=s["leader"],
    )
    row = ItemAssessment.objects.get()
    assert (row.bonus, row.bonus_reason, row.updated_by) == (Decimal("1.5"), "创新做法", s["leader"])
    entry = AuditEntry.objects.get()
    empty = {
        "item": {"id": s["item"].pk, "label": "老干部工作"},
        "lead": "",
        "score_decided_at": None,
        "bonus": "0",
        "bonus_reason": "",
    }
    assert entry.before == empty
    assert entry.after == {**empty, "bonus": "1.5", "bonus_reason": "创新做法"}


def test_bonus_needs_a_reason(s):
    enable_bonus(s)
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=s["item"], bonus="1", reason="  ", version=LATEST, user=s["leader"]
        )
    assert errors(exc) == {"bonus_reason": ["请填写加分理由。"]}
    assert not AuditEntry.objects.exists()


def test_bonus_may_be_taken_back_to_zero_without_a_reason(s):
    enable_bonus(s)
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="1", reason="创新", version=LATEST, user=s["leader"]
    )
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="0", reason="", version=LATEST, user=s["leader"]
    )
    assert ItemAssessment.objects.get().bonus == 0
    decide(s)
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
            target=s["target"], item=s["item"], bonus=typed, reason="创新", version=LATEST, user=s["leader"]
        )
    assert errors(exc) == {"bonus": [message]}
    assert not AuditEntry.objects.exists()


def test_one_bonus_above_the_cap_is_refused(s):
    enable_bonus(s, cap="3")
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=s["item"], bonus="3.5", reason="创新", version=LATEST, user=s["leader"]
        )
    assert errors(exc) == {"bonus": ["加分合计不能超过3分（其他项目已加0分）。"]}
    assert not ItemAssessment.objects.filter(bonus__gt=0).exists()


def test_bonuses_of_a_target_together_stay_within_the_cap(s):
    enable_bonus(s, cap="3")
    other_item = second_item(s)
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新", version=LATEST, user=s["leader"]
    )
    with pytest.raises(ValidationError) as exc:
        findings.bonus_set(
            target=s["target"], item=other_item, bonus="1.5", reason="亮点", version=LATEST, user=s["leader"]
        )
    assert errors(exc) == {"bonus": ["加分合计不能超过3分（其他项目已加2分）。"]}
    assert state(s, other_item).bonus == 0

    findings.bonus_set(
        target=s["target"], item=other_item, bonus="1", reason="亮点", version=LATEST, user=s["leader"]
    )
    # The item's own bonus is replaced, not added to the others.
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新", version=LATEST, user=s["leader"]
    )
    assert sum(st.bonus for st in item_states(s["target"])) == Decimal("3")


def test_the_bonus_cap_is_per_target(s):
    enable_bonus(s, cap="3")
    findings.bonus_set(
        target=s["lv_target"], item=s["item"], bonus="3", reason="创新", version=LATEST, user=s["other"]
    )
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="3", reason="创新", version=LATEST, user=s["leader"]
    )
    assert state(s).bonus == Decimal("3")


def test_a_bonus_stops_counting_when_the_campaign_disables_bonuses_and_can_be_cleared(s):
    enable_bonus(s, cap="3")
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="2", reason="创新", version=LATEST, user=s["leader"]
    )
    decide(s)
    s["campaign"].bonus_enabled = False
    s["campaign"].save()
    assert state(s).score == Decimal("25")
    findings.bonus_set(
        target=s["target"], item=s["item"], bonus="0", reason="", version=LATEST, user=s["leader"]
    )
    assert ItemAssessment.objects.get().bonus == 0
