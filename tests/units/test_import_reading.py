"""The roster import reading real-world workbooks: finding the table, bad files, blank rows, messy text."""

import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from tests.units.roster_files import (
    HEADER,
    SHORT_HEADER,
    TREE,
    import_file,
    only_error,
    plan_of,
    roster_file,
    unit_at,
)
from tests.xlsx_builder import make_xlsx
from units.models import Unit

pytestmark = pytest.mark.django_db

# -- finding the table ---------------------------------------------------------


def test_tree_in_plain_file_is_created_with_parents_and_ancestry():
    plan = import_file(roster_file(*TREE))

    assert plan.ok, plan.error_messages()
    assert plan.count("create") == 5
    town = unit_at("红山市/红山县/红旗镇")
    east = unit_at("红山市/红山县/红旗镇/东村")
    assert town.kind == Unit.Kind.TOWNSHIP
    assert (town.org_type, town.secretary, town.contact) == ("committee", "王五", "0791-86000000")
    assert (east.kind, east.org_type, east.secretary, east.contact) == (
        Unit.Kind.VILLAGE,
        "branch",
        "张三",
        "13800000000",
    )
    assert unit_at("红山市/红山县/红旗镇/西村").note == "新建"
    # The materialized path follows the parents: root → county → township → village.
    root = unit_at("红山市")
    assert root.ancestry == "/"
    assert east.ancestry == f"/{root.pk}/{town.parent_id}/{town.pk}/"


def test_header_found_below_merged_title_rows():
    data = roster_file(*TREE, title_rows=["红山市单位名册", "（2024年12月）"])

    plan = import_file(data)

    assert plan.ok, plan.error_messages()
    assert plan.table.header_row == 3
    assert plan.count("create") == 5
    # Data rows are numbered as the user sees them in Excel: the first is row 4.
    assert [r.row for r in plan.rows] == [4, 5, 6, 7, 8]


def test_header_in_tenth_row_is_found():
    data = roster_file(*TREE[:1], title_rows=[f"标题{i}" for i in range(9)])

    plan = plan_of(data)

    assert plan.ok, plan.error_messages()
    assert plan.table.header_row == 10
    assert plan.rows[0].row == 11


def test_header_below_tenth_row_is_not_found():
    data = roster_file(*TREE[:1], title_rows=[f"标题{i}" for i in range(10)])

    plan = plan_of(data)

    assert not plan.ok
    assert plan.file_error == (
        "在文件各工作表的前10行中都找不到单位名册的表头。"
        "表头应包含“单位名称”、“单位类别”、“上级单位”等列，请使用系统提供的模板。"
    )


def test_data_sheet_after_an_instructions_sheet():
    instructions = [["填写说明"], [], ["单位名称", "必填"], ["单位类别", "必填，可填写市、县（区）……"]]
    data = roster_file(*TREE, extra_sheets_before={"说明": instructions}, extra_sheets_after={"备用": []})

    plan = import_file(data)

    assert plan.ok, plan.error_messages()
    assert plan.table.sheet == "名册"
    assert plan.table.other_sheets == ["说明", "备用"]
    assert plan.summary()["other_sheets"] == ["说明", "备用"]
    assert Unit.objects.count() == 5


def test_incomplete_header_on_an_instructions_sheet_does_not_hide_the_data_sheet():
    # The instructions sheet shows the column names in a row: it looks like a header missing columns.
    instructions = [["序号", "单位名称", "说明"], [1, "单位名称", "必填"]]
    data = roster_file(*TREE, extra_sheets_before={"说明": instructions})

    plan = plan_of(data)

    assert plan.ok, plan.error_messages()
    assert plan.table.sheet == "名册"


@pytest.mark.parametrize(
    "header",
    [
        ["单位名称", "单位类别", "上级单位", "党组织类型", "党组织书记", "联系电话", "备注"],
        ["名称", "类别", "上级党组织", "组织类型", "书记", "电话", "备注"],
        ["单位全称", "单位类型", "所属单位", "组织类型", "书记", "电话", "备注"],
        # Marks people add to headers: required notes, asterisks, stray (full-width) spaces, half-width parens.
        [
            "单位名称（必填）",
            "*单位类别",
            "上级 单位(必填)",
            " 党组织类型 ",
            "党组织\u3000书记",
            "联系电话",
            "备注",
        ],
    ],
    ids=["labels", "short", "alternative", "decorated"],
)
def test_header_synonyms_are_accepted(header):
    rows = [[name, kind, parent, org, sec, tel, note] for _, name, kind, parent, org, sec, tel, note in TREE]

    plan = import_file(roster_file(*rows, header=header))

    assert plan.ok, plan.error_messages()
    assert plan.ignored_columns() == []
    east = unit_at("红山市/红山县/红旗镇/东村")
    assert (east.org_type, east.secretary, east.contact) == ("branch", "张三", "13800000000")
    assert unit_at("红山市/红山县/红旗镇/西村").note == "新建"


def test_columns_may_come_in_any_order():
    header = ["上级单位", "备注", "单位类别", "单位名称"]

    plan = import_file(
        roster_file(["", "", "市", "红山市"], ["红山市", "县委", "县", "红山县"], header=header)
    )

    assert plan.ok, plan.error_messages()
    assert unit_at("红山市/红山县").note == "县委"


def test_serial_and_unknown_columns_are_ignored_and_listed():
    header = [*HEADER, "身份证号", "", "统计口径"]
    rows = [[*row, "110101199001011234", None, "甲"] for row in TREE]

    plan = import_file(roster_file(*rows, header=header))

    assert plan.ok, plan.error_messages()
    assert plan.ignored_columns() == ["A列“序号”", "I列“身份证号”", "K列“统计口径”"]
    assert plan.summary()["ignored_columns"] == plan.ignored_columns()
    assert Unit.objects.count() == 5
    assert not Unit.objects.filter(note__contains="1101").exists()


def test_missing_required_column_is_a_file_error():
    data = make_xlsx([["序号", "单位名称", "单位类别", "备注"], [1, "红山市", "市", ""]])

    plan = plan_of(data)

    assert not plan.ok
    assert plan.file_error == (
        "工作表 名册 第1行的表头缺少必需的列“上级单位”。可用的列名（上级单位：上级单位、上级党组织、所属单位）。"
    )
    assert plan.error_messages() == [plan.file_error]


def test_missing_columns_are_all_named():
    data = make_xlsx([["单位名称", "备注"], ["红山市", ""]], title_rows=["名册"])

    plan = plan_of(data)

    assert plan.file_error.startswith("工作表 名册 第2行的表头缺少必需的列“单位类别”、“上级单位”。")
    assert "单位类别：单位类别、类别、单位类型" in plan.file_error


def test_no_header_row_is_a_file_error():
    data = make_xlsx([["姓名", "职务", "电话"], ["张三", "书记", "13800000000"]])

    plan = plan_of(data)

    assert not plan.ok
    assert "找不到单位名册的表头" in plan.file_error
    assert "“单位名称”、“单位类别”、“上级单位”" in plan.file_error


def test_column_given_twice_is_a_file_error():
    data = make_xlsx([["单位名称", "名称", "单位类别", "上级单位"], ["红山市", "红山市", "市", ""]])

    plan = plan_of(data)

    assert plan.file_error == (
        "工作表 名册 第1行的表头有误：“单位名称”列出现了两次（A列和B列），请只保留一列。"
    )


# -- files that are not workbooks ---------------------------------------------------


def _valid_xlsx() -> bytes:
    return roster_file(*TREE)


def _docx_like_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


NOT_XLSX = "文件不是 Excel 工作簿（.xlsx）。请上传用 Excel 或 WPS 保存的 .xlsx 文件。"
CORRUPT = "文件已损坏，或不是 Excel 工作簿（例如改了扩展名的 .docx 或 .zip），无法读取。"


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (lambda: b"", "文件是空的（0 字节），请重新选择文件。"),
        (lambda: "单位名称,单位类别,上级单位\n红山市,市,\n".encode(), NOT_XLSX),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, NOT_XLSX),
        (
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
            "这是旧版 Excel 文件（.xls）或加密的工作簿，无法读取。",
        ),
        (lambda: _valid_xlsx()[:600], CORRUPT),
        (lambda: _valid_xlsx()[: len(_valid_xlsx()) - 40], CORRUPT),
        (_docx_like_zip, CORRUPT),
    ],
    ids=["empty", "csv-text", "png", "xls-ole", "truncated-early", "truncated-late", "docx-like-zip"],
)
def test_file_that_is_not_a_workbook_is_a_clear_file_error(make_data, message):
    before = Unit.objects.count()

    plan = import_file(make_data())

    assert not plan.ok
    assert message in plan.file_error
    assert plan.error_messages() == [plan.file_error]
    assert plan.rows == []
    assert Unit.objects.count() == before


def test_chart_sheet_before_the_data_sheet_does_no_harm():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(SHORT_HEADER)
    sheet.append(["红山市", "市", ""])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
    workbook.create_chartsheet("统计图", 0).add_chart(chart)
    buffer = io.BytesIO()
    workbook.save(buffer)

    # A chart sheet has no cells: it is skipped, not a traceback.
    plan = plan_of(buffer.getvalue())

    assert plan.ok, plan.error_messages()
    assert plan.table.sheet == "名册"


def test_corrupt_worksheet_inside_a_valid_zip_is_a_file_error():
    original = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]  # the sheet's XML stops mid-tag
            archive.writestr(item, content)

    # In read-only mode a sheet is parsed only while iterated: a damaged sheet is still a message.
    plan = plan_of(buffer.getvalue())

    assert not plan.ok
    assert "损坏" in plan.file_error


def test_more_rows_than_the_cap_is_a_file_error(monkeypatch):
    monkeypatch.setattr("core.xlsx.MAX_DATA_ROWS", 4)

    plan = import_file(roster_file(*TREE))

    assert not plan.ok
    assert plan.file_error == "工作表 名册 的数据超过 4 行的上限，请拆分成多个文件分别导入。"
    assert Unit.objects.count() == 0


def test_rows_up_to_the_cap_are_fine_and_blank_rows_do_not_count(monkeypatch):
    monkeypatch.setattr("core.xlsx.MAX_DATA_ROWS", 5)

    plan = import_file(roster_file(TREE[0], [], [None, " "], *TREE[1:], [], []))

    assert plan.ok, plan.error_messages()
    assert plan.count("create") == 5


def test_default_cap_is_one_hundred_thousand_rows():
    import core.xlsx

    assert core.xlsx.MAX_DATA_ROWS == 100_000


# -- blank rows and messy text ---------------------------------------------------------


def test_blank_rows_are_skipped_and_row_numbers_stay_true():
    rows = [TREE[0], [], [], TREE[1], [None] * 8, TREE[2], ["", "新村", "村", "不存在乡"]]

    plan = import_file(roster_file(*rows))

    assert Unit.objects.count() == 0
    assert only_error(plan) == (
        "工作表 名册 第8行 “上级单位”（D列）：找不到“不存在乡”，请检查名称或先添加该单位"
    )
    assert [r.row for r in plan.rows] == [2, 5, 7, 8]


def test_row_with_only_a_serial_number_is_blank():
    rows = [*TREE, [6], [7, None, None, ""], [8, "", "\u3000", "  "]]

    plan = import_file(roster_file(*rows))

    assert plan.ok, plan.error_messages()
    assert plan.count("create") == 5


def test_row_with_data_but_no_unit_name_is_an_error():
    rows = [*TREE, [6, "", "村", "红旗镇", "", "", "", "名称漏填"]]

    plan = import_file(roster_file(*rows))

    assert only_error(plan) == (
        "工作表 名册 第7行 “单位名称”（B列）：单位名称为空（本行有其他内容，单位名称必须填写）"
    )
    assert Unit.objects.count() == 0


def test_row_with_text_only_in_an_unknown_column_is_an_error_not_skipped():
    rows = [[*row, ""] for row in TREE] + [[6, None, None, None, None, None, None, None, "漏了名称"]]

    plan = plan_of(roster_file(*rows, header=[*HEADER, "其他"]))

    assert plan.error_messages()[0] == (
        "工作表 名册 第7行 “单位名称”（B列）：单位名称为空（本行有其他内容，单位名称必须填写）"
    )


def test_stray_and_full_width_spaces_are_cleaned():
    rows = [
        [1, " 红山市\u3000", " 市 ", "", "", "", "", ""],
        [2, "\u3000红山县", "县", "\u3000红山市 ", "", " 赵 六 ", " 13800000000 ", "  县委  "],
        [3, "红旗\u3000镇", "乡镇", "红山市 / 红山县", "", "", "", ""],
    ]

    plan = import_file(roster_file(*rows))

    assert plan.ok, plan.error_messages()
    assert sorted(Unit.objects.values_list("name", flat=True)) == ["红山县", "红山市", "红旗镇"]
    county_unit = unit_at("红山市/红山县")
    assert (county_unit.secretary, county_unit.contact, county_unit.note) == ("赵六", "13800000000", "县委")
    assert unit_at("红山市/红山县/红旗镇").kind == Unit.Kind.TOWNSHIP


def test_half_width_and_full_width_parentheses_are_the_same():
    rows = [
        [1, "红山市", "市", ""],
        [2, "红山县", "县(区)", "红山市"],
        [3, "红旗镇(街道)", "乡镇(街道)", "红山县"],
        [4, "东村（社区）", "村(社区)", "红旗镇（街道）"],
        [5, "西村(社区)", "村（社区）", "红旗镇(街道)"],
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert unit_at("红山市/红山县/红旗镇（街道）").kind == Unit.Kind.TOWNSHIP
    assert unit_at("红山市/红山县/红旗镇（街道）/西村（社区）").kind == Unit.Kind.VILLAGE
    # The same file with the other kind of parentheses matches the same units.
    swapped = [[n, name.translate(str.maketrans("()（）", "（）()")), *rest] for n, name, *rest in rows]
    again = import_file(roster_file(*swapped, header=HEADER[:4]))
    assert again.ok, again.error_messages()
    assert (again.count("create"), again.count("update"), again.count("unchanged")) == (0, 0, 5)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("县", Unit.Kind.COUNTY),
        ("区", Unit.Kind.COUNTY),
        ("县（区）", Unit.Kind.COUNTY),
        ("县(区)", Unit.Kind.COUNTY),
        (" 县 区 ", Unit.Kind.COUNTY),
        ("旗", Unit.Kind.COUNTY),
        ("自治县", Unit.Kind.COUNTY),
    ],
)
def test_county_kind_synonyms(text, kind):
    plan = import_file(
        roster_file(["", "红山市", "市", ""], ["", "红山县", text, "红山市"], header=HEADER[:4])
    )

    assert plan.ok, plan.error_messages()
    assert unit_at("红山市/红山县").kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("乡镇", Unit.Kind.TOWNSHIP),
        ("街道", Unit.Kind.TOWNSHIP),
        ("乡镇（街道）", Unit.Kind.TOWNSHIP),
        ("乡镇站所", Unit.Kind.TOWNSHIP_STATION),
        ("乡镇机关事业单位", Unit.Kind.TOWNSHIP_STATION),
        ("村", Unit.Kind.VILLAGE),
        ("社区", Unit.Kind.VILLAGE),
        ("村（社区）", Unit.Kind.VILLAGE),
        ("苏木", Unit.Kind.TOWNSHIP),
        ("乡(镇)", Unit.Kind.TOWNSHIP),
        ("嘎查", Unit.Kind.VILLAGE),
        ("村（居）", Unit.Kind.VILLAGE),
    ],
)
def test_township_and_village_kind_synonyms(roster, text, kind):
    parent = "青山县" if kind == Unit.Kind.TOWNSHIP else "青山县/城关镇"

    plan = import_file(roster_file(["", "新单位", text, parent], header=HEADER[:4]))

    assert plan.ok, plan.error_messages()
    assert Unit.objects.get(name="新单位").kind == kind


def test_org_type_synonyms():
    rows = [
        [1, "红山市", "市", "", "党委"],
        [2, "红山县", "县", "红山市", "党工委"],
        [3, "红旗镇", "乡镇", "红山县", "党 委"],
        [4, "东村", "村", "红旗镇", "支部"],
        [5, "西村", "村", "红旗镇", "党总支部"],
        [6, "南村", "村", "红旗镇", ""],
    ]

    plan = import_file(roster_file(*rows, header=HEADER[:5]))

    assert plan.ok, plan.error_messages()
    assert dict(Unit.objects.values_list("name", "org_type")) == {
        "红山市": "committee",
        "红山县": "working_committee",
        "红旗镇": "committee",
        "东村": "branch",
        "西村": "general_branch",
        "南村": "",
    }


def test_numbers_typed_as_numbers_are_read_as_text():
    rows = [
        [1, "红山市", "市", "", "", "", 13800000000, 2024],
        [2.0, "红山县", "县", "红山市", "", "", 13900000000.0, 1.5],
    ]

    plan = import_file(roster_file(*rows))

    assert plan.ok, plan.error_messages()
    assert (unit_at("红山市").contact, unit_at("红山市").note) == ("13800000000", "2024")
    assert (unit_at("红山市/红山县").contact, unit_at("红山市/红山县").note) == ("13900000000", "1.5")
