"""综合评定's arithmetic on hand-computed cases (results.domain.rules)."""

from decimal import Decimal as D

from results.domain.rules import (
    Adjustment,
    AdjustmentKind,
    Award,
    Band,
    Component,
    Scheme,
    UnitFacts,
    Value,
    Veto,
    VetoEffect,
    competition_ranks,
    evaluate,
    scheme_errors,
)

BANDS = [Band("好", D(90)), Band("较好", D(80)), Band("一般", D(60)), Band("差", D(0))]
THREE = [
    Component("field", "实地考核", D(60)),
    Component("meeting", "述职评议", D(20)),
    Component("ballot", "民主测评", D(20)),
]


def unit(name, field=None, meeting=None, ballot=None, final=True, **kw):
    values = {}
    for key, score in (("field", field), ("meeting", meeting), ("ballot", ballot)):
        values[key] = Value(None if score is None else D(str(score)), final)
    return UnitFacts(key=name, name=name, values=values, **kw)


def by_name(outcome):
    return {r.name: r for r in outcome.units}


def test_weighted_total_is_rounded_half_up_to_cents():
    # 91.25×0.6 + 88.5×0.2 + 86.375×0.2 = 54.75 + 17.7 + 17.275 = 89.725 → 89.73
    out = evaluate(Scheme(THREE, BANDS), [unit("城关镇", 91.25, 88.5, 86.375)])
    r = out.units[0]
    assert r.weighted == D("89.73") and r.score == D("89.73")
    assert r.grade == "较好" and r.rank == 1 and not out.provisional


def test_a_component_left_out_has_no_weight_and_an_unknown_one_leaves_the_total_unknown():
    two = [
        Component("field", "实地考核", D(80)),
        Component("meeting", "述职评议", D(20)),
        Component("ballot", "民主测评", D(0)),
    ]
    out = evaluate(Scheme(two, BANDS), [unit("甲", 90, 80, None), unit("乙", 95, None, 70)])
    a, b = by_name(out)["甲"], by_name(out)["乙"]
    assert a.weighted == D("88.00") and a.grade == "较好" and a.complete  # 72 + 16; 民主测评 not weighted
    assert b.weighted is None and b.score is None and b.grade is None and b.rank is None
    assert out.provisional  # 乙's 述职评议 is unknown: never counted as full marks nor zero
    assert a.rank == 1


def test_a_known_but_not_final_component_gives_a_number_yet_keeps_the_result_provisional():
    out = evaluate(Scheme(THREE, BANDS), [unit("甲", 90, 90, 90, final=False)])
    assert out.units[0].score == D("90.00") and not out.units[0].complete and out.provisional


def test_bonus_and_penalty_are_capped_per_item():
    scheme = Scheme(
        THREE,
        BANDS,
        adjustments=[
            Adjustment("award", "获省级以上表彰", AdjustmentKind.BONUS, D(1), cap=D(2)),
            Adjustment("media", "发生负面舆情", AdjustmentKind.PENALTY, D(2), cap=D(3)),
            Adjustment("model", "示范点", AdjustmentKind.BONUS, D("0.5")),
        ],
    )
    awards = [
        Award("award", D(1)),
        Award("award", D(1)),
        Award("award", D(1)),  # 3 → capped at 2
        Award("media", D(2)),
        Award("media", D(2)),  # 4 → capped at 3
        Award("model", D("0.5")),
    ]
    out = evaluate(scheme, [unit("甲", 85, 85, 85, awards=awards)])
    r = out.units[0]
    assert (r.weighted, r.bonus, r.penalty, r.score) == (D("85.00"), D("2.50"), D("3.00"), D("84.50"))


def test_veto_sets_the_lowest_grade_or_forbids_the_top_one():
    scheme = Scheme(
        THREE,
        BANDS,
        vetoes=[
            Veto("crime", "发生严重违纪违法问题", VetoEffect.LOWEST),
            Veto("fail", "党建工作考核不合格", VetoEffect.NO_TOP),
        ],
    )
    out = by_name(
        evaluate(
            scheme,
            [
                unit("甲", 95, 95, 95, vetoes=["crime"]),
                unit("乙", 95, 95, 95, vetoes=["fail"]),
                unit("丙", 85, 85, 85, vetoes=["fail"]),
            ],
        )
    )
    assert out["甲"].grade == "差" and out["甲"].vetoed_by == ["发生严重违纪违法问题"]
    assert out["乙"].grade == "较好"
    assert out["丙"].grade == "较好"  # not top anyway: unchanged
    assert out["甲"].rank == 1  # a veto changes the grade, not the score or the rank


def test_quota_rounds_down_and_keeps_the_highest():
    # 7 units × 30% = 2.1 → 2 places; four reach 好.
    units = [
        unit(n, s, s, s)
        for n, s in (("甲", 98), ("乙", 96), ("丙", 93), ("丁", 91), ("戊", 85), ("己", 70), ("庚", 50))
    ]
    out = evaluate(Scheme(THREE, BANDS, quota=D("0.3")), units)
    grades = {r.name: (r.grade, r.quota_moved) for r in out.units}
    assert out.quota_places == 2 and out.top_count == 2
    assert grades["甲"] == ("好", False) and grades["乙"] == ("好", False)
    assert grades["丙"] == ("较好", True) and grades["丁"] == ("较好", True)
    assert grades["庚"] == ("差", False)


def test_units_tied_in_everything_at_the_quota_edge_all_drop():
    # 5 units × 40% = 2 places; 乙 and 丁 tie for the second in every component.
    scheme = Scheme(THREE, BANDS, quota=D("0.4"))
    edge = [
        unit("甲", 95, 95, 95),
        unit("乙", 92, 92, 92),
        unit("丁", 92, 92, 92),
        unit("戊", 60, 60, 60),
        unit("己", 50, 50, 50),
    ]
    out = evaluate(scheme, edge)
    result = by_name(out)
    assert [result[n].grade for n in ("甲", "乙", "丁")] == ["好", "较好", "较好"]
    assert result["乙"].quota_moved and result["丁"].quota_moved and out.top_count == 1


def test_equal_totals_at_the_quota_edge_go_to_the_higher_field_score():
    # 5 units × 40% = 2 places; 乙 (90, 95, 95) and 丙 (92, 92, 92) both total 92.00.
    scheme = Scheme(THREE, BANDS, quota=D("0.4"))
    units = [
        unit("甲", 96, 96, 96),
        unit("乙", 90, 95, 95),
        unit("丙", 92, 92, 92),
        unit("丁", 50, 50, 50),
        unit("戊", 40, 40, 40),
    ]
    result = by_name(evaluate(scheme, units))
    assert result["乙"].score == result["丙"].score == D("92.00")
    assert result["丙"].grade == "好" and result["乙"].grade == "较好" and result["乙"].quota_moved
    assert result["乙"].rank == result["丙"].rank == 2  # the quota decides the grade, not the rank


def test_a_manual_grade_replaces_the_computed_one_and_is_marked():
    out = evaluate(
        Scheme(THREE, BANDS, quota=D("0.5")),
        [
            unit("甲", 95, 95, 95),
            unit("乙", 85, 85, 85, manual_grade="好", manual_reason="获全国表彰，经部务会研究"),
        ],
    )
    r = by_name(out)["乙"]
    assert (
        r.grade == "好" and r.computed_grade == "较好" and r.manual and r.manual_reason.startswith("获全国")
    )
    assert out.quota_places == 1 and out.top_count == 2 and out.quota_exceeded


def test_ranks_share_and_skip():
    assert competition_ranks([D(90), D(95), None, D(90), D(80)]) == [2, 1, None, 2, 4]


def test_scheme_errors_name_what_is_wrong():
    bad = Scheme(
        [Component("field", "实地考核", D(60)), Component("meeting", "述职评议", D(30))],
        [Band("好", D(80)), Band("较好", D(90))],
        adjustments=[Adjustment("x", "获表彰", AdjustmentKind.BONUS, D(0))],
        quota=D("1.5"),
    )
    errors = scheme_errors(bad)
    assert "各组成部分的权重合计应为100%，现为90%。" in errors
    assert "等次的最低分应从高到低依次递减。" in errors
    assert "最高等次的名额比例应大于0%且不超过100%。" in errors
    assert "“获表彰”的分值应大于0。" in errors
    assert scheme_errors(Scheme(THREE, BANDS, quota=D("0.3"))) == []


def test_a_scheme_without_bands_grades_nobody_and_does_not_fail():
    out = evaluate(Scheme(THREE, []), [unit("甲", 90, 90, 90)])
    assert out.units[0].score == D("90.00") and out.units[0].grade is None
