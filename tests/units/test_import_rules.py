"""The roster import's rules: parents, kinds, duplicates, updates, all or nothing."""

import pytest

from tests.factories import city, county, township, village
from tests.units.roster_files import (
    HEADER,
    SHORT_HEADER,
    TREE,
    import_file,
    only_error,
    plan_of,
    roster_file,
    snapshot,
    unit_at,
)
from units.models import Unit
from units.services import unit_deactivate

pytestmark = pytest.mark.django_db

# -- parents -----------------------------------------------------------------------


def test_parent_later_in_file_than_its_children():
    plan = import_file(roster_file(*reversed(TREE)))

    assert plan.ok, plan.error_messages()
    assert plan.count("create") == 5
    assert unit_at("红山市/红山县/红旗镇/东村").kind == Unit.Kind.VILLAGE


def test_parent_already_in_database(roster):
    rows = [
        [1, "东村", "村", "绿水县/城关镇"],
        [2, "红旗镇", "乡镇", "青山县"],
        [3, "南村", "社区", "红旗镇"],
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert unit_at("云山市/绿水县/城关镇/东村").parent == roster["lv_town"]
    south = unit_at("云山市/青山县/红旗镇/南村")
    assert south.ancestry == f"{south.parent.ancestry}{south.parent_id}/"
    assert south.parent.ancestry == roster["qingshan"].descendant_prefix


def test_parent_named_twice_is_an_error_naming_both(roster):
    before = snapshot()

    plan = import_file(roster_file(["", "东村", "村", "城关镇"], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “上级单位”（D列）：“城关镇”对应多个单位："
        "云山市/青山县/城关镇（系统中已有）、云山市/绿水县/城关镇（系统中已有）。"
        "请写出上级路径，如“云山市/青山县/城关镇”"
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "path", ["青山县/城关镇", "云山市/青山县/城关镇", "青山县／城关镇", "青山县 / 城关镇"]
)
def test_parent_path_disambiguates(roster, path):
    plan = import_file(roster_file(["", "东村", "村", path], header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert Unit.objects.get(name="东村").parent == roster["qs_town"]


def test_parent_named_twice_in_the_file_is_an_error_naming_both_rows():
    rows = [
        ["", "红山市", "市", ""],
        ["", "红山县", "县", "红山市"],
        ["", "白山县", "县", "红山市"],
        ["", "红旗镇", "乡镇", "红山县"],
        ["", "红旗镇", "乡镇", "白山县"],
        ["", "东村", "村", "红旗镇"],
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第7行 “上级单位”（D列）：“红旗镇”对应多个单位："
        "红山市/红山县/红旗镇（第5行）、红山市/白山县/红旗镇（第6行）。请写出上级路径，如“红山市/红山县/红旗镇”"
    )
    assert Unit.objects.count() == 0


def test_a_name_the_file_defines_once_means_that_row_though_the_database_has_others(roster):
    # A county's roster names its own 城关镇 plainly; other counties' 城关镇 are not meant.
    rows = [["", "红山县", "县", "云山市"], ["", "城关镇", "乡镇", "红山县"], ["", "东村", "村", "城关镇"]]

    plan = import_file(roster_file(*rows, header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert unit_at("云山市/红山县/城关镇/东村").kind == Unit.Kind.VILLAGE


def test_a_path_still_reaches_a_unit_of_the_database_beside_the_files_own(roster):
    rows = [
        ["", "红山县", "县", "云山市"],
        ["", "城关镇", "乡镇", "红山县"],
        ["", "东村", "村", "青山县/城关镇"],
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert Unit.objects.get(name="东村").parent == roster["qs_town"]


def test_children_of_a_broken_row_are_unchecked_even_where_the_database_has_that_name(roster):
    # The file's 城关镇 has a typo in its parent; its villages are not "ambiguous" with the
    # database's two 城关镇: they wait for their own row to be put right.
    rows = [["", "红山县", "县", "云山市"], ["", "城关镇", "乡镇", "红汕县"]]
    rows += [["", f"{n}村", "村", "城关镇"] for n in range(1, 31)]

    plan = plan_of(roster_file(*rows, header=HEADER[:4]))

    assert only_error(plan).startswith("工作表 名册 第3行 “上级单位”（D列）：找不到“红汕县”")
    assert plan.unchecked_messages() == ["另有30行因上级单位第3行有错误未检查"]


def test_a_broken_row_elsewhere_does_not_hold_up_a_path_that_names_another_parent(roster):
    rows = [["", "城关镇", "乡镇", "红汕县"], ["", "东村", "村", "青山县/城关镇"]]

    plan = plan_of(roster_file(*rows, header=HEADER[:4]))

    assert only_error(plan).startswith("工作表 名册 第2行")
    assert plan.unchecked_messages() == []
    assert plan.count("create") == 1


def test_unknown_parent_is_an_error(roster):
    plan = import_file(roster_file(["", "东村", "村", "不存在乡"], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “上级单位”（D列）：找不到“不存在乡”，请检查名称或先添加该单位"
    )


def test_unknown_parent_path_shows_how_paths_are_written(roster):
    plan = plan_of(roster_file(["", "东村", "村", "绿水县/红旗镇"], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “上级单位”（D列）：找不到“绿水县/红旗镇”（路径写法如“青山县/城关镇”），"
        "请检查名称或先添加该单位"
    )


def test_child_of_a_row_whose_parent_is_wrong_is_counted_under_that_row():
    rows = [["", "红山县", "县", "不存在市"], ["", "红旗镇", "乡镇", "红山县"]]

    plan = plan_of(roster_file(*rows, header=HEADER[:4]))

    assert plan.error_messages() == [
        "工作表 名册 第2行 “上级单位”（D列）：找不到“不存在市”，请检查名称或先添加该单位",
    ]
    assert plan.unchecked_messages() == ["另有1行（第3行）因上级单位第2行有错误未检查"]


def test_grandchild_of_a_row_with_an_error_is_counted_under_the_first_broken_row_not_a_cycle():
    rows = [["", "红山县", "县", "不存在市"], ["", "红旗镇", "乡镇", "红山县"], ["", "东村", "村", "红旗镇"]]

    plan = plan_of(roster_file(*rows, header=HEADER[:4]))

    # The chain below the broken row is one line, and nobody is told of a cycle.
    assert plan.error_messages() == [
        "工作表 名册 第2行 “上级单位”（D列）：找不到“不存在市”，请检查名称或先添加该单位",
    ]
    assert plan.unchecked_messages() == ["另有2行（第3行、第4行）因上级单位第2行有错误未检查"]


def test_child_of_a_row_with_an_unknown_kind_is_counted_under_that_row():
    rows = [["", "红山市", "市", ""], ["", "红山县", "县城", "红山市"], ["", "红旗镇", "乡镇", "红山县"]]

    plan = plan_of(roster_file(*rows, header=HEADER[:4]))

    # The parent's own row has an error: its children are not called "找不到".
    assert only_error(plan).startswith("工作表 名册 第3行 “单位类别”（C列）：无法识别“县城”")
    assert plan.unchecked_messages() == ["另有1行（第4行）因上级单位第3行有错误未检查"]


def test_cycle_is_an_error():
    rows = [["", "红山市", "市", ""], ["", "甲镇", "乡镇", "乙县"], ["", "乙县", "县", "甲镇"]]

    plan = import_file(roster_file(*rows, header=HEADER[:4]))

    assert plan.error_messages() == [
        "工作表 名册 第3行 “上级单位”（D列）：上级单位“乙县”无法确定：有关的行互相作为上级，形成了循环",
        "工作表 名册 第4行 “上级单位”（D列）：上级单位“甲镇”无法确定：有关的行互相作为上级，形成了循环",
    ]
    assert Unit.objects.count() == 0


def test_unit_that_is_its_own_parent_is_an_error():
    rows = [["", "红山市", "市", ""], ["", "红山县", "县", "红山县"]]

    plan = plan_of(roster_file(*rows, header=HEADER[:4]))

    assert only_error(plan).startswith("工作表 名册 第3行 “上级单位”（D列）：")


def test_village_directly_under_a_county_is_an_error(roster):
    plan = import_file(roster_file(["", "东村", "村", "青山县"], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “单位类别”（C列）：村（社区）的上级单位应为乡镇（街道），不能是县（区）"
        "（“青山县”是县（区））"
    )
    assert Unit.objects.count() == 7


def test_village_directly_under_a_city_is_an_error(roster):
    plan = import_file(roster_file(["", "东村", "村", "云山市"], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “单位类别”（C列）：村（社区）的上级单位应为乡镇（街道），不能是市（“云山市”是市）"
    )


def test_village_without_a_parent_is_an_error():
    plan = plan_of(roster_file(["", "东村", "村", ""], header=HEADER[:4]))

    assert only_error(plan) == "工作表 名册 第2行 “单位类别”（C列）：村（社区）必须有上级单位（乡镇（街道））"


def test_city_with_a_parent_is_an_error(roster):
    plan = plan_of(roster_file(["", "红山市", "市", "云山市"], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “单位类别”（C列）：市是最上级单位，不能有上级单位（“云山市”是市）"
    )


def test_unknown_kind_is_an_error_listing_allowed_values():
    plan = plan_of(roster_file(["", "红山市", "片区", ""], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “单位类别”（C列）：无法识别“片区”，可填写：市、县（区）、县直机关单位、县直事业单位、"
        "乡镇（街道）、村（社区）、乡镇机关事业单位、学校、医院、非公企业、社会组织"
    )


def test_empty_kind_is_an_error():
    plan = plan_of(roster_file(["", "红山市", "", ""], header=HEADER[:4]))

    assert only_error(plan) == "工作表 名册 第2行 “单位类别”（C列）：单位类别为空"


def test_unknown_org_type_is_an_error_listing_allowed_values():
    plan = plan_of(roster_file(["", "红山市", "市", "", "党员"], header=HEADER[:5]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “党组织类型”（E列）：无法识别“党员”。可填写：党委（含市委、县委、区委、镇党委等）、"
        "党工委（含街道党工委）、党组、党总支、党支部（含联合党支部、临时党支部、党支部委员会等）、"
        "机关党委、机关党支部；没有党组织的留空或填“无”"
    )


def test_what_is_near_a_party_organization_but_not_one_is_refused_saying_why():
    plan = plan_of(roster_file(["", "红山市", "市", "", "党小组"], header=HEADER[:5]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “党组织类型”（E列）：“党小组”不是党组织类型：党小组是党支部的组成部分，"
        "请填写它所属党组织的类型（如联合党支部），或留空"
    )


def test_too_long_values_are_errors():
    rows = [["", "红" * 101, "市", "", "", "张" * 51, "", "注" * 501]]

    plan = plan_of(roster_file(*rows))

    assert plan.error_messages() == [
        "工作表 名册 第2行 “单位名称”（B列）：内容过长（101个字），不能超过100个字",
        "工作表 名册 第2行 “党组织书记”（F列）：内容过长（51个字），不能超过50个字",
        "工作表 名册 第2行 “备注”（H列）：内容过长（501个字），不能超过500个字",
    ]


def test_errors_in_one_row_are_listed_left_to_right_even_past_column_z():
    header = ["单位名称", "单位类别", "上级单位", *[f"其他{i}" for i in range(23)], "党组织类型"]
    row = ["红山市", "片区", "", *[""] * 23, "党小组"]

    plan = plan_of(roster_file(row, header=header))

    # Errors in a row read left to right: column B before column AA.
    assert [m.split("：")[0] for m in plan.error_messages()] == [
        "工作表 名册 第2行 “单位类别”（B列）",
        "工作表 名册 第2行 “党组织类型”（AA列）",
    ]


# -- the same unit twice -------------------------------------------------------------


def test_same_unit_twice_in_one_file_is_an_error_naming_both_rows():
    rows = [*TREE, [6, "东村", "社区", "红旗镇", "", "", "", "又写了一遍"]]

    plan = import_file(roster_file(*rows))

    assert only_error(plan) == (
        "工作表 名册 第7行 “单位名称”（B列）：与第5行重复：“红山市/红山县/红旗镇”下的“东村”只能出现一次"
    )
    assert Unit.objects.count() == 0


def test_same_root_twice_is_an_error():
    plan = plan_of(roster_file(["", "红山市", "市", ""], ["", "红山市", "市", ""], header=HEADER[:4]))

    assert (
        only_error(plan) == "工作表 名册 第3行 “单位名称”（B列）：与第2行重复：最上级的“红山市”只能出现一次"
    )


def test_same_parent_written_two_ways_is_still_the_same_unit_twice(roster):
    rows = [["", "东村", "村", "青山县/城关镇"], ["", "东村", "村", "云山市/青山县/城关镇"]]

    plan = plan_of(roster_file(*rows, header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第3行 “单位名称”（B列）：与第2行重复：“云山市/青山县/城关镇”下的“东村”只能出现一次"
    )


def test_same_name_under_different_parents_is_fine(roster):
    rows = [["", "东村", "村", "青山县/城关镇"], ["", "东村", "村", "绿水县/城关镇"]]

    plan = import_file(roster_file(*rows, header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert Unit.objects.filter(name="东村").count() == 2


# -- re-importing and updating --------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing():
    data = roster_file(*TREE, title_rows=["名册"])
    import_file(data)
    before = snapshot()

    plan = import_file(data)

    assert plan.ok, plan.error_messages()
    assert (plan.count("create"), plan.count("update"), plan.count("unchanged")) == (0, 0, 5)
    assert snapshot() == before


def test_units_are_matched_by_parent_and_name(roster):
    # 新村 exists under both 城关镇; each row matches its own.
    rows = [
        ["", "新村", "村", "青山县/城关镇", "", "青山书记"],
        ["", "新村", "村", "绿水县/城关镇", "", "绿水书记"],
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:6]))

    assert plan.ok, plan.error_messages()
    assert plan.count("update") == 2
    assert Unit.objects.count() == 7
    roster["qs_village"].refresh_from_db()
    roster["lv_village"].refresh_from_db()
    assert (roster["qs_village"].secretary, roster["lv_village"].secretary) == ("青山书记", "绿水书记")


def test_edited_file_updates_what_changed_and_lists_old_and_new():
    import_file(roster_file(*TREE))
    edited = [list(row) for row in TREE]
    edited[3][5] = "赵六"  # 东村 secretary
    edited[3][4] = "党总支"  # 东村 org type
    edited[4][7] = ""  # 西村 note cleared
    edited.append([6, "南村", "村", "红旗镇", "", "", "", ""])

    plan = import_file(roster_file(*edited))

    assert plan.ok, plan.error_messages()
    assert (plan.count("create"), plan.count("update"), plan.count("unchanged")) == (1, 2, 3)
    changes = {r.name: r.changes for r in plan.rows if r.action == "update"}
    assert changes == {
        "东村": [("党组织类型", "党支部", "党总支"), ("党组织书记", "张三", "赵六")],
        "西村": [("备注", "新建", "")],
    }
    east = unit_at("红山市/红山县/红旗镇/东村")
    assert (east.org_type, east.secretary, east.contact) == ("general_branch", "赵六", "13800000000")
    assert unit_at("红山市/红山县/红旗镇/西村").note == ""
    updates = plan.summary()["updates"]
    assert [(u["path"], u["changes"]) for u in updates] == [
        ("红山市/红山县/红旗镇/东村", [("党组织类型", "党支部", "党总支"), ("党组织书记", "张三", "赵六")]),
        ("红山市/红山县/红旗镇/西村", [("备注", "新建", "")]),
    ]


def test_missing_optional_columns_leave_those_fields_alone():
    import_file(roster_file(*TREE))
    rows = [[name, kind, parent] for _, name, kind, parent, *_ in TREE]

    plan = import_file(roster_file(*rows, header=SHORT_HEADER))

    assert plan.ok, plan.error_messages()
    assert plan.count("unchanged") == 5
    east = unit_at("红山市/红山县/红旗镇/东村")
    assert (east.org_type, east.secretary, east.contact) == ("branch", "张三", "13800000000")


def test_kind_change_is_an_update(roster):
    plan = import_file(
        roster_file(
            ["", "新村", "社区", "绿水县/城关镇"], ["", "新村", "企业", "青山县/城关镇"], header=HEADER[:4]
        )
    )

    assert plan.ok, plan.error_messages()
    changes = {r.row: r.changes for r in plan.rows}
    assert changes == {2: [], 3: [("单位类别", "村（社区）", "非公企业")]}
    roster["qs_village"].refresh_from_db()
    assert roster["qs_village"].kind == Unit.Kind.ENTERPRISE


def test_kind_change_that_no_longer_fits_existing_children_is_an_error(roster):
    before = snapshot()

    plan = import_file(roster_file(["", "城关镇", "县直机关单位", "青山县"], header=HEADER[:4]))

    assert only_error(plan) == (
        "工作表 名册 第2行 “单位类别”（C列）：系统中“城关镇”下已有村（社区）“新村”，不能改为县直机关单位"
    )
    assert snapshot() == before


def test_inactive_unit_listed_in_the_file_is_reactivated(roster):
    unit_deactivate(unit=roster["qs_village"])

    plan = import_file(roster_file(["", "新村", "村", "青山县/城关镇"], header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert plan.count("update") == 1
    assert plan.rows[0].changes == [("状态", "停用", "在用")]
    roster["qs_village"].refresh_from_db()
    assert roster["qs_village"].is_active


def test_inactive_subtree_listed_in_the_file_is_reactivated_and_reimport_is_then_unchanged(roster):
    unit_deactivate(unit=roster["qs_town"])
    data = roster_file(
        ["", "城关镇", "乡镇", "青山县"], ["", "新村", "村", "青山县/城关镇"], header=HEADER[:4]
    )

    plan = import_file(data)

    assert plan.ok, plan.error_messages()
    assert plan.count("update") == 2
    assert Unit.objects.filter(is_active=False).count() == 0
    again = import_file(data)
    assert (again.count("update"), again.count("unchanged")) == (0, 2)


def test_new_unit_under_an_inactive_parent_is_an_error(roster):
    unit_deactivate(unit=roster["qs_town"])
    before = snapshot()

    plan = import_file(roster_file(["", "东村", "村", "青山县/城关镇"], header=HEADER[:4]))

    # As in units.services: nothing new under a deactivated unit.
    assert not plan.ok
    assert "已停用" in only_error(plan)
    assert snapshot() == before


# -- all or nothing --------------------------------------------------------------------


def test_any_error_means_nothing_is_written(roster):
    before = snapshot()
    rows = [
        ["新村", "村", "青山县/城关镇", "党支部", "新书记", "13900000000", "改了"],  # an update
        ["红旗镇", "乡镇", "绿水县", "党委", "", "", ""],  # a create
        ["东村", "村", "红旗镇", "", "", "", ""],  # a create under a create
        ["西村", "村", "不存在乡", "", "", "", ""],  # the one error
    ]

    plan = import_file(roster_file(*rows, header=HEADER[1:]))

    assert not plan.ok
    assert plan.count("create") == 2 and plan.count("update") == 1  # what it would have done
    assert Unit.objects.count() == 7
    assert snapshot() == before
    roster["qs_village"].refresh_from_db()
    assert (roster["qs_village"].secretary, roster["qs_village"].note) == ("", "")


def test_every_error_is_reported_at_once_in_row_order(roster):
    rows = [
        ["", "东村", "村", "城关镇"],  # row 3: ambiguous parent
        [],
        ["", "", "村", "青山县/城关镇"],  # row 5: no name
        ["", "西村", "村庄", "青山县/城关镇"],  # row 6: unknown kind
        ["", "南村", "村", "青山县"],  # row 7: village under a county
        ["", "北村", "村", "不存在乡"],  # row 8: unknown parent
        ["", "好村", "村", "绿水县/城关镇"],  # row 9: fine
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:4], title_rows=["名册"]))

    assert plan.error_messages() == [
        "工作表 名册 第3行 “上级单位”（D列）：“城关镇”对应多个单位：云山市/青山县/城关镇（系统中已有）、"
        "云山市/绿水县/城关镇（系统中已有）。请写出上级路径，如“云山市/青山县/城关镇”",
        "工作表 名册 第5行 “单位名称”（B列）：单位名称为空（本行有其他内容，单位名称必须填写）",
        "工作表 名册 第6行 “单位类别”（C列）：无法识别“村庄”，可填写：市、县（区）、县直机关单位、县直事业单位、"
        "乡镇（街道）、村（社区）、乡镇机关事业单位、学校、医院、非公企业、社会组织",
        "工作表 名册 第7行 “单位类别”（C列）：村（社区）的上级单位应为乡镇（街道），不能是县（区）（“青山县”是县（区））",
        "工作表 名册 第8行 “上级单位”（D列）：找不到“不存在乡”，请检查名称或先添加该单位",
    ]
    assert plan.summary()["errors"] == plan.error_messages()
    assert Unit.objects.count() == 7


def test_error_names_sheet_row_column_and_value_like_the_user_sees_them(roster):
    rows = [["", f"{n}号村", "村", "青山县/城关镇"] for n in range(1, 9)] + [["", "错村", "村", "不存在乡"]]

    plan = plan_of(
        roster_file(
            *rows,
            header=["序号", "单位名称", "单位类别", "上级单位"],
            title_rows=["云山市单位名册", "填报单位：青山县委组织部"],
            extra_sheets_before={"填写说明": [["说明"]]},
        )
    )

    assert only_error(plan) == (
        "工作表 名册 第12行 “上级单位”（D列）：找不到“不存在乡”，请检查名称或先添加该单位"
    )


def test_plan_writes_nothing(roster):
    before = snapshot()

    plan = plan_of(roster_file(*TREE))

    assert plan.ok
    assert plan.count("create") == 5
    assert snapshot() == before


def test_dry_run_writes_nothing_but_says_what_it_would_do(roster):
    before = snapshot()

    plan = import_file(roster_file(*TREE, ["", "新村", "村", "青山县/城关镇", "", "新书记"]), dry_run=True)

    assert plan.ok
    assert (plan.count("create"), plan.count("update")) == (5, 1)
    assert snapshot() == before


def test_kind_counts_and_summary(roster):
    rows = [
        ["", "新村", "村", "青山县/城关镇", "", "新书记"],
        ["", "新村", "村", "绿水县/城关镇", "", ""],
        ["", "东村", "村", "绿水县/城关镇", "", ""],
        ["", "红旗镇", "乡镇", "绿水县", "", ""],
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:6]))

    assert plan.kind_counts() == [
        {"kind": "township", "label": "乡镇（街道）", "create": 1, "update": 0, "unchanged": 0},
        {"kind": "village", "label": "村（社区）", "create": 1, "update": 1, "unchanged": 1},
    ]
    summary = plan.summary()
    assert {
        k: summary[k] for k in ("file_name", "sheet", "header_row", "created", "updated", "unchanged")
    } == {
        "file_name": "名册.xlsx",
        "sheet": "名册",
        "header_row": 1,
        "created": 2,
        "updated": 1,
        "unchanged": 1,
    }
    assert summary["ignored_columns"] == ["A列“序号”"]
    assert summary["errors"] == []


def test_header_only_file_is_an_error_saying_there_are_no_rows():
    plan = import_file(roster_file([], [None, None, None]))

    assert not plan.ok
    assert plan.error_messages() == [
        "工作表 名册 第1行的表头下面没有数据行：文件中没有单位。请填写后再上传。"
    ]
    assert Unit.objects.count() == 0


def test_units_created_outside_the_import_are_matched_like_imported_ones(db):
    c = city("红山市")
    c_county = county(c, "红山县")
    town = township(c_county, "红旗镇")
    village(town, "东村")

    plan = import_file(roster_file(*TREE))

    assert plan.ok, plan.error_messages()
    assert (plan.count("create"), plan.count("unchanged"), plan.count("update")) == (1, 0, 4)
    assert Unit.objects.count() == 5
