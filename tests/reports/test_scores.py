"""assessment.selectors.scores.campaign_scores: totals, ranks, grade bands and item statistics.

Expected numbers are worked out by hand from the data the tests create (see
SPEC and EXPECTED), never by the code under test or by the workspace selector.
The targets of SPEC have every item decided (确认得分), unless a test says otherwise:
an undecided item has no score.
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.domain.scoring import Grade, GradeBands, competition_ranks, grade_of, percent_of
from assessment.models import Campaign, Deduction, ItemAssessment, Problem, Target, TypicalExample
from assessment.selectors.scores import GRADES, ScoreTable, campaign_scores, score_tables
from assessment.selectors.workspace import item_states
from tests.factories import (
    CampaignFactory,
    ChecklistItemFactory,
    GroupFactory,
    UserFactory,
    add_target,
    city,
    county,
)
from units.models import Unit

pytestmark = pytest.mark.django_db

D = Decimal
TITLE = "2021年度党建工作年终考核"
ITEMS = [("落实全面从严治党主体责任", "40"), ("基层党组织建设", "35"), ("老干部工作", "25")]  # 100 in all

# County → item index → deductions (points), as inspectors would record them.
SPEC: dict[str, dict[int, list[str]]] = {
    "红河县": {},  # nothing recorded: full marks
    "青山县": {0: ["3", "1.5"], 2: ["2"]},  # 35.5 + 35 + 23
    "绿水县": {0: ["6.5"]},  # 33.5 + 35 + 25: ties with 青山县
    "石门县": {0: ["10"]},  # exactly 90
    "金沙县": {0: ["10"], 2: ["0.01"]},  # 89.99
    "黄土县": {0: ["20"]},  # exactly 80
    "清河县": {0: ["20"], 1: ["0.01"]},  # 79.99
    "高山县": {0: ["25", "15"]},  # item 1 at exactly zero: 0 + 35 + 25 = 60
    "白云县": {0: ["10"], 1: ["30", "20"]},  # item 2 below zero counts 0: 30 + 0 + 25 = 55
}
# County → (scores per item, total, rank, grade), by hand.
GOOD, FAIRLY_GOOD, AVERAGE, POOR = Grade.GOOD, Grade.FAIRLY_GOOD, Grade.AVERAGE, Grade.POOR
EXPECTED = {
    "红河县": (["40", "35", "25"], "100", 1, GOOD),
    "青山县": (["35.5", "35", "23"], "93.5", 2, GOOD),
    "绿水县": (["33.5", "35", "25"], "93.5", 2, GOOD),
    "石门县": (["30", "35", "25"], "90", 4, GOOD),
    "金沙县": (["30", "35", "24.99"], "89.99", 5, FAIRLY_GOOD),
    "黄土县": (["20", "35", "25"], "80", 6, FAIRLY_GOOD),
    "清河县": (["20", "34.99", "25"], "79.99", 7, AVERAGE),
    "高山县": (["0", "35", "25"], "60", 8, AVERAGE),
    "白云县": (["30", "0", "25"], "55", 9, POOR),
}
# Rank, then county name (the tie: 绿水县 before 青山县 by code point, 绿 U+7EFF < 青 U+9752).
EXPECTED_ORDER = ["红河县", "绿水县", "青山县", "石门县", "金沙县", "黄土县", "清河县", "高山县", "白云县"]


def assess(target, item, **fields) -> None:
    """Set fields of the target's assessment of ``item`` (created if missing)."""
    ItemAssessment.objects.update_or_create(target=target, item=item, defaults=fields)


def build_campaign(
    spec=SPEC, items=ITEMS, *, title=TITLE, year=2021, decided=True, **campaign_fields
) -> dict:
    """A campaign with ``items`` and one target per county of ``spec``, its deductions recorded
    and, with ``decided``, every item's score decided."""
    inspector = UserFactory()
    campaign = CampaignFactory(title=title, year=year, **campaign_fields)
    item_objs = [
        ChecklistItemFactory(campaign=campaign, order=order, title=name, full_score=D(full))
        for order, (name, full) in enumerate(items, start=1)
    ]
    root = Unit.objects.filter(kind=Unit.Kind.CITY, parent=None).first() or city("云山市")
    groups = [
        GroupFactory(campaign=campaign, name="市委第一考核组"),
        GroupFactory(campaign=campaign, name="市委第二考核组"),
    ]
    targets = {}
    for index, (name, deductions) in enumerate(spec.items()):
        unit = Unit.objects.filter(name=name, parent=root).first() or county(root, name)
        target = add_target(groups[index % 2], unit)
        targets[name] = target
        for item_index, points in deductions.items():
            for p in points:
                Deduction.objects.create(
                    target=target,
                    item=item_objs[item_index],
                    points=D(p),
                    reason="未落实",
                    created_by=inspector,
                )
        if decided:
            for item in item_objs:
                assess(target, item, score_decided_at=timezone.now())
    return {"campaign": campaign, "items": item_objs, "targets": targets, "groups": groups, "user": inspector}


@pytest.fixture
def scored() -> dict:
    return build_campaign()


def by_county(table: ScoreTable) -> dict:
    return {row.unit_name: row for row in table.rows}


def test_totals_ranks_and_grades_match_the_hand_computation(scored):
    table = campaign_scores(scored["campaign"])

    assert [item.title for item in table.items] == [name for name, _ in ITEMS]
    assert table.full_total == D(100)
    rows = by_county(table)
    assert set(rows) == set(EXPECTED)
    for name, (scores, total, rank, grade) in EXPECTED.items():
        row = rows[name]
        assert row.scores == [D(s) for s in scores], name
        assert row.total == D(total), name
        assert (row.rank, row.grade) == (rank, grade), name
        assert row.percent == D(total), name  # full total 100: the percentage is the total
        assert row.target == scored["targets"][name]
        assert row.status == Target.Status.DRAFTING and row.status_label == "填报中"
    assert all(isinstance(s, Decimal) for row in table.rows for s in [*row.scores, row.total])


def test_rows_come_by_rank_then_county_name(scored):
    table = campaign_scores(scored["campaign"])

    assert [row.unit_name for row in table.rows] == EXPECTED_ORDER
    assert [row.rank for row in table.rows] == [1, 2, 2, 4, 5, 6, 7, 8, 9]
    assert sorted(EXPECTED, key=lambda n: (EXPECTED[n][2], n)) == EXPECTED_ORDER


def test_group_names_and_the_grade_counts(scored):
    table = campaign_scores(scored["campaign"])

    assert by_county(table)["红河县"].group_name == "市委第一考核组"
    assert by_county(table)["青山县"].group_name == "市委第二考核组"
    assert table.grade_counts == {GOOD: 4, FAIRLY_GOOD: 2, AVERAGE: 2, POOR: 1}
    assert list(table.grade_counts) == list(GRADES) == [GOOD, FAIRLY_GOOD, AVERAGE, POOR]
    assert [str(g.label) for g in GRADES] == ["好", "较好", "一般", "差"]


def test_item_statistics_are_average_min_and_max_over_targets(scored):
    table = campaign_scores(scored["campaign"])

    columns = list(zip(*(scores for scores, *_ in EXPECTED.values()), strict=True))
    for stats, column in zip(table.item_stats, columns, strict=True):
        values = [D(v) for v in column]
        assert (stats.count, stats.of, stats.partial) == (9, 9, False)
        average = (sum(values) / len(values)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert (stats.average, stats.minimum, stats.maximum) == (average, min(values), max(values))
    # By hand: item 1 = (40+35.5+33.5+30+30+20+20+0+30) / 9 = 239 / 9 = 26.555… → 26.56.
    assert table.item_stats[0].average == D("26.56")
    assert table.item_stats[2].minimum == D("23")
    totals = [D(t) for _s, t, *_ in EXPECTED.values()]
    assert table.total_stats.average == (sum(totals) / 9).quantize(D("0.01"))  # 741.98 / 9 = 82.44
    assert table.total_stats.average == D("82.44")
    assert (table.total_stats.minimum, table.total_stats.maximum) == (D(55), D(100))
    assert all(s.average.as_tuple().exponent == -2 for s in [*table.item_stats, table.total_stats])


def test_scores_agree_with_the_workspace_selector(scored):
    """The summary and the inspectors' workspace never disagree about a score."""
    assess(scored["targets"]["青山县"], scored["items"][1], bonus=D("1.5"))
    assess(scored["targets"]["绿水县"], scored["items"][2], score_decided_at=None)  # one undecided
    for enabled in (False, True):
        Campaign.objects.filter(pk=scored["campaign"].pk).update(bonus_enabled=enabled, bonus_cap=5)
        campaign = Campaign.objects.get(pk=scored["campaign"].pk)
        for row in campaign_scores(campaign).rows:
            states = item_states(Target.objects.select_related("campaign").get(pk=row.target.pk))
            assert row.scores == [s.score for s in states]
    assert by_county(campaign_scores(campaign))["绿水县"].scores[2] is None


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks([D(90), D(95), D(90), D(80), D(95), D(90)]) == [3, 1, 3, 6, 1, 3]
    assert competition_ranks([D("90.00"), D(90), D("89.99")]) == [1, 1, 3]
    assert competition_ranks([]) == []
    # Only totals that exist are ranked: the others are 未完成, and take no place from anyone.
    assert competition_ranks([D(90), None, D(95), None]) == [2, None, 1, None]


def test_three_way_tie_in_the_table():
    spec = {"甲县": {0: ["5"]}, "乙县": {1: ["5"]}, "丙县": {2: ["2", "3"]}, "丁县": {}, "戊县": {0: ["6"]}}
    table = campaign_scores(build_campaign(spec)["campaign"])

    # 95 ×3 share rank 2 and the next rank is 5; within the tie by name (丙 < 乙 < 甲 by code point).
    assert [(r.unit_name, r.total, r.rank) for r in table.rows] == [
        ("丁县", D(100), 1),
        ("丙县", D(95), 2),
        ("乙县", D(95), 2),
        ("甲县", D(95), 2),
        ("戊县", D(94), 5),
    ]


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "好"),
        ("90", "好"),
        ("90.00", "好"),
        ("89.99", "较好"),
        ("80", "较好"),
        ("79.99", "一般"),
        ("60", "一般"),
        ("59.99", "差"),
        ("0", "差"),
        ("103", "好"),  # bonuses may take a total above full marks
    ],
)
def test_grade_bands_at_the_exact_thresholds_on_a_100_point_checklist(total, grade):
    bands = GradeBands.of(
        Campaign(grade_good_min=D(90), grade_fairly_good_min=D(80), grade_average_min=D(60))
    )
    assert grade_of(bands, D(total), D(100)).label == grade
    assert grade_of(bands, None, D(100)) is None  # no total, no grade


@pytest.mark.parametrize(
    ("total", "percent", "grade"),
    [
        ("40", "100.00", "好"),
        ("36", "90.00", "好"),  # 36 of 40 is 90%
        ("35.99", "89.97", "较好"),  # 89.975%: shown truncated, never rounded up to a band it missed
        ("32", "80.00", "较好"),
        ("31.99", "79.97", "一般"),
        ("24", "60.00", "一般"),
        ("23.99", "59.97", "差"),
    ],
)
def test_other_full_totals_are_graded_on_the_percentage(total, percent, grade):
    bands = GradeBands(good=D(90), fairly_good=D(80), average=D(60))
    assert grade_of(bands, D(total), D(40)).label == grade
    assert percent_of(D(total), D(40)) == D(percent)


def test_a_40_point_checklist_in_the_table():
    items = [("党建工作", "30"), ("老干部工作", "10")]
    spec = {"甲县": {0: ["4"]}, "乙县": {0: ["4"], 1: ["0.01"]}, "丙县": {1: ["10"], 0: ["6"]}}
    table = campaign_scores(build_campaign(spec, items)["campaign"])

    rows = by_county(table)
    assert table.full_total == D(40)
    assert (rows["甲县"].total, rows["甲县"].percent, rows["甲县"].grade) == (D(36), D(90), GOOD)
    assert (rows["乙县"].total, rows["乙县"].percent, rows["乙县"].grade) == (
        D("35.99"),
        D("89.97"),
        FAIRLY_GOOD,
    )
    assert (rows["丙县"].total, rows["丙县"].percent, rows["丙县"].grade) == (D(24), D(60), AVERAGE)


def test_the_campaigns_own_thresholds_are_used():
    data = build_campaign(grade_good_min=D(95), grade_fairly_good_min=D("93.5"), grade_average_min=D(85))
    rows = by_county(campaign_scores(data["campaign"]))

    assert rows["红河县"].grade == GOOD
    assert rows["青山县"].grade == FAIRLY_GOOD  # 93.5: exactly the 较好 threshold
    assert rows["石门县"].grade == AVERAGE
    assert rows["黄土县"].grade == POOR


def test_a_bonus_counts_only_while_the_campaign_allows_bonuses(scored):
    target, items = scored["targets"]["高山县"], scored["items"]
    assess(target, items[0], bonus=D("2"))  # on an item at zero
    assess(target, items[1], bonus=D("0.5"))
    campaign = scored["campaign"]

    row = by_county(campaign_scores(campaign))["高山县"]
    assert (row.scores, row.bonus, row.total) == ([D(0), D(35), D(25)], D(0), D(60))

    campaign.bonus_enabled, campaign.bonus_cap = True, D(5)
    campaign.save()
    table = campaign_scores(campaign)
    row = by_county(table)["高山县"]
    # Item 1: max(40 − 40, 0) + 2 = 2; item 2: 35 + 0.5 (full marks plus the bonus).
    assert (row.scores, row.bonus, row.total) == ([D(2), D("35.5"), D(25)], D("2.5"), D("62.5"))
    assert table.bonus_enabled
    assert by_county(table)["白云县"].bonus == D(0)


def test_a_bonus_can_lift_a_total_above_full_marks_and_change_the_ranking(scored):
    campaign = scored["campaign"]
    campaign.bonus_enabled, campaign.bonus_cap = True, D(10)
    campaign.save()
    assess(scored["targets"]["青山县"], scored["items"][0], bonus=D(7))

    table = campaign_scores(campaign)
    assert [(r.unit_name, r.total, r.rank) for r in table.rows[:3]] == [
        ("青山县", D("100.5"), 1),
        ("红河县", D(100), 2),
        ("绿水县", D("93.5"), 3),
    ]
    assert table.rows[0].percent == D("100.5") and table.rows[0].grade == GOOD


def test_deductions_over_full_marks_floor_each_item_not_the_total(scored):
    rows = by_county(campaign_scores(scored["campaign"]))
    # 白云县 lost 50 on a 35-point item: that item counts 0, the other items keep their points.
    assert rows["白云县"].scores[1] == D(0)
    assert rows["白云县"].total == D(55)


def test_status_shows_which_targets_are_finalized(scored):
    Target.objects.filter(pk=scored["targets"]["红河县"].pk).update(status=Target.Status.FINALIZED)
    table = campaign_scores(scored["campaign"])

    row = by_county(table)["红河县"]
    assert (row.status, row.status_label, row.is_finalized) == ("finalized", "已定稿", True)
    assert table.finalized_count == 1


def test_other_campaigns_do_not_leak_in(scored):
    other = build_campaign({"红河县": {0: ["40"]}, "新县": {}}, title="2022年度党建工作年终考核", year=2022)
    table = campaign_scores(scored["campaign"])

    assert len(table.rows) == len(SPEC)
    assert by_county(table)["红河县"].total == D(100)
    assert by_county(campaign_scores(other["campaign"]))["红河县"].total == D(60)


def test_an_empty_campaign():
    table = campaign_scores(CampaignFactory())

    assert (table.items, table.rows, table.item_stats, table.full_total) == ([], [], [], D(0))
    assert (table.total_stats.average, table.total_stats.minimum, table.total_stats.maximum) == (None,) * 3
    assert table.grade_counts == {GOOD: 0, FAIRLY_GOOD: 0, AVERAGE: 0, POOR: 0}
    assert table.finalized_count == 0


def test_targets_without_a_checklist_have_nothing_to_grade():
    data = build_campaign({"甲县": {}, "乙县": {}}, items=[])
    table = campaign_scores(data["campaign"])

    # Nothing to score is not a score: no total, no rank, no grade.
    assert [(r.total, r.percent, r.grade, r.rank, r.scores, r.total_text) for r in table.rows] == [
        (None, None, None, None, [], "未评分"),
        (None, None, None, None, [], "未评分"),
    ]
    assert table.full_total == D(0)
    assert table.total_stats.average is None


def test_a_checklist_without_targets():
    table = campaign_scores(build_campaign({})["campaign"])

    assert table.rows == []
    assert [s.average for s in table.item_stats] == [None, None, None]
    assert table.full_total == D(100)


# --- queries ---------------------------------------------------------------------------


def bulk_campaign(targets: int, *, items: int = 4, per_item: int = 3, title: str) -> Campaign:
    """A campaign of ``targets`` counties × ``items`` items, ``per_item`` deductions and a problem per cell."""
    campaign = CampaignFactory(title=title, bonus_enabled=True, bonus_cap=D(10))
    user = UserFactory()
    root = city(f"{title}市")
    group = GroupFactory(campaign=campaign)
    item_objs = [
        ChecklistItemFactory(campaign=campaign, order=i + 1, title=f"项目{i + 1}", full_score=D(25))
        for i in range(items)
    ]
    units = Unit.objects.bulk_create(
        Unit(name=f"{title}县{n}", kind=Unit.Kind.COUNTY, parent=root, ancestry=root.descendant_prefix)
        for n in range(targets)
    )
    target_objs = Target.objects.bulk_create(Target(campaign=campaign, group=group, unit=u) for u in units)
    Deduction.objects.bulk_create(
        Deduction(target=t, item=i, points=D("0.5") * (k + 1), reason="未落实", created_by=user)
        for t in target_objs
        for i in item_objs
        for k in range(per_item)
    )
    ItemAssessment.objects.bulk_create(
        ItemAssessment(
            target=t, item=i, bonus=D(1) if i == item_objs[0] else 0, score_decided_at=timezone.now()
        )
        for t in target_objs
        for i in item_objs
    )
    Problem.objects.bulk_create(
        Problem(target=t, item=i, text="问题", created_by=user) for t in target_objs for i in item_objs
    )
    TypicalExample.objects.bulk_create(TypicalExample(target=t, title="典型") for t in target_objs)
    return campaign


def count_queries(function, *args) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = function(*args)
    return len(captured.captured_queries), result


def test_query_count_does_not_grow_with_the_campaign():
    small = bulk_campaign(8, title="小")
    large = bulk_campaign(80, title="大")

    small_count, small_table = count_queries(campaign_scores, small)
    large_count, large_table = count_queries(campaign_scores, large)

    assert small_count == large_count <= 6
    assert len(small_table.rows) == 8 and len(large_table.rows) == 80
    # 25 − (0.5 + 1 + 1.5) = 22 per item, + 1 bonus on the first: 4 × 22 + 1 = 89 for every county.
    assert {r.total for r in large_table.rows} == {D(89)}
    assert {r.rank for r in large_table.rows} == {1}


def test_several_campaigns_read_together_give_each_its_own_table():
    small, large = bulk_campaign(8, title="小"), bulk_campaign(80, title="大")
    count, (small_table, large_table) = count_queries(score_tables, [small, large])
    assert count <= 4
    for together, alone in ((small_table, campaign_scores(small)), (large_table, campaign_scores(large))):
        assert together.campaign == alone.campaign
        assert [(r.unit_name, r.scores, r.total, r.rank, r.grade) for r in together.rows] == [
            (r.unit_name, r.scores, r.total, r.rank, r.grade) for r in alone.rows
        ]
        assert together.item_stats == alone.item_stats and together.grade_counts == alone.grade_counts
    assert len(small_table.rows) == 8 and len(large_table.rows) == 80


def test_reading_rows_afterwards_makes_no_queries(scored):
    table = campaign_scores(scored["campaign"])
    with CaptureQueriesContext(connection) as captured:
        for row in table.rows:
            _ = (row.target.unit.name, row.target.group.name, row.target.get_absolute_url(), row.unit_name)
        _ = [item.title for item in table.items]
    assert captured.captured_queries == []


def test_sums_of_many_small_deductions_are_exact():
    # 0.1 + 0.2 and friends are not exact in binary floating point (SQLite sums decimals as
    # floats); the score must still be exactly full marks minus the sum, to the hundredth.
    spec = {"青山县": {0: ["0.1", "0.2", "0.33", "0.01"] * 25}, "绿水县": {1: ["0.07"] * 3}}
    built = build_campaign(spec)
    rows = by_county(campaign_scores(built["campaign"]))
    assert rows["青山县"].scores[0] == D("40") - D("16")  # 25 × 0.64
    assert rows["青山县"].total == D("84")
    assert rows["绿水县"].scores[1] == D("34.79")
    assert str(rows["绿水县"].total) == "99.79"


# --- unknown is not full marks ------------------------------------------------------------


@pytest.fixture
def partly_decided() -> dict:
    """青山县 complete (93.5), 绿水县 with item 3 undecided, 红河县 untouched (nothing recorded or
    decided), 白云县 with deductions but nothing decided."""
    spec = {"青山县": {0: ["3", "1.5"], 2: ["2"]}, "绿水县": {0: ["6.5"]}, "红河县": {}, "白云县": {1: ["5"]}}
    built = build_campaign(spec, decided=False)
    t, items, now = built["targets"], built["items"], timezone.now()
    for item in items:
        assess(t["青山县"], item, score_decided_at=now)
    for item in items[:2]:
        assess(t["绿水县"], item, score_decided_at=now)
    return built


def test_an_undecided_item_has_no_score_and_its_target_no_total_rank_or_grade(partly_decided):
    rows = by_county(campaign_scores(partly_decided["campaign"]))

    assert (rows["青山县"].scores, rows["青山县"].total, rows["青山县"].rank) == (
        [D("35.5"), D(35), D(23)],
        D("93.5"),
        1,
    )
    assert (rows["青山县"].grade, rows["青山县"].percent, rows["青山县"].total_text) == (
        GOOD,
        D("93.5"),
        "93.5分",
    )
    lv = rows["绿水县"]
    assert lv.scores == [D("33.5"), D(35), None]
    assert (lv.total, lv.rank, lv.grade, lv.percent, lv.complete) == (None, None, None, None, False)
    assert (lv.provisional, lv.undecided, lv.total_text) == (D("68.5"), 1, "暂计 68.5 分（1 项未评分）")
    # Untouched: not 100, not 0, and no provisional sum of nothing.
    hh = rows["红河县"]
    assert (hh.scores, hh.total, hh.provisional, hh.rank, hh.total_text) == (
        [None] * 3,
        None,
        None,
        None,
        "未评分",
    )
    # Deductions recorded but nothing decided: still no score.
    assert rows["白云县"].scores == [None] * 3 and rows["白云县"].total_text == "未评分"


def test_complete_targets_come_first_by_rank_then_the_others_by_name(partly_decided):
    table = campaign_scores(partly_decided["campaign"])

    assert [(r.unit_name, r.rank) for r in table.rows] == [
        ("青山县", 1),
        ("白云县", None),
        ("红河县", None),
        ("绿水县", None),
    ]
    assert (table.complete_count, table.incomplete_count) == (1, 3)
    assert table.grade_counts == {GOOD: 1, FAIRLY_GOOD: 0, AVERAGE: 0, POOR: 0}


def test_statistics_count_decided_scores_and_complete_totals_only(partly_decided):
    table = campaign_scores(partly_decided["campaign"])

    first, second, third = table.item_stats
    # Item 1 decided for 青山县 (35.5) and 绿水县 (33.5); 红河县's untouched 40 does not count.
    assert (first.average, first.minimum, first.maximum, first.count, first.of) == (
        D("34.50"),
        D("33.50"),
        D("35.50"),
        2,
        4,
    )
    assert first.partial and (second.average, second.count) == (D("35.00"), 2)
    assert (third.average, third.minimum, third.maximum, third.count) == (
        D("23.00"),
        D("23.00"),
        D("23.00"),
        1,
    )
    total = table.total_stats
    assert (total.average, total.minimum, total.maximum, total.count, total.of) == (
        D("93.50"),
        D("93.50"),
        D("93.50"),
        1,
        4,
    )


def test_withdrawing_a_decision_takes_the_target_out_of_the_ranking(scored):
    assess(scored["targets"]["红河县"], scored["items"][0], score_decided_at=None)
    table = campaign_scores(scored["campaign"])

    assert [r.unit_name for r in table.rows][-1] == "红河县" and table.rows[-1].rank is None
    # 青山县 and 绿水县 (93.5) now share first place; nobody is ranked behind an unknown total.
    assert [(r.unit_name, r.rank) for r in table.rows[:3]] == [("绿水县", 1), ("青山县", 1), ("石门县", 3)]
