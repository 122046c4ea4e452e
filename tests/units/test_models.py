"""The database refuses what the services would refuse, should anything slip past them."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import UnitFactory, city, county, township, village
from units.models import Unit


def test_names_repeat_under_different_parents(roster):
    assert Unit.objects.filter(name="新村").count() == 2
    assert Unit.objects.filter(name="城关镇").count() == 2


def test_the_same_name_twice_under_one_parent_is_refused(roster):
    with pytest.raises(IntegrityError), transaction.atomic():
        village(roster["qs_town"], "新村")


def test_two_roots_with_the_same_name_are_refused(db):
    city("云山市")
    with pytest.raises(IntegrityError), transaction.atomic():
        city("云山市")


def test_an_empty_name_is_refused(roster):
    with pytest.raises(IntegrityError), transaction.atomic():
        township(roster["qingshan"], "")


def test_an_unknown_kind_is_refused(roster):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(name="某单位", kind="planet", parent=roster["qingshan"])


def test_ancestry_paths_follow_the_tree(roster):
    c, qs, town, v = roster["city"], roster["qingshan"], roster["qs_town"], roster["qs_village"]
    assert c.ancestry == "/"
    assert qs.ancestry == f"/{c.pk}/"
    assert v.ancestry == f"/{c.pk}/{qs.pk}/{town.pk}/"
    assert v.ancestor_ids == [c.pk, qs.pk, town.pk]
    assert v.depth == 3


def test_a_county_has_its_kind_label_in_chinese(db):
    assert county(city()).get_kind_display() == "县（区）"
