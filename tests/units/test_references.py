"""Finding a unit named in text (the people import, the unit picker's typed name), writing a unit so
it is found again, and the roster's picker search."""

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, city, county, township
from units.models import Unit
from units.references import references_for, resolve_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    c = city("云山市")
    qs, lv = county(c, "青山县"), county(c, "绿水县")
    return {
        "qs_finance": UnitFactory(name="青山县财政局", kind=Unit.Kind.COUNTY_ORGAN, parent=qs),
        "qs_town": township(qs, "城关镇"),
        "lv_town": township(lv, "城关镇"),
        "old": UnitFactory(name="撤并乡", kind=Unit.Kind.TOWNSHIP, parent=lv, is_active=False),
        "qingshan": qs,
    }


def test_a_unique_name_and_a_path_are_found(tree):
    found = resolve_units(["青山县财政局", "青山县/城关镇", "云山市 / 绿水县 / 城关镇", "青山县 财政局"])
    assert found["青山县财政局"].unit == tree["qs_finance"]
    assert found["青山县/城关镇"].unit == tree["qs_town"]
    assert found["云山市 / 绿水县 / 城关镇"].unit == tree["lv_town"]
    assert found["青山县 财政局"].unit == tree["qs_finance"]  # spaces between Chinese characters dropped


def test_an_ambiguous_name_asks_for_a_path(tree):
    error = resolve_units(["城关镇"])["城关镇"].error
    assert error == "“城关镇”对应多个单位：青山县/城关镇、绿水县/城关镇。请写出上级路径，如“青山县/城关镇”"


def test_unknown_and_deactivated_units_are_said(tree):
    found = resolve_units(["不存在局", "白石区/城关镇", "撤并乡"])
    assert found["不存在局"].error == "单位名册中找不到“不存在局”，请检查名称，或先在单位名册中添加该单位"
    assert "（路径写法如“青山县/城关镇”）" in found["白石区/城关镇"].error
    assert found["撤并乡"].error == "“撤并乡”已停用，请选择在用的单位"


def test_references_are_found_again(tree, django_assert_max_num_queries):
    units = [tree["qs_finance"], tree["qs_town"], tree["lv_town"], tree["qingshan"]]
    with django_assert_max_num_queries(2):
        written = references_for(units)
    assert written == {
        tree["qs_finance"].pk: "青山县财政局",
        tree["qs_town"].pk: "青山县/城关镇",
        tree["lv_town"].pk: "绿水县/城关镇",
        tree["qingshan"].pk: "青山县",
    }
    found = resolve_units(written.values())
    assert {found[ref].unit.pk for ref in written.values()} == set(written)


def test_the_picker_lists_exact_names_first_with_where_they_sit(tree, user_client):
    UnitFactory(name="城关镇财政所", kind=Unit.Kind.TOWNSHIP_STATION, parent=tree["qs_town"])
    html = user_client.get(reverse("units:picker"), {"q": "城关镇"}).content.decode()
    names = [part.split('"', 1)[0] for part in html.split('data-unit-name="')[1:]]
    assert names == ["城关镇", "城关镇", "城关镇财政所"]
    assert 'data-unit-where="云山市 › 青山县 › 城关镇"' in html
    assert "撤并乡" not in user_client.get(reverse("units:picker"), {"q": "撤并"}).content.decode()


def test_the_picker_says_when_nothing_matches(tree, user_client):
    html = user_client.get(reverse("units:picker"), {"q": "没有这个"}).content.decode()
    assert "单位名册中没有名称含“没有这个”的在用单位。" in html
