"""The roster template and export (units.exporting), and that an export imports back unchanged."""

import pytest

from tests.factories import UnitFactory, county, township
from tests.xlsx_builder import open_xlsx, read_xlsx
from units.exporting import roster_export, roster_template
from units.importing import roster_import, roster_plan
from units.models import Unit

pytestmark = pytest.mark.django_db

HEADER = ("序号", "单位名称", "单位类别", "上级单位", "党组织类型", "党组织书记", "联系电话", "备注")
KIND_OPTIONS = "市,县（区）,县直机关单位,县直事业单位,乡镇（街道）,村（社区）,乡镇机关事业单位,学校,医院,非公企业,社会组织"
ORG_TYPE_OPTIONS = "党委,党工委,党组,党总支,党支部,机关党委,机关党支部"


def plan_of(data: bytes):
    return roster_plan(data=data, file_name="导出.xlsx")


def counts(plan) -> tuple[int, int, int]:
    return plan.count("create"), plan.count("update"), plan.count("unchanged")


def snapshot() -> list[tuple]:
    return sorted(
        Unit.objects.values_list(
            "id", "name", "kind", "parent_id", "org_type", "secretary", "contact", "note", "is_active"
        )
    )


def tree() -> set[tuple]:
    """The roster by path, independent of ids."""
    units = {u.pk: u for u in Unit.objects.all()}

    def path(unit):
        names = []
        while unit is not None:
            names.append(unit.name)
            unit = units.get(unit.parent_id)
        return "/".join(reversed(names))

    return {
        (path(u), u.kind, u.org_type, u.secretary, u.contact, u.note, u.is_active) for u in units.values()
    }


def add_details(roster: dict) -> None:
    Unit.objects.filter(pk=roster["city"].pk).update(org_type="committee", secretary="周书记", note="市委")
    Unit.objects.filter(pk=roster["qs_town"].pk).update(
        org_type="committee", secretary="王五", contact="0791-86000000"
    )
    Unit.objects.filter(pk=roster["qs_village"].pk).update(
        org_type="branch", secretary="张三", contact="13800000000", note="示范村（2024）"
    )


def delete_all_units() -> None:
    while Unit.objects.exists():
        Unit.objects.filter(children__isnull=True).delete()


# -- the template ---------------------------------------------------------------------------


def test_template_has_title_header_and_one_example_row():
    rows = read_xlsx(roster_template())["名册"]

    assert rows[0][0] == "单位名册"
    assert rows[1] == HEADER
    assert rows[2] == (
        "1",
        "城关镇新村",
        "村（社区）",
        "青山县/城关镇",
        "党支部",
        "张三",
        "13800000000",
        "示例行，导入前请删除",
    )
    assert len(rows) == 3


def test_template_sheets_title_merge_and_frozen_header():
    workbook = open_xlsx(roster_template())

    assert workbook.sheetnames == ["名册", "填写说明"]
    sheet = workbook["名册"]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:H1"]
    assert sheet.freeze_panes == "A3"
    assert sheet["G3"].number_format == "@"  # contact numbers stay text


def test_template_instructions_sheet_explains_the_columns():
    rows = read_xlsx(roster_template())["填写说明"]
    text = {label: body for label, body, *_ in (r + (None, None) for r in rows[2:]) if label}

    assert rows[0][0] == "单位名册填写说明"
    assert set(text) >= {"表头", "单位名称", "单位类别", "上级单位", "党组织类型", "序号", "导入规则"}
    assert text["单位类别"] == (
        "必填。可填写：市、县（区）、县直机关单位、县直事业单位、乡镇（街道）、村（社区）、"
        "乡镇机关事业单位、学校、医院、非公企业、社会组织。"
    )
    assert "青山县/城关镇" in text["上级单位"]
    all_text = "\n".join(str(v) for r in rows for v in r if v)
    assert "村（社区）的上级为乡镇（街道）" in all_text
    assert "只要有一个错误，就不会写入任何数据" in all_text


def test_template_has_drop_down_lists_for_kind_and_org_type():
    sheet = open_xlsx(roster_template())["名册"]

    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}

    assert set(validations) == {"C3:C1003", "E3:E1003"}
    assert validations["C3:C1003"].type == "list"
    assert validations["C3:C1003"].formula1 == f'"{KIND_OPTIONS}"'
    assert validations["E3:E1003"].formula1 == f'"{ORG_TYPE_OPTIONS}"'
    # Excel limits a list typed into the validation to 255 characters.
    assert all(len(v.formula1) <= 255 for v in validations.values())


def test_template_example_row_imports(roster):
    plan = roster_import(data=roster_template(), file_name="模板.xlsx")

    assert plan.ok, plan.error_messages()
    assert plan.table.header_row == 2
    assert plan.ignored_columns() == ["A列“序号”"]
    assert plan.table.other_sheets == ["填写说明"]
    example = Unit.objects.get(name="城关镇新村")
    assert example.parent == roster["qs_town"]
    assert (example.kind, example.org_type, example.secretary, example.contact) == (
        "village",
        "branch",
        "张三",
        "13800000000",
    )


def test_template_example_row_without_its_parent_gives_a_clear_error(db):
    plan = plan_of(roster_template())

    assert plan.error_messages() == [
        "工作表 名册 第3行 “上级单位”（D列）：找不到“青山县/城关镇”（路径写法如“青山县/城关镇”），"
        "请检查名称或先添加该单位"
    ]


# -- the export ---------------------------------------------------------------------------------


def test_export_lists_active_units_parents_first_with_paths_for_repeated_names(roster):
    add_details(roster)

    data, count = roster_export()

    sheets = read_xlsx(data)
    assert list(sheets) == ["名册", "填写说明"]
    rows = sheets["名册"]
    assert rows[0][0].startswith("单位名册（") and rows[0][0].endswith("导出）")
    assert rows[1] == HEADER
    assert rows[2:] == [
        ("1", "云山市", "市", None, "党委", "周书记", None, "市委"),
        ("2", "绿水县", "县（区）", "云山市", None, None, None, None),
        ("3", "城关镇", "乡镇（街道）", "绿水县", None, None, None, None),
        ("4", "新村", "村（社区）", "绿水县/城关镇", None, None, None, None),
        ("5", "青山县", "县（区）", "云山市", None, None, None, None),
        ("6", "城关镇", "乡镇（街道）", "青山县", "党委", "王五", "0791-86000000", None),
        ("7", "新村", "村（社区）", "青山县/城关镇", "党支部", "张三", "13800000000", "示范村（2024）"),
    ]
    assert count == 7


def test_export_leaves_out_inactive_units(roster):
    Unit.objects.filter(pk__in=[roster["lv_town"].pk, roster["lv_village"].pk]).update(is_active=False)

    data, count = roster_export()

    names = [r[1] for r in read_xlsx(data)["名册"][2:]]
    assert names == ["云山市", "绿水县", "青山县", "城关镇", "新村"]
    assert count == 5


def test_export_of_an_empty_roster_has_just_the_header(db):
    data, count = roster_export()

    rows = read_xlsx(data)["名册"]
    assert count == 0
    assert rows[1] == HEADER
    assert len(rows) == 2


def test_export_writes_contact_numbers_as_text(roster):
    add_details(roster)

    sheet = open_xlsx(roster_export()[0])["名册"]

    contacts = [c for (c,) in sheet.iter_rows(min_row=3, min_col=7, max_col=7) if c.value]
    assert [(c.value, c.data_type) for c in contacts] == [("0791-86000000", "s"), ("13800000000", "s")]


# -- round trip ------------------------------------------------------------------------------------


def test_export_imports_back_with_no_creates_and_no_updates(roster):
    add_details(roster)
    before = snapshot()
    data, count = roster_export()

    plan = roster_import(data=data, file_name="导出.xlsx")

    assert plan.ok, plan.error_messages()
    assert counts(plan) == (0, 0, count)
    assert snapshot() == before


def test_round_trip_with_names_repeated_two_levels_deep(roster):
    # Two 城关镇 each with a 新村, each with an enterprise: 新村 has to be written as 青山县/城关镇/新村.
    for village in (roster["qs_village"], roster["lv_village"]):
        UnitFactory(name="新村合作社", kind=Unit.Kind.ENTERPRISE, parent=village)
    data, _count = roster_export()

    parents = [r[3] for r in read_xlsx(data)["名册"][2:] if r[1] == "新村合作社"]
    assert sorted(parents) == ["绿水县/城关镇/新村", "青山县/城关镇/新村"]
    plan = plan_of(data)
    assert plan.ok, plan.error_messages()
    assert counts(plan) == (0, 0, 9)


def test_round_trip_with_an_active_unit_under_an_inactive_parent(roster):
    Unit.objects.filter(pk=roster["qs_town"].pk).update(is_active=False)
    before = snapshot()
    data, count = roster_export()

    plan = roster_import(data=data, file_name="导出.xlsx")

    assert count == 6
    assert plan.ok, plan.error_messages()
    assert counts(plan) == (0, 0, 6)
    assert snapshot() == before


def test_export_rebuilds_the_same_roster_in_an_empty_database(roster):
    add_details(roster)
    township(county(roster["city"], "白山县"), "红旗镇")
    expected = tree()
    data, count = roster_export()
    delete_all_units()

    plan = roster_import(data=data, file_name="导出.xlsx")

    assert plan.ok, plan.error_messages()
    assert counts(plan) == (count, 0, 0)
    assert tree() == expected
    for unit in Unit.objects.exclude(parent=None).select_related("parent"):
        assert unit.ancestry == unit.parent.descendant_prefix


def test_round_trip_with_a_slash_in_a_parent_name(roster):
    organ = UnitFactory(name="教育局/体育局", kind=Unit.Kind.COUNTY_ORGAN, parent=roster["qingshan"])
    UnitFactory(name="第一中学", kind=Unit.Kind.SCHOOL, parent=organ)
    data, _count = roster_export()

    # Names may contain "/", which is also the path separator in 上级单位: a reference that is
    # exactly a known name is taken whole before it is read as a path.
    plan = plan_of(data)

    assert plan.ok, plan.error_messages()
    assert counts(plan) == (0, 0, 9)


def test_text_starting_with_an_equals_sign_is_exported_as_text_and_survives_the_round_trip(roster):
    Unit.objects.filter(pk=roster["qs_village"].pk).update(
        secretary='=HYPERLINK("http://example.com","点此")', note="=重点村="
    )
    data, _count = roster_export()

    sheet = open_xlsx(data)["名册"]
    village_row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == "新村" and r[5].value)
    # openpyxl would store a string starting with "=" as a formula: a typed note must stay text
    # (no formula injection such as =HYPERLINK), and come back unchanged on import.
    assert [(c.value, c.data_type) for c in (village_row[5], village_row[7])] == [
        ('=HYPERLINK("http://example.com","点此")', "s"),
        ("=重点村=", "s"),
    ]
    plan = plan_of(data)
    assert counts(plan) == (0, 0, 7), [r.changes for r in plan.rows if r.changes]
