"""Campaigns at every level: a city assessing its counties, a county assessing its townships and
organs (seed 001). Groups, sampling, the setup steps and the report work at both."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.domain import levels
from assessment.models import Campaign, SampledUnit, Stratum
from assessment.selectors.campaigns import unassigned_units
from assessment.selectors.setup import facts_of, with_setup_facts
from assessment.services.campaigns import campaign_create, campaign_update
from assessment.services.groups import group_save, target_choices
from assessment.services.sampling import sample_draw, sampling_plan_set, target_sentence
from reports.context import build_report
from tests.factories import (
    AdminFactory,
    UnitFactory,
    UserFactory,
    city,
    county,
    form_token,
    township,
    village,
)
from units.models import Unit

Kind = Unit.Kind


# --- the pure rules -----------------------------------------------------------------------


def test_a_city_assesses_counties_and_a_county_its_townships_and_organs():
    assert levels.default_target_kinds(Kind.CITY) == [Kind.COUNTY]
    assert levels.default_target_kinds(Kind.COUNTY) == [
        Kind.TOWNSHIP,
        Kind.COUNTY_ORGAN,
        Kind.COUNTY_INSTITUTION,
    ]
    assert levels.default_target_kinds(None) == [Kind.COUNTY]
    assert levels.kinds_refusal(Kind.COUNTY, [Kind.TOWNSHIP, Kind.COUNTY_ORGAN]) == ""
    assert levels.kinds_refusal(Kind.COUNTY, [Kind.COUNTY]) == (
        "县（区）部署的考核工作不能考核“县（区）”，可选：乡镇（街道）、县直机关单位、县直事业单位。"
    )
    assert levels.kinds_refusal(Kind.TOWNSHIP, [Kind.VILLAGE]).startswith("考核工作只能由市或县（区）部署")
    assert levels.kinds_refusal(Kind.CITY, []) == "请至少选择一类考核对象。"


def test_targets_are_named_the_way_the_level_names_them():
    assert levels.target_word([Kind.COUNTY]) == "县（区）"
    assert levels.target_word([Kind.TOWNSHIP, Kind.COUNTY_ORGAN, Kind.COUNTY_INSTITUTION]) == "乡镇（部门）"
    assert levels.target_word([Kind.TOWNSHIP]) == "乡镇"
    assert levels.target_word([Kind.COUNTY_ORGAN]) == "县直单位"


def test_the_plan_asks_only_for_what_the_targets_have():
    assert levels.plan_fields([Kind.COUNTY]) == list(levels.PLAN_FIELDS_OF_KIND[Kind.COUNTY])
    assert levels.plan_fields([Kind.TOWNSHIP, Kind.COUNTY_ORGAN]) == [
        "villages_per_township",
        "stations_per_township",
    ]
    assert levels.plan_fields([Kind.COUNTY_ORGAN]) == []
    assert levels.unsampled_sentence("青山县教育局") == "考核组直接对青山县教育局本级党建工作进行了检查。"
    assert levels.unsampled_sentence("青山县教育局", manual=2) == (
        "考核组直接对青山县教育局本级党建工作进行了检查，另专项抽查了2个下属单位。"
    )


# --- a county-level campaign ------------------------------------------------------------------


@pytest.fixture
def county_world(db):
    yunshan = city("云山市")
    qs, lv = county(yunshan, "青山县"), county(yunshan, "绿水县")
    chengguan = township(qs, "城关镇")
    for name in ("东门社区", "新村", "城郊村", "十里铺村"):
        village(chengguan, name)
    UnitFactory(name="城关镇农业服务中心", kind=Kind.TOWNSHIP_STATION, parent=chengguan)
    shiqiao = township(qs, "石桥乡")
    village(shiqiao, "石桥村")
    education = UnitFactory(name="青山县教育局", kind=Kind.COUNTY_ORGAN, parent=qs)
    UnitFactory(name="青山县第一中学", kind=Kind.SCHOOL, parent=education)
    admin = AdminFactory()
    campaign = campaign_create(title="2021年度青山县党建工作年终考核", year=2021, issuer_unit=qs)
    return {
        "campaign": campaign,
        "city": yunshan,
        "qingshan": qs,
        "lvshui": lv,
        "chengguan": chengguan,
        "shiqiao": shiqiao,
        "education": education,
        "foreign_town": township(lv, "城关镇"),
        "admin": admin,
        "leader": UserFactory(name="钱组长"),
    }


def save_group(world, targets, **overrides):
    fields = {
        "campaign": world["campaign"],
        "name": "县委第一考核组",
        "leader": world["leader"],
        "members": [],
        "targets": targets,
        "methods": ["document_check", "random_sampling"],
        "user": world["admin"],
    }
    return group_save(**{**fields, **overrides})


def test_a_county_campaign_assesses_the_townships_and_organs_below_it(county_world):
    w = county_world
    campaign = w["campaign"]
    assert campaign.issuer == "青山县委"
    assert campaign.target_kind_list == [Kind.TOWNSHIP, Kind.COUNTY_ORGAN, Kind.COUNTY_INSTITUTION]
    assert campaign.target_word == "乡镇（部门）"
    choices = [u.name for u in target_choices(campaign)]
    assert sorted(choices) == ["城关镇", "石桥乡", "青山县教育局"]  # not 绿水县's 城关镇, not a village

    group = save_group(w, [w["chengguan"], w["education"]])

    assert sorted(t.unit.name for t in group.targets.all()) == ["城关镇", "青山县教育局"]
    assert [u.name for u in unassigned_units(campaign)] == ["石桥乡"]


def test_a_unit_outside_the_issuer_or_of_another_kind_is_refused(county_world):
    w = county_world
    for unit in (w["foreign_town"], w["lvshui"], w["qingshan"]):
        with pytest.raises(ValidationError) as exc:
            save_group(w, [unit])
        assert exc.value.message_dict["targets"] == [
            f"“{unit.name}”不能作为考核对象：本次考核的对象是青山县所属的在用乡镇（部门）。"
        ]


def test_a_campaign_is_issued_only_by_a_city_or_county_and_for_kinds_below_it(county_world):
    w = county_world
    with pytest.raises(ValidationError) as exc:
        campaign_create(title="乡镇考核", year=2021, issuer_unit=w["chengguan"])
    assert "考核工作只能由市或县（区）部署" in exc.value.message_dict["issuer_unit"][0]
    with pytest.raises(ValidationError) as exc:
        campaign_create(title="县考核县", year=2021, issuer_unit=w["qingshan"], target_kinds=[Kind.COUNTY])
    assert exc.value.message_dict["target_kinds"] == [
        "县（区）部署的考核工作不能考核“县（区）”，可选：乡镇（街道）、县直机关单位、县直事业单位。"
    ]
    assert not Campaign.objects.filter(title__in=["乡镇考核", "县考核县"]).exists()
    only_towns = campaign_create(
        title="乡镇考核2", year=2021, issuer_unit=w["qingshan"], target_kinds=[Kind.TOWNSHIP]
    )
    assert only_towns.target_kinds == "township"
    assert [u.name for u in target_choices(only_towns)] == ["城关镇", "石桥乡"]


def test_the_level_is_fixed_once_a_target_is_assigned(county_world):
    w = county_world
    campaign = w["campaign"]
    campaign_update(campaign=campaign, user=w["admin"], target_kinds=[Kind.TOWNSHIP])
    assert Campaign.objects.get(pk=campaign.pk).target_kinds == "township"
    save_group(w, [w["chengguan"]])
    with pytest.raises(ValidationError) as exc:
        campaign_update(campaign=campaign, user=w["admin"], target_kinds=[Kind.TOWNSHIP, Kind.COUNTY_ORGAN])
    assert "已分配考核对象，不能再更改部署单位或考核对象类别" in exc.value.message_dict["target_kinds"][0]
    with pytest.raises(ValidationError):
        campaign_update(campaign=campaign, user=w["admin"], issuer_unit=w["city"])
    assert Campaign.objects.get(pk=campaign.pk).issuer_unit == w["qingshan"]


def test_the_setup_steps_count_each_campaigns_own_targets_in_one_query(county_world):
    w = county_world
    city_campaign = campaign_create(title="2021年度云山市党建工作年终考核", year=2021, issuer_unit=w["city"])
    legacy = campaign_create(title="旧考核", year=2020)  # no issuer unit: every county of the roster
    save_group(w, [w["education"]])

    with CaptureQueriesContext(connection) as queries:
        rows = {c.pk: facts_of(c) for c in with_setup_facts(Campaign.objects.all())}
    assert len(queries) == 1
    mine = rows[w["campaign"].pk]
    assert (mine.target_units, mine.unassigned_units, mine.targets_to_draw) == (
        3,
        2,
        0,
    )  # 教育局 is not drawn
    assert (rows[city_campaign.pk].target_units, rows[city_campaign.pk].unassigned_units) == (2, 2)
    assert rows[legacy.pk].target_units == 2


# --- sampling a township, checking an organ -------------------------------------------------------


def test_a_township_target_draws_its_own_villages_and_stations(county_world):
    w = county_world
    group = save_group(w, [w["chengguan"], w["shiqiao"], w["education"]])
    sampling_plan_set(
        campaign=w["campaign"],
        counts={"villages_per_township": 3, "stations_per_township": 1},
        user=w["admin"],
    )
    town = group.targets.get(unit=w["chengguan"])

    result = sample_draw(target=town, seed=20220115, user=w["admin"])

    rows = list(SampledUnit.objects.filter(draw=result.draw).select_related("unit"))
    assert [r.stratum for r in rows] == [Stratum.VILLAGE] * 3 + [Stratum.TOWNSHIP_STATION]
    assert all(r.township is None and r.unit.parent == w["chengguan"] for r in rows)
    assert target_sentence(town) == "考核组抽查了3个村、1个机关事业单位。"
    # The same seed over the same roster gives the same sample.
    again = sample_draw(target=town, seed=20220115, user=w["admin"], dry_run=True)
    assert [p.name for p in again.outcome.picks()] == [r.unit.name for r in rows]

    small = group.targets.get(unit=w["shiqiao"])
    short = sample_draw(target=small, seed=1, user=w["admin"])
    assert short.shortfall_messages() == [
        "石桥乡只有1个村（社区），已全部抽取（方案为3个）",
        "石桥乡没有乡镇机关事业单位，未能抽取（方案为1个）",
    ]


def test_a_county_organ_is_checked_itself_without_a_sample(county_world):
    w = county_world
    group = save_group(w, [w["education"]])
    organ = group.targets.get()

    with pytest.raises(ValidationError) as exc:
        sample_draw(target=organ, seed=1, user=w["admin"])
    assert exc.value.messages == [
        "青山县教育局是县直机关单位，不抽查下属单位，考核组直接检查其本级党建工作。"
    ]
    assert not organ.draws.exists()
    assert target_sentence(organ) == "考核组直接对青山县教育局本级党建工作进行了检查。"


def test_the_report_goes_to_the_township_and_says_what_was_checked(county_world):
    w = county_world
    group = save_group(w, [w["chengguan"], w["education"]])
    town, organ = group.targets.get(unit=w["chengguan"]), group.targets.get(unit=w["education"])
    sample_draw(target=town, seed=5, user=w["admin"])

    town_report = build_report(town)
    assert town_report.title == "关于城关镇2021年度党建工作年终考核情况的报告"
    assert town_report.blocks[1].text == (
        "按照青山县委统一部署，县委第一考核组由钱组长同志带队，赴城关镇开展2021年度党建工作年终考核。"
        "现将有关情况报告如下："
    )
    assert town_report.blocks[3].text.startswith("考核组抽查了3个村、1个机关事业单位。")
    organ_report = build_report(organ)
    assert organ_report.blocks[3].text.startswith("考核组直接对青山县教育局本级党建工作进行了检查。")


# --- the pages ------------------------------------------------------------------------------------


def test_the_administrator_creates_a_county_campaign_on_the_form(county_world, login):
    client = login(county_world["admin"])
    form = client.get(reverse("campaigns:create")).content.decode()
    assert "部署单位（名册）" in form and "考核对象类别" in form

    response = client.post(
        reverse("campaigns:create"),
        {
            "title": "2022年度青山县党建工作年终考核",
            "year": "2022",
            "issuer_unit": county_world["qingshan"].pk,
            "target_kinds": [Kind.TOWNSHIP, Kind.COUNTY_ORGAN],
            "form_token": form_token(),
        },
    )

    campaign = Campaign.objects.get(title="2022年度青山县党建工作年终考核")
    assert response.status_code == 302
    assert (campaign.issuer_unit, campaign.target_kinds, campaign.issuer) == (
        county_world["qingshan"],
        "township,county_organ",
        "青山县委",
    )
    group_form = client.get(reverse("campaigns:group_create", args=[campaign.pk])).content.decode()
    assert "考核对象（乡镇（部门））" in group_form
    assert "城关镇（乡镇（街道））" in group_form and "青山县教育局（县直机关单位）" in group_form
    assert "绿水县" not in group_form


def test_the_pages_of_a_county_campaign_ask_only_what_applies(county_world, login):
    w = county_world
    group = save_group(w, [w["chengguan"], w["education"]])
    client = login(w["admin"])

    sampling = client.get(reverse("campaigns:sampling", args=[w["campaign"].pk])).content.decode()
    assert 'name="plan-villages_per_township"' in sampling
    assert 'name="plan-county_organs"' not in sampling and 'name="plan-townships"' not in sampling
    assert "不抽查（直接检查本级）" in sampling  # 教育局's row

    organ = group.targets.get(unit=w["education"])
    tab = client.get(reverse("campaigns:target_sample", args=[organ.pk])).content.decode()
    assert "青山县教育局是县直机关单位，不抽查下属单位" in tab
    assert "考核组直接对青山县教育局本级党建工作进行了检查。" in tab
    assert reverse("campaigns:target_draw", args=[organ.pk]) not in tab
    overview = client.get(reverse("campaigns:target_overview", args=[organ.pk])).content.decode()
    assert "考核组直接对青山县教育局本级党建工作进行了检查。" in overview
