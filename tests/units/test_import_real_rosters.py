"""Rosters as they arrive: 党组织类型 as real rosters write it, one error per broken row however
many rows hang below it, and cells that hold something other than the text of a name."""

import datetime as dt

import pytest

from tests.units.roster_files import (
    HEADER,
    county_roster,
    import_file,
    only_error,
    plan_of,
    roster_file,
    snapshot,
    unit_at,
)
from tests.xlsx_builder import store_formula_results
from units.models import Unit

pytestmark = pytest.mark.django_db


# -- 党组织类型 as written -----------------------------------------------------------------


def test_a_county_roster_with_shi_wei_and_xian_wei_imports_whole():
    plan = import_file(roster_file(*county_roster()))

    assert plan.ok, plan.error_messages()
    assert plan.count("create") == 2 + 7 + 3 + 4 * (1 + 5 + 1)
    types = dict(Unit.objects.values_list("name", "org_type"))
    assert types["云山市"] == types["青山县"] == "committee"  # 市委, 县委
    assert types["第1镇"] == types["第2镇"] == "committee"  # 镇党委, 乡党委
    assert types["第3街道"] == "working_committee"  # 街道党工委
    assert types["县直机关工委"] == "working_committee"
    assert (types["县财政局"], types["县教育局"]) == (
        "leading_group",
        "committee",
    )  # 党组（党委）, 党委（党组）
    assert types["县融媒体中心"] == "general_branch"  # 党总支部委员会
    assert types["县档案馆"] == types["第1镇1村"] == "branch"  # 联合党支部, 党支部委员会
    assert types["县委办公室"] == "organ_branch"


def test_the_preview_says_how_each_spelling_is_recorded():
    rows = [
        [1, "云山市", "市", "", "市委"],
        [2, "青山县", "县", "云山市", "县委"],
        [3, "城关镇", "乡镇", "青山县", "镇党委"],
        [4, "东村", "村", "城关镇", "党支部委员会"],
        [5, "西村", "村", "城关镇", "党支部委员会"],
        [6, "南村", "村", "城关镇", "党支部"],
        [7, "北村", "村", "城关镇", "无"],
    ]

    summary = plan_of(roster_file(*rows, header=HEADER[:5])).summary()

    # Only what is written otherwise than its type's name; most rows first.
    assert summary["org_type_spellings"] == [
        {"label": "（空）", "spellings": [{"text": "无", "rows": 1}], "more": 0, "more_rows": 0},
        {
            "label": "党委",
            "spellings": [
                {"text": "县委", "rows": 1},
                {"text": "市委", "rows": 1},
                {"text": "镇党委", "rows": 1},
            ],
            "more": 0,
            "more_rows": 0,
        },
        {"label": "党支部", "spellings": [{"text": "党支部委员会", "rows": 2}], "more": 0, "more_rows": 0},
    ]


def test_each_units_own_organization_written_as_its_type_keeps_the_preview_short():
    rows = [[1, "青山县", "县", "", "县委"]]
    rows += [[n, f"县第{n}局", "县直机关单位", "青山县", f"中共青山县第{n}局党组"] for n in range(2, 40)]

    plan = plan_of(roster_file(*rows, header=HEADER[:5]))

    assert plan.ok, plan.error_messages()
    leading = next(g for g in plan.spelling_groups() if g["label"] == "党组")
    assert len(leading["spellings"]) == 8 and (leading["more"], leading["more_rows"]) == (30, 30)


def test_reimporting_a_roster_written_with_kin_changes_nothing():
    import_file(roster_file(*county_roster()))
    before = snapshot()

    plan = import_file(roster_file(*county_roster()))

    assert plan.ok and plan.count("unchanged") == len(county_roster())
    assert snapshot() == before


# -- one error per broken row ----------------------------------------------------------------


def test_a_broken_town_with_two_hundred_villages_is_one_error_and_one_line():
    rows = county_roster(broken_town_villages=200)
    town_row = next(n for n, r in enumerate(rows, start=2) if r[1] == "城关镇")

    plan = import_file(roster_file(*rows))

    assert plan.error_messages() == [
        f"工作表 名册 第{town_row}行 “上级单位”（D列）：找不到“清山县”，请检查名称或先添加该单位"
    ]
    assert plan.unchecked_messages() == [f"另有200行因上级单位第{town_row}行有错误未检查"]
    assert plan.summary()["unchecked"] == plan.unchecked_messages()
    assert Unit.objects.count() == 0


def test_each_broken_row_gets_its_own_line_and_grandchildren_count_under_the_first():
    rows = [
        ["", "红山县", "县", "", "县委"],
        ["", "甲镇", "乡镇", "红山县", "县政府"],  # row 3: not a party organization type
        ["", "甲村", "村", "甲镇", ""],
        ["", "甲村便民点", "社会组织", "甲村", ""],  # a grandchild of row 3
        ["", "乙镇", "乡镇", "不存在县", ""],  # row 6: unknown parent
        ["", "乙村", "村", "乙镇", ""],
        ["", "丙村", "村", "红山县/丙镇", ""],  # row 8: unknown parent, nobody below
    ]

    plan = plan_of(roster_file(*rows, header=HEADER[:5]))

    assert [m.split("：")[0] for m in plan.error_messages()] == [
        "工作表 名册 第3行 “党组织类型”（E列）",
        "工作表 名册 第6行 “上级单位”（D列）",
        "工作表 名册 第8行 “上级单位”（D列）",
    ]
    assert plan.unchecked_messages() == [
        "另有2行（第4行、第5行）因上级单位第3行有错误未检查",
        "另有1行（第7行）因上级单位第6行有错误未检查",
    ]


def test_a_broken_row_at_the_top_leaves_every_row_below_unchecked_in_one_line():
    rows = county_roster(townships=20, villages=30)
    rows[1][4] = "县人大"  # the county's 党组织类型: not a party organization

    plan = plan_of(roster_file(*rows))

    assert len(plan.error_messages()) == 1
    assert plan.unchecked_messages() == [f"另有{len(rows) - 2}行因上级单位第3行有错误未检查"]


# -- cells that are not the text of a name -------------------------------------------------------


def where(row: int, label: str, letter: str) -> str:
    return f"工作表 名册 第{row}行 “{label}”（{letter}列）："


def test_a_formula_without_its_result_is_named_as_a_formula_not_as_empty():
    data = roster_file(['="红"&"山市"', "市", ""], header=HEADER[1:4])

    plan = import_file(data)

    assert only_error(plan) == where(2, "单位名称", "A") + (
        '单元格是公式（="红"&"山市"），文件中没有保存公式的计算结果。'
        "请在 Excel 或 WPS 中复制这些单元格，“选择性粘贴”为数值后保存，再重新上传"
    )
    assert Unit.objects.count() == 0


def test_a_formula_saved_with_its_result_reads_as_the_result():
    data = roster_file(['="红"&"山市"', "市", ""], ["红山县", "县", "=A2"], header=HEADER[1:4])

    plan = import_file(store_formula_results(data, {"A2": "红山市", "C3": "红山市"}))

    assert plan.ok, plan.error_messages()
    assert unit_at("红山市/红山县").kind == Unit.Kind.COUNTY


def test_an_error_value_is_named_as_one():
    plan = plan_of(roster_file(["红山县", "县", "#N/A"], header=HEADER[1:4]))

    assert only_error(plan) == where(2, "上级单位", "C") + (
        "单元格是错误值“#N/A”（公式出错），请改正公式或直接填写内容后重新上传"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            dt.datetime(2022, 1, 15),
            "单元格是日期或时间（2022-01-15），不是文字。请检查是否填错了列；如确需填写，请把单元格格式设为“文本”后重新输入",
        ),
        (
            12345.678,
            "单元格是数字（12345.678），不是文字。请检查是否填错了列；如确需填写，请把单元格格式设为“文本”后重新输入",
        ),
        (True, "单元格是逻辑值（TRUE），不是文字。请检查是否填错了列，改为文字后重新上传"),
        ("2022-01-15", "“2022-01-15”只有数字和符号，不是名称"),
        ("12345.678", "“12345.678”只有数字和符号，不是名称"),
        ("是", "“是”不是名称（像是“是/否”的填写）"),
    ],
)
def test_dates_numbers_and_booleans_are_not_unit_names(value, message):
    plan = import_file(roster_file(["云山市", "市", ""], [value, "县", "云山市"], header=HEADER[1:4]))

    assert only_error(plan) == where(3, "单位名称", "A") + message
    assert Unit.objects.count() == 0


def test_a_date_in_the_parent_column_is_refused_not_looked_up():
    plan = plan_of(roster_file(["红山县", "县", dt.datetime(2022, 1, 15)], header=HEADER[1:4]))

    assert only_error(plan).startswith(where(2, "上级单位", "C") + "单元格是日期或时间（2022-01-15）")


def test_a_number_as_secretary_is_refused_while_a_phone_number_is_fine():
    rows = [["红山市", "市", "", "", 13800000000, 13800000000]]

    plan = plan_of(roster_file(*rows, header=HEADER[1:7]))

    assert only_error(plan).startswith(where(2, "党组织书记", "E") + "单元格是数字（13800000000）")


def test_a_date_typed_as_text_in_the_parent_column_is_refused_too():
    rows = [["云山市", "市", ""], [dt.datetime(2022, 1, 15), "县", "云山市"], ["东村", "村", "2022-01-15"]]

    plan = plan_of(roster_file(*rows, header=HEADER[1:4]))

    # Each row says what is wrong with its own cell.
    assert [m.split("：")[0] for m in plan.error_messages()] == [
        "工作表 名册 第3行 “单位名称”（A列）",
        "工作表 名册 第4行 “上级单位”（C列）",
    ]
