import pytest
from django.core.exceptions import ValidationError

from units.models import Unit
from units.services import unit_create, unit_deactivate, unit_reactivate, unit_update


def test_create_places_the_unit_in_the_tree(roster):
    unit = unit_create(name=" 石桥 村 ", kind=Unit.Kind.VILLAGE, parent=roster["qs_town"], org_type="branch")
    assert unit.name == "石桥村"
    assert unit.ancestry == roster["qs_town"].descendant_prefix
    assert unit.get_org_type_display() == "党支部"


def test_create_turns_half_width_parentheses_into_chinese_ones(roster):
    unit = unit_create(name="城关镇(街道)农业站", kind=Unit.Kind.TOWNSHIP_STATION, parent=roster["qs_town"])
    assert unit.name == "城关镇（街道）农业站"


def test_a_village_directly_under_a_city_is_refused(roster):
    with pytest.raises(ValidationError) as exc:
        unit_create(name="孤村", kind=Unit.Kind.VILLAGE, parent=roster["city"])
    assert "村（社区）的上级单位应为乡镇（街道），不能是市" in str(exc.value)
    assert not Unit.objects.filter(name="孤村").exists()


def test_a_village_without_parent_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        unit_create(name="孤村", kind=Unit.Kind.VILLAGE, parent=None)
    assert "村（社区）必须有上级单位" in str(exc.value)


def test_a_county_may_be_a_root(db):
    assert unit_create(name="独立县", kind=Unit.Kind.COUNTY, parent=None).ancestry == "/"


def test_a_name_already_used_under_the_parent_is_refused_with_a_message(roster):
    with pytest.raises(ValidationError) as exc:
        unit_create(name="新村", kind=Unit.Kind.VILLAGE, parent=roster["qs_town"])
    assert exc.value.message_dict["name"] == ["“城关镇”下已有名为“新村”的单位。"]


def test_creating_under_an_inactive_parent_is_refused(roster):
    unit_deactivate(unit=roster["qs_town"])
    roster["qs_town"].refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        unit_create(name="后来村", kind=Unit.Kind.VILLAGE, parent=roster["qs_town"])
    assert "已停用" in str(exc.value)


def test_moving_a_township_moves_its_villages_paths(roster):
    town, village = roster["qs_town"], roster["qs_village"]
    unit_update(unit=town, parent=roster["lvshui"], name="新城关镇")
    village.refresh_from_db()
    assert village.ancestry == f"/{roster['city'].pk}/{roster['lvshui'].pk}/{town.pk}/"
    assert set(Unit.objects.filter(ancestry__startswith=roster["lvshui"].descendant_prefix)) >= {
        town,
        village,
    }


def test_moving_a_unit_under_its_own_descendant_is_refused(roster):
    with pytest.raises(ValidationError) as exc:
        unit_update(unit=roster["qingshan"], parent=roster["qs_town"])
    assert "不能把单位移到它自己或它的下属单位之下" in str(exc.value)


def test_a_stale_copy_still_moves_the_right_subtree(roster):
    stale_village_parent = Unit.objects.get(pk=roster["qs_town"].pk)
    unit_update(unit=roster["qingshan"], parent=None)  # the county becomes a root
    unit_update(unit=stale_village_parent, parent=roster["lvshui"], name="青山城关镇")
    village = Unit.objects.get(pk=roster["qs_village"].pk)
    assert village.ancestry == f"/{roster['city'].pk}/{roster['lvshui'].pk}/{roster['qs_town'].pk}/"


def test_changing_a_kind_that_would_orphan_children_is_refused(roster):
    with pytest.raises(ValidationError) as exc:
        unit_update(unit=roster["qs_town"], kind=Unit.Kind.COUNTY_ORGAN)
    assert "该单位有下属单位" in str(exc.value)
    assert Unit.objects.get(pk=roster["qs_town"].pk).kind == Unit.Kind.TOWNSHIP


def test_update_refuses_unknown_fields(roster):
    with pytest.raises(TypeError):
        unit_update(unit=roster["qs_town"], is_active=False)


def test_deactivating_a_township_deactivates_its_villages_only(roster):
    count = unit_deactivate(unit=roster["qs_town"])
    assert count == 2
    assert not Unit.objects.get(pk=roster["qs_village"].pk).is_active
    assert Unit.objects.get(pk=roster["lv_village"].pk).is_active
    assert Unit.objects.get(pk=roster["qingshan"].pk).is_active


def test_reactivating_needs_an_active_parent(roster):
    unit_deactivate(unit=roster["qs_town"])
    village = Unit.objects.get(pk=roster["qs_village"].pk)
    with pytest.raises(ValidationError):
        unit_reactivate(unit=village)
    unit_reactivate(unit=Unit.objects.get(pk=roster["qs_town"].pk))
    assert unit_reactivate(unit=Unit.objects.get(pk=village.pk)).is_active
