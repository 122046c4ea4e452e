"""The sample of a target in the database: plans, saved draws, the redraw lock, hand-picked units."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Deduction, Problem, SampleDraw, SampledUnit, SamplingPlan, Stratum
from assessment.services.sampling import (
    DEFAULT_COUNTS,
    current_draw,
    effective_plan,
    sample_add_manual,
    sample_draw,
    sample_is_locked,
    sample_remove_manual,
    sampling_plan_set,
    sampling_sentence,
)
from tests.factories import (
    AdminFactory,
    ChecklistItemFactory,
    GroupFactory,
    UnitFactory,
    UserFactory,
    add_target,
    city,
    county,
)
from units.models import Unit

Kind = Unit.Kind

pytestmark = pytest.mark.django_db


def build_county(
    parent: Unit,
    name: str = "青山县",
    *,
    organs: int = 8,
    institutions: int = 4,
    townships: int = 5,
    villages: int = 4,
    stations: int = 2,
) -> Unit:
    """A county with numbered units of every sampled kind (names repeat across townships)."""
    top = county(parent, name)
    for i in range(organs):
        UnitFactory(name=f"县直机关{i + 1}", kind=Kind.COUNTY_ORGAN, parent=top)
    for i in range(institutions):
        UnitFactory(name=f"县直事业{i + 1}", kind=Kind.COUNTY_INSTITUTION, parent=top)
    for t in range(townships):
        town = UnitFactory(name=f"第{t + 1}镇", kind=Kind.TOWNSHIP, parent=top)
        for v in range(villages):
            UnitFactory(name=f"第{v + 1}村", kind=Kind.VILLAGE, parent=town)
        for s in range(stations):
            UnitFactory(name=f"第{s + 1}站", kind=Kind.TOWNSHIP_STATION, parent=town)
    return top


@pytest.fixture
def drawer(db):
    return UserFactory(username="chouqu", name="抽取人")


@pytest.fixture
def admin(db):
    return AdminFactory(username="guanli2", name="管理员乙")


@pytest.fixture
def setup(db) -> dict:
    c = city()
    qs = build_county(c, "青山县")
    group = GroupFactory()
    return {"city": c, "county": qs, "group": group, "target": add_target(group, qs)}


def add_deduction(target, unit, user) -> Deduction:
    item = ChecklistItemFactory(campaign=target.campaign)
    return Deduction.objects.create(
        target=target, item=item, unit=unit, points=Decimal("1"), reason="台账缺失", created_by=user
    )


def add_problem(target, unit, user) -> Problem:
    item = ChecklistItemFactory(campaign=target.campaign)
    return Problem.objects.create(
        target=target, item=item, unit=unit, text="三会一课记录不全", created_by=user
    )


def names(draw: SampleDraw) -> list[tuple[str, str, str | None]]:
    return [
        (s.stratum, s.unit.name, s.township.name if s.township else None)
        for s in draw.units.select_related("unit", "township").order_by("position")
    ]


# --- plans -----------------------------------------------------------------------------


def test_plan_defaults_then_campaign_default_then_override(setup, drawer):
    target = setup["target"]
    campaign = target.campaign
    assert (
        effective_plan(target)
        == DEFAULT_COUNTS
        == {
            "county_organs": 6,
            "county_institutions": 3,
            "townships": 4,
            "villages_per_township": 3,
            "stations_per_township": 1,
        }
    )
    sampling_plan_set(campaign=campaign, counts={"county_organs": 2, "townships": 1}, user=drawer)
    assert effective_plan(target) == {**DEFAULT_COUNTS, "county_organs": 2, "townships": 1}
    override = sampling_plan_set(
        campaign=campaign, target=target, counts={"villages_per_township": 5}, user=drawer
    )
    # A new override starts from the campaign's default.
    assert effective_plan(target) == {
        **DEFAULT_COUNTS,
        "county_organs": 2,
        "townships": 1,
        "villages_per_township": 5,
    }
    # Another target of the campaign still follows the default.
    other = add_target(setup["group"], build_county(setup["city"], "绿水县", organs=1))
    assert effective_plan(other)["villages_per_township"] == 3
    # Setting again updates the same rows.
    sampling_plan_set(campaign=campaign, target=target, counts={"townships": 0}, user=drawer)
    sampling_plan_set(campaign=campaign, counts={"county_organs": 4}, user=drawer)
    assert SamplingPlan.objects.filter(campaign=campaign).count() == 2
    override.refresh_from_db()
    assert override.townships == 0
    assert effective_plan(target)["county_organs"] == 2  # the override keeps its own value
    assert effective_plan(other)["county_organs"] == 4


@pytest.mark.parametrize(
    "counts",
    [
        {"county_organs": 201},
        {"county_organs": -1},
        {"county_organs": "3"},
        {"county_organs": True},
        {"county_organs": 2.0},
        {"schools": 1},
    ],
)
def test_plan_counts_are_validated(setup, drawer, counts):
    with pytest.raises(ValidationError) as exc:
        sampling_plan_set(campaign=setup["target"].campaign, counts=counts, user=drawer)
    assert exc.value.messages
    assert not SamplingPlan.objects.exists()


def test_plan_limits_are_allowed(setup, drawer):
    plan = sampling_plan_set(
        campaign=setup["target"].campaign, counts={"county_organs": 200, "townships": 0}, user=drawer
    )
    assert (plan.county_organs, plan.townships) == (200, 0)


def test_plan_override_for_a_target_of_another_campaign_is_refused(setup, drawer):
    other_group = GroupFactory()
    with pytest.raises(ValidationError, match="不属于"):
        sampling_plan_set(campaign=other_group.campaign, target=setup["target"], counts={}, user=drawer)


# --- drawing -----------------------------------------------------------------------------


def test_draw_is_saved_in_draw_order(setup, drawer):
    target = setup["target"]
    result = sample_draw(target=target, seed=42, user=drawer)
    draw = result.draw
    assert draw is not None and not result.dry_run
    assert current_draw(target) == draw
    assert (draw.seed, draw.drawn_by, draw.reason, draw.shortfalls) == (42, drawer, "", [])
    assert draw.plan == DEFAULT_COUNTS
    rows = names(draw)
    assert [s for s, _n, _t in rows] == (
        ["county_organ"] * 6
        + ["county_institution"] * 3
        + ["township"] * 4
        + ["village"] * 12
        + ["township_station"] * 4
    )
    assert [s.position for s in draw.units.order_by("position")] == list(range(29))
    expected = [(p.stratum, p.name, p.township.name if p.township else None) for p in result.outcome.picks()]
    assert rows == expected
    towns = [n for s, n, _t in rows if s == "township"]
    assert {t for s, _n, t in rows if s == "village"} == set(towns)
    assert sampling_sentence(draw) == (
        "考核组抽查了6个县直机关单位、3个县直事业单位、4个乡镇，每个乡镇抽查3个村、1个机关事业单位。"
    )
    assert result.sentence() == sampling_sentence(draw)


def test_the_same_seed_over_the_same_roster_gives_the_same_sample(setup, drawer):
    target = setup["target"]
    first = names(sample_draw(target=target, seed=7, user=drawer).draw)
    second = names(sample_draw(target=target, seed=7, user=drawer).draw)
    other = names(sample_draw(target=target, seed=8, user=drawer).draw)
    assert first == second
    assert first != other
    assert SampleDraw.objects.filter(target=target).count() == 3
    assert current_draw(target).seed == 8


def test_draw_is_independent_of_database_ids(drawer):
    """Two rosters with the same names, created in opposite orders, give the same draw."""
    c = city()
    group = GroupFactory()
    forward = county(c, "青山县")
    names_ = [f"单位{i}" for i in range(20)]
    for n in names_:
        UnitFactory(name=n, kind=Kind.COUNTY_ORGAN, parent=forward)
    target = add_target(group, forward)
    first = [
        p.name for p in sample_draw(target=target, seed=3, user=drawer, dry_run=True).outcome.county_organs
    ]
    # Same county name under another city, units inserted in reverse.
    c2 = city("云水市")
    backward = county(c2, "青山县")
    for n in reversed(names_):
        UnitFactory(name=n, kind=Kind.COUNTY_ORGAN, parent=backward)
    target2 = add_target(GroupFactory(), backward)
    second = [
        p.name for p in sample_draw(target=target2, seed=3, user=drawer, dry_run=True).outcome.county_organs
    ]
    assert first == second and len(first) == 6


def test_candidates_are_active_units_of_the_right_kinds_in_the_county(drawer):
    c = city()
    top = county(c, "青山县")
    UnitFactory(name="县委办公室", kind=Kind.COUNTY_ORGAN, parent=top)
    UnitFactory(name="已撤销局", kind=Kind.COUNTY_ORGAN, parent=top, is_active=False)
    UnitFactory(name="县一中", kind=Kind.SCHOOL, parent=top)
    town = UnitFactory(name="城关镇", kind=Kind.TOWNSHIP, parent=top)
    UnitFactory(name="新村", kind=Kind.VILLAGE, parent=town)
    UnitFactory(name="旧村", kind=Kind.VILLAGE, parent=town, is_active=False)
    UnitFactory(name="镇卫生院", kind=Kind.HOSPITAL, parent=town)
    UnitFactory(name="撤并乡", kind=Kind.TOWNSHIP, parent=top, is_active=False)
    neighbour = county(c, "绿水县")
    UnitFactory(name="绿水县委办公室", kind=Kind.COUNTY_ORGAN, parent=neighbour)
    target = add_target(GroupFactory(), top)
    result = sample_draw(target=target, seed=1, user=drawer)
    assert names(result.draw) == [
        ("county_organ", "县委办公室", None),
        ("township", "城关镇", None),
        ("village", "新村", "城关镇"),
    ]
    assert result.shortfalls == [
        {"stratum": "county_organ", "township": None, "asked": 6, "available": 1},
        {"stratum": "county_institution", "township": None, "asked": 3, "available": 0},
        {"stratum": "township", "township": None, "asked": 4, "available": 1},
        {"stratum": "village", "township": "城关镇", "asked": 3, "available": 1},
        {"stratum": "township_station", "township": "城关镇", "asked": 1, "available": 0},
    ]
    assert result.draw.shortfalls == result.shortfalls
    assert result.shortfall_messages()[3] == "城关镇只有1个村（社区），已全部抽取（方案为3个）"
    assert sampling_sentence(result.draw) == "考核组抽查了1个县直机关单位、1个乡镇，每个乡镇抽查1个村。"


def test_the_draw_uses_the_effective_plan(setup, drawer):
    target = setup["target"]
    sampling_plan_set(campaign=target.campaign, counts={"county_organs": 1}, user=drawer)
    sampling_plan_set(
        campaign=target.campaign,
        target=target,
        counts={
            "county_institutions": 0,
            "townships": 2,
            "villages_per_township": 1,
            "stations_per_township": 0,
        },
        user=drawer,
    )
    draw = sample_draw(target=target, seed=5, user=drawer).draw
    assert draw.plan == {
        "county_organs": 1,
        "county_institutions": 0,
        "townships": 2,
        "villages_per_township": 1,
        "stations_per_township": 0,
    }
    assert [s for s, _n, _t in names(draw)] == ["county_organ", "township", "township", "village", "village"]
    assert sampling_sentence(draw) == "考核组抽查了1个县直机关单位、2个乡镇，每个乡镇抽查1个村。"


def test_a_draw_takes_the_same_number_of_queries_for_any_county_size(drawer):
    c = city()
    small = add_target(
        GroupFactory(), build_county(c, "小县", organs=2, institutions=1, townships=1, villages=1)
    )
    large = add_target(
        GroupFactory(),
        build_county(c, "大县", organs=40, institutions=20, townships=15, villages=12, stations=4),
    )
    counts = []
    for target in (small, large):
        for dry_run in (True, False):
            with CaptureQueriesContext(connection) as ctx:
                sample_draw(target=target, seed=11, user=drawer, dry_run=dry_run)
            counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[2]  # dry runs
    assert counts[1] == counts[3]  # saved draws
    assert counts[1] <= 12
    # A redraw (previous sample read and checked) is fixed too.
    redraws = []
    for target in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            sample_draw(target=target, seed=12, user=drawer)
        redraws.append(len(ctx.captured_queries))
    assert redraws[0] == redraws[1]


def test_dry_run_saves_nothing_and_matches_the_real_draw(setup, drawer):
    target = setup["target"]
    preview = sample_draw(target=target, seed=9, user=None, dry_run=True)
    assert preview.dry_run and preview.draw is None
    assert not SampleDraw.objects.exists() and not SampledUnit.objects.exists()
    real = sample_draw(target=target, seed=9, user=drawer)
    assert preview.names_by_stratum() == real.names_by_stratum()


def test_names_by_stratum(setup, drawer):
    result = sample_draw(target=setup["target"], seed=9, user=drawer)
    listing = result.names_by_stratum()
    assert list(listing) == ["县直机关单位", "县直事业单位", "乡镇（街道）", "村（社区）", "乡镇机关事业单位"]
    assert all("/" in n for n in listing["村（社区）"] + listing["乡镇机关事业单位"])
    assert [n.split("/")[0] for n in listing["村（社区）"]][::3] == listing["乡镇（街道）"]


@pytest.mark.parametrize("seed", [-1, 2**63, "5", True])
def test_bad_seeds_are_refused(setup, drawer, seed):
    with pytest.raises(ValidationError, match="随机种子"):
        sample_draw(target=setup["target"], seed=seed, user=drawer)


# --- the redraw lock -------------------------------------------------------------------------


@pytest.mark.parametrize("finding", [add_deduction, add_problem])
def test_a_finding_at_a_sampled_unit_locks_the_sample(setup, drawer, admin, finding):
    target = setup["target"]
    draw = sample_draw(target=target, seed=1, user=drawer).draw
    assert not sample_is_locked(target)
    sampled = draw.units.filter(stratum=Stratum.VILLAGE).first()
    finding(target, sampled.unit, drawer)
    assert sample_is_locked(target)

    with pytest.raises(ValidationError) as exc:
        sample_draw(target=target, seed=2, user=drawer, reason="重新抽")
    assert exc.value.messages == ["已有考核记录引用了抽查单位，只有系统管理员可以重新抽取，并须说明原因。"]
    with pytest.raises(ValidationError):
        sample_draw(target=target, seed=2, user=admin)  # no reason
    with pytest.raises(ValidationError):
        sample_draw(target=target, seed=2, user=admin, reason="   ")
    assert current_draw(target) == draw

    # A preview is always allowed.
    assert sample_draw(target=target, seed=2, user=drawer, dry_run=True).draw is None
    assert current_draw(target) == draw

    result = sample_draw(target=target, seed=2, user=admin, reason="  名册有误，经研究重新抽取  ")
    assert result.was_locked
    new = current_draw(target)
    assert new == result.draw != draw
    assert (new.reason, new.drawn_by, new.seed) == ("名册有误，经研究重新抽取", admin, 2)
    # The old draw stays as the record.
    assert SampleDraw.objects.filter(target=target).count() == 2
    assert draw.units.count() == 29


def test_findings_elsewhere_do_not_lock(setup, drawer):
    target = setup["target"]
    draw = sample_draw(target=target, seed=1, user=drawer).draw
    drawn = set(draw.units.values_list("unit_id", flat=True))
    not_drawn = Unit.objects.filter(ancestry__startswith=setup["county"].descendant_prefix).exclude(
        pk__in=drawn
    )[0]
    add_deduction(target, not_drawn, drawer)
    add_problem(target, None, drawer)
    add_deduction(target, setup["county"], drawer)
    # A finding of another target at the same unit does not lock this target.
    other_target = add_target(GroupFactory(), build_county(setup["city"], "绿水县", organs=1))
    add_deduction(other_target, draw.units.first().unit, drawer)
    assert not sample_is_locked(target)
    assert sample_draw(target=target, seed=2, user=drawer).draw.seed == 2


def test_only_the_current_draw_counts_for_the_lock(setup, drawer):
    target = setup["target"]
    old = sample_draw(target=target, seed=1, user=drawer).draw
    new = sample_draw(target=target, seed=2, user=drawer).draw
    only_old = old.units.exclude(unit__in=new.units.values("unit")).first()
    add_deduction(target, only_old.unit, drawer)
    assert not sample_is_locked(target)


# --- hand-picked units ---------------------------------------------------------------------------


def _undrawn(setup, draw, kind=Kind.VILLAGE) -> Unit:
    drawn = draw.units.values("unit_id")
    return Unit.objects.filter(ancestry__startswith=setup["county"].descendant_prefix, kind=kind).exclude(
        pk__in=drawn
    )[0]


def test_a_unit_is_added_by_hand_with_a_reason(setup, drawer):
    target = setup["target"]
    draw = sample_draw(target=target, seed=1, user=drawer).draw
    unit = _undrawn(setup, draw)
    added = sample_add_manual(target=target, unit=unit, reason="  群众来信反映问题  ", user=drawer)
    assert (added.draw, added.stratum, added.reason, added.added_by, added.position) == (
        draw,
        Stratum.MANUAL,
        "群众来信反映问题",
        drawer,
        29,
    )
    assert added.is_manual
    assert sampling_sentence(draw).endswith("每个乡镇抽查3个村、1个机关事业单位，另专项抽查了1个单位。")


def test_adding_by_hand_is_checked(setup, drawer):
    target = setup["target"]
    village = Unit.objects.filter(kind=Kind.VILLAGE).first()
    with pytest.raises(ValidationError, match="请先抽取样本"):
        sample_add_manual(target=target, unit=village, reason="线索", user=drawer)
    draw = sample_draw(target=target, seed=1, user=drawer).draw
    with pytest.raises(ValidationError, match="原因"):
        sample_add_manual(target=target, unit=_undrawn(setup, draw), reason=" ", user=drawer)
    with pytest.raises(ValidationError, match="已在本次抽查名单中"):
        sample_add_manual(target=target, unit=draw.units.first().unit, reason="线索", user=drawer)
    elsewhere = build_county(setup["city"], "绿水县", organs=1, townships=0)
    with pytest.raises(ValidationError, match="不是青山县的下属单位"):
        sample_add_manual(target=target, unit=elsewhere.children.first(), reason="线索", user=drawer)
    with pytest.raises(ValidationError, match="不是青山县的下属单位"):
        sample_add_manual(target=target, unit=setup["county"], reason="线索", user=drawer)
    closed = UnitFactory(name="已撤销局", kind=Kind.COUNTY_ORGAN, parent=setup["county"], is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        sample_add_manual(target=target, unit=closed, reason="线索", user=drawer)
    assert not draw.units.filter(stratum=Stratum.MANUAL).exists()


def test_any_kind_of_unit_in_the_county_may_be_added(setup, drawer):
    target = setup["target"]
    sample_draw(target=target, seed=1, user=drawer)
    town = Unit.objects.get(parent=setup["county"], name="第1镇")
    clinic = UnitFactory(name="镇卫生院", kind=Kind.HOSPITAL, parent=town)
    added = sample_add_manual(target=target, unit=clinic, reason="专项检查", user=drawer)
    assert added.unit == clinic


def test_hand_picked_units_are_carried_over_to_a_redraw(setup, drawer, admin):
    target = setup["target"]
    first = sample_draw(target=target, seed=1, user=drawer).draw
    kept = _undrawn(setup, first, Kind.COUNTY_ORGAN)
    closed = _undrawn(setup, first, Kind.TOWNSHIP_STATION)
    sample_add_manual(target=target, unit=kept, reason="巡察移交线索", user=admin)
    sample_add_manual(target=target, unit=closed, reason="信访件", user=drawer)
    closed.is_active = False
    closed.save()

    result = sample_draw(target=target, seed=1, user=drawer)
    second = result.draw
    manual = list(second.units.filter(stratum=Stratum.MANUAL))
    drawn_again = second.units.filter(unit=kept).exclude(stratum=Stratum.MANUAL).exists()
    assert not drawn_again  # same seed, same roster: kept was not drawn at random this time either
    assert [(s.unit, s.reason, s.added_by, s.position) for s in manual] == [(kept, "巡察移交线索", admin, 29)]
    assert [s.unit for s in result.manual_dropped] == [closed]
    assert result.names_by_stratum()["专项抽查"] == [kept.name]
    # The previous draw keeps its own rows.
    assert first.units.filter(stratum=Stratum.MANUAL).count() == 2
    assert result.sentence().endswith("另专项抽查了1个单位。")


def test_a_hand_picked_unit_drawn_at_random_is_listed_once(setup, drawer):
    target = setup["target"]
    first = sample_draw(target=target, seed=1, user=drawer).draw
    unit = _undrawn(setup, first, Kind.COUNTY_ORGAN)
    sample_add_manual(target=target, unit=unit, reason="线索", user=drawer)
    # Find a seed that draws the unit at random.
    seed = next(
        s
        for s in range(2, 500)
        if unit.name
        in [p.name for p in sample_draw(target=target, seed=s, user=None, dry_run=True).outcome.county_organs]
    )
    second = sample_draw(target=target, seed=seed, user=drawer).draw
    rows = list(second.units.filter(unit=unit))
    assert [r.stratum for r in rows] == [Stratum.COUNTY_ORGAN]


def test_a_manual_unit_with_a_finding_locks_the_sample(setup, drawer):
    target = setup["target"]
    draw = sample_draw(target=target, seed=1, user=drawer).draw
    unit = _undrawn(setup, draw)
    added = sample_add_manual(target=target, unit=unit, reason="线索", user=drawer)
    add_problem(target, unit, drawer)
    assert sample_is_locked(target)
    with pytest.raises(ValidationError, match="不能移除"):
        sample_remove_manual(sampled_unit=added, user=drawer)
    assert SampledUnit.objects.filter(pk=added.pk).exists()


def test_removing_a_hand_picked_unit(setup, drawer):
    target = setup["target"]
    draw = sample_draw(target=target, seed=1, user=drawer).draw
    with pytest.raises(ValidationError, match="随机抽取的单位不能移除"):
        sample_remove_manual(sampled_unit=draw.units.first(), user=drawer)
    added = sample_add_manual(target=target, unit=_undrawn(setup, draw), reason="线索", user=drawer)
    sample_remove_manual(sampled_unit=added, user=drawer)
    assert not SampledUnit.objects.filter(pk=added.pk).exists()
    # A hand-picked unit of an earlier draw is history.
    again = sample_add_manual(target=target, unit=_undrawn(setup, draw), reason="线索", user=drawer)
    sample_draw(target=target, seed=2, user=drawer)
    with pytest.raises(ValidationError, match="以前的抽查结果"):
        sample_remove_manual(sampled_unit=again, user=drawer)


def test_sentence_of_a_missing_or_empty_draw(setup, drawer):
    assert sampling_sentence(None) == ""
    target = setup["target"]
    sampling_plan_set(campaign=target.campaign, counts=dict.fromkeys(DEFAULT_COUNTS, 0), user=drawer)
    draw = sample_draw(target=target, seed=1, user=drawer).draw
    assert draw.units.count() == 0
    assert sampling_sentence(draw) == ""
    sample_add_manual(target=target, unit=_undrawn(setup, draw), reason="线索", user=drawer)
    assert sampling_sentence(draw) == "考核组专项抽查了1个单位。"


def test_a_closed_campaign_keeps_its_sample(db):
    from assessment.models import Campaign
    from assessment.services.sampling import sample_draw, sampling_plan_set
    from tests.factories import AdminFactory, GroupFactory, add_target, city, county

    group = GroupFactory()
    target = add_target(group, county(city("关闭市"), "关闭县"))
    admin = AdminFactory()
    sample_draw(target=target, seed=7, user=admin)
    Campaign.objects.filter(pk=group.campaign_id).update(status=Campaign.Status.CLOSED)
    with pytest.raises(ValidationError, match="考核工作已结束"):
        sample_draw(target=target, seed=8, user=admin)
    with pytest.raises(ValidationError, match="考核工作已结束"):
        sampling_plan_set(campaign=group.campaign, counts={"townships": 1}, user=admin)
    assert sample_draw(target=target, seed=8, user=admin, dry_run=True).draw is None  # a preview is fine
    assert target.draws.count() == 1
