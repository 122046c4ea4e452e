"""The count's rule on hand-computed cases (ballots.domain.counting)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from ballots.domain.counting import (
    ABSTAIN,
    INVALID,
    Category,
    Marks,
    Option,
    count,
    default_options,
    quorum_required,
    rounded,
)

D = Decimal
CATEGORIES = [
    Category("领导", D("0.3"), present=3),
    Category("负责人", D("0.4"), present=2),
    Category("代表", D("0.3"), present=2),
]


def ballots():
    return [
        Marks("领导", {"城关镇": "好", "教育局": "较好"}),
        Marks("领导", {"城关镇": "较好"}),  # 教育局 left blank: 弃权
        Marks("领导", {"城关镇": "好,较好", "教育局": "差"}),  # two ticks: 无效 for 城关镇
        Marks("负责人", {"城关镇": "一般", "教育局": "好"}),
        Marks("负责人", {}),  # all blank: 废票
        Marks("代表", {"城关镇": "好", "教育局": "多选"}),
        Marks("代表", {"城关镇": "?", "教育局": ""}),  # nothing valid: 废票
    ]


def test_hand_computed_count():
    result = count(
        options=default_options(), categories=CATEGORIES, subjects=["城关镇", "教育局"], ballots=ballots()
    )
    assert (result.received, result.valid, result.void) == (7, 5, 2)
    per_category = {c.key: (c.received, c.valid, c.void) for c in result.categories}
    assert per_category == {"领导": (3, 3, 0), "负责人": (2, 1, 1), "代表": (2, 1, 1)}

    town, bureau = result.subjects
    # 城关镇: 领导 (100 + 80) / 2 = 90, 负责人 60, 代表 100 → 0.3×90 + 0.4×60 + 0.3×100 = 81
    assert town.by_category["领导"].counts == {"好": 1, "较好": 1, "一般": 0, "差": 0, ABSTAIN: 0, INVALID: 1}
    assert town.by_category["负责人"].counts[ABSTAIN] == 1
    assert town.by_category["代表"].counts[INVALID] == 1
    assert [town.mean(k) for k in ("领导", "负责人", "代表")] == [D("90.00"), D("60.00"), D("100.00")]
    assert town.valid == 4
    assert town.score == D("81.00")
    assert town.good_rate == D("75.00")  # 3 of 4
    # 教育局: 代表 has no valid mark, so the weights 0.3 and 0.4 are rescaled over 0.7:
    # 领导 (80 + 40) / 2 = 60, 负责人 100 → (0.3×60 + 0.4×100) / 0.7 = 58 / 0.7 = 82.857… → 82.86
    assert bureau.by_category["代表"].valid == 0
    assert bureau.mean("代表") is None
    assert bureau.by_category["代表"].counts[INVALID] == 1
    assert bureau.by_category["代表"].counts[ABSTAIN] == 1
    assert bureau.score == D("82.86")
    assert bureau.good_rate == D("66.67")  # 2 of 3
    assert (bureau.rank, town.rank) == (1, 2)
    # every ballot received is tallied once per subject and category
    for subject in result.subjects:
        for key, tally in subject.by_category.items():
            assert sum(tally.counts.values()) == dict((c.key, c.received) for c in result.categories)[key]
    assert town.total_counts() == {"好": 2, "较好": 1, "一般": 1, "差": 0, ABSTAIN: 1, INVALID: 2}


def test_quorum_just_met_and_just_missed():
    # present 7: two thirds is 4.67, so 5 valid ballots are needed; there are 5
    met = count(
        options=default_options(), categories=CATEGORIES, subjects=["城关镇", "教育局"], ballots=ballots()
    )
    assert (met.quorum.present, met.quorum.required, met.quorum.met) == (7, 5, True)
    more_present = [
        Category(c.key, c.weight, present=c.present + (1 if c.key == "领导" else 0)) for c in CATEGORIES
    ]
    missed = count(options=default_options(), categories=more_present, subjects=["城关镇"], ballots=ballots())
    # present 8: 16/3 = 5.33 → 6 needed, 5 valid
    assert (missed.quorum.present, missed.quorum.required, missed.quorum.met) == (8, 6, False)


def test_quorum_boundaries_and_editable_fraction():
    assert quorum_required(9, Fraction(2, 3)) == 6  # exactly two thirds is enough
    assert quorum_required(10, Fraction(2, 3)) == 7
    assert quorum_required(10, Fraction(1, 2)) == 5
    assert quorum_required(0, Fraction(2, 3)) == 0
    half = count(
        options=default_options(),
        categories=[Category("全体", D(1), present=4)],
        subjects=["城关镇"],
        ballots=[Marks("全体", {"城关镇": "好"}), Marks("全体", {"城关镇": "差"}), Marks("全体", {})],
        quorum=Fraction(1, 2),
    )
    assert (half.quorum.required, half.valid, half.quorum.met) == (2, 2, True)


def test_quorum_unknown_while_present_unknown():
    categories = [Category("领导", D("0.5"), present=None), Category("代表", D("0.5"), present=3)]
    result = count(
        options=default_options(),
        categories=categories,
        subjects=["城关镇"],
        ballots=[Marks("代表", {"城关镇": "好"})],
    )
    assert result.quorum.met is None and result.quorum.required is None


def test_subject_without_any_valid_mark_has_no_number():
    result = count(
        options=default_options(),
        categories=CATEGORIES,
        subjects=["城关镇", "教育局"],
        ballots=[
            Marks("领导", {"城关镇": "好", "教育局": ""}),
            Marks("代表", {"城关镇": "差", "教育局": "好好"}),
        ],
    )
    town, bureau = result.subjects
    assert (bureau.valid, bureau.score, bureau.good_rate, bureau.rank) == (0, None, None, None)
    # 城关镇: 领导 100, 代表 40, weights 0.3 / 0.3 rescaled to halves → 70
    assert (town.score, town.rank) == (D("70.00"), 1)


def test_all_blank_ballot_is_void_but_received():
    result = count(
        options=default_options(),
        categories=[Category("全体", D(1), present=2)],
        subjects=["城关镇", "教育局"],
        ballots=[Marks("全体", {"城关镇": "", "教育局": None}), Marks("全体", {"城关镇": "较好"})],
    )
    assert (result.received, result.valid, result.void) == (2, 1, 1)
    assert result.subjects[1].by_category["全体"].counts[ABSTAIN] == 2
    assert result.subjects[1].score is None


def test_ties_share_a_rank():
    result = count(
        options=default_options(),
        categories=[Category("全体", D(1), present=2)],
        subjects=["甲", "乙", "丙", "丁"],
        ballots=[
            Marks("全体", {"甲": "好", "乙": "较好", "丙": "一般", "丁": "好"}),
            Marks("全体", {"甲": "较好", "乙": "好", "丙": "一般", "丁": "差"}),
        ],
    )
    assert [(s.subject, s.score, s.rank) for s in result.subjects] == [
        ("甲", D("90.00"), 1),
        ("乙", D("90.00"), 1),
        ("丙", D("60.00"), 4),
        ("丁", D("70.00"), 3),
    ]


def test_rounding_is_half_up_on_exact_values():
    assert rounded(Fraction(3125, 1000)) == D("3.13")  # banker's rounding would give 3.12
    assert rounded(Fraction(1, 3) * 100) == D("33.33")
    assert rounded(Fraction(2, 3) * 100) == D("66.67")
    assert rounded(D("2.675")) == D("2.68")
    assert rounded(None) is None
    # 好评率 of 1 good mark in 32: 3.125 → 3.13
    many = [Marks("全体", {"甲": "好"})] + [Marks("全体", {"甲": "差"})] * 31
    result = count(
        options=default_options(), categories=[Category("全体", D(1), 32)], subjects=["甲"], ballots=many
    )
    assert result.subjects[0].good_rate == D("3.13")
    # score (100 + 31 × 40) / 32 = 41.875 → 41.88
    assert result.subjects[0].score == D("41.88")


def test_edited_options_and_scores():
    options = [
        Option("优秀", D("95"), good=True),
        Option("称职", D("85.5"), good=True),
        Option("不称职", D(0)),
    ]
    result = count(
        options=options,
        categories=[Category("全体", D(1), 3)],
        subjects=["甲"],
        ballots=[Marks("全体", {"甲": "优秀"}), Marks("全体", {"甲": "称职"}), Marks("全体", {"甲": "好"})],
    )
    subject = result.subjects[0]
    assert subject.by_category["全体"].counts == {"优秀": 1, "称职": 1, "不称职": 0, ABSTAIN: 0, INVALID: 1}
    assert subject.score == D("90.25")
    assert subject.good_rate == D("100.00")


def test_unknown_category_is_refused():
    with pytest.raises(ValueError):
        count(
            options=default_options(),
            categories=[Category("全体", D(1), 1)],
            subjects=["甲"],
            ballots=[Marks("群众", {"甲": "好"})],
        )
