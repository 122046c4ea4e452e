"""Importing a checklist workbook (assessment.importing): shapes, headers, 合计, errors, replacing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.importing import checklist_as_json, checklist_import, checklist_plan
from assessment.models import Campaign, ChecklistChange, ChecklistItem, Criterion
from core.numbers import points_text
from tests.factories import (
    ChecklistItemFactory,
    CriterionFactory,
    UserFactory,
)
from tests.xlsx_builder import make_xlsx

pytestmark = pytest.mark.django_db

SHEET = "考核项目清单"
TITLE = "2021年度党建工作年终考核项目清单"
HEADER = ["序号", "考核项目", "分值", "考核内容及评分标准", "要点分值", "考核方式", "牵头单位"]

# (title, score, lead, [(criterion, points, method), ...]): four items, 40 points.
ITEMS = [
    (
        "落实全面从严治党主体责任",
        15,
        "市委组织部",
        [
            ("党委（党组）每年专题研究全面从严治党工作不少于2次，少1次扣1分", 5, "资料印证"),
            ("制定落实全面从严治党主体责任清单，未制定的扣2分", 5, "资料印证"),
            ("领导班子成员履行“一岗双责”，发现未落实的每人次扣0.5分", 5, "个别走访"),
        ],
    ),
    (
        "党的统一战线工作和民族宗教工作",
        10,
        "市委统战部",
        [
            ("学习宣传贯彻《中国共产党统一战线工作条例》，未开展的扣2分", 4, "资料印证"),
            ("党外代表人士队伍建设，未按规定安排的扣1分", None, "座谈了解"),
        ],
    ),
    ("老干部工作", 5, "市委老干部局", [("县委常委会每年专题研究老干部工作，未研究的扣2分", 5, "资料印证")]),
    (
        "落实网络安全工作责任制",
        10,
        "市委网信办",
        [
            ("把网络安全工作责任制落实情况纳入实绩考核，未纳入的扣2分", 6, "资料印证"),
            ("组织开展网络安全宣传周活动，未开展的扣1分", 4, "实地调研"),
        ],
    ),
]


def _cents(value) -> str | None:
    return points_text(None if value is None else Decimal(value))


EXPECTED = [
    {
        "order": n,
        "title": title,
        "full_score": _cents(score),
        "lead_department": lead,
        "note": "",
        "criteria": [
            {"order": k, "text": text, "points": _cents(points), "method": method}
            for k, (text, points, method) in enumerate(criteria, start=1)
        ],
    }
    for n, (title, score, lead, criteria) in enumerate(ITEMS, start=1)
]


def item_rows(items=ITEMS, *, repeat: bool = False) -> list[list]:
    """Data rows: the item cells on the first row of each item only, or repeated on every row."""
    rows = []
    for n, (title, score, lead, criteria) in enumerate(items, start=1):
        for k, (text, points, method) in enumerate(criteria):
            if k == 0 or repeat:
                rows.append([n, title, score, text, points, method, lead])
            else:
                rows.append([None, None, None, text, points, method, None])
    return rows


def checklist_file(*rows, header=HEADER, title_rows=(TITLE,), **kwargs) -> bytes:
    return make_xlsx([header, *rows], sheet=SHEET, title_rows=title_rows, **kwargs)


def merge_item_cells(data: bytes, items=ITEMS, first_row: int = 3) -> bytes:
    """Merge 序号, 考核项目, 分值 and 牵头单位 vertically over each item's rows, as real checklists do."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET]
    row = first_row
    for _title, _score, _lead, criteria in items:
        last = row + len(criteria) - 1
        if last > row:
            for column in (1, 2, 3, 7):
                sheet.merge_cells(start_row=row, start_column=column, end_row=last, end_column=column)
        row = last + 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_of(data: bytes, campaign=None):
    return checklist_plan(data=data, file_name="清单.xlsx", campaign=campaign)


def import_into(campaign, data: bytes, **kwargs):
    user = kwargs.pop("user", None) or UserFactory(username="importer")
    return checklist_import(data=data, file_name="清单.xlsx", campaign=campaign, user=user, **kwargs)


def only_error(plan) -> str:
    messages = plan.error_messages()
    assert len(messages) == 1, messages
    return messages[0]


def where(row: int, label: str, letter: str) -> str:
    return f"工作表 {SHEET} 第{row}行 “{label}”（{letter}列）："


@pytest.fixture
def campaign():
    return Campaign.objects.create(title="2021年度党建工作年终考核", year=2021)


@pytest.fixture
def old_checklist(campaign):
    """An existing checklist of two items: what a failed import must leave alone."""
    first = ChecklistItemFactory(campaign=campaign, order=1, title="旧项目一", full_score=Decimal("20"))
    second = ChecklistItemFactory(campaign=campaign, order=2, title="旧项目二", full_score=Decimal("30"))
    CriterionFactory(item=first, order=1, text="旧标准一", points=Decimal("5"))
    CriterionFactory(item=second, order=1, text="旧标准二", points=None, method="资料印证")
    return checklist_as_json(campaign)


def assert_nothing_written(campaign, before: list[dict]) -> None:
    assert checklist_as_json(campaign) == before
    assert ChecklistItem.objects.count() == len(before)
    assert Criterion.objects.count() == sum(len(i["criteria"]) for i in before)
    assert not ChecklistChange.objects.exists()


# -- shapes --------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["first_row_only", "repeated", "merged"])
def test_the_three_shapes_of_item_cells_give_the_same_checklist(campaign, shape):
    rows = item_rows(repeat=shape == "repeated")
    data = checklist_file(*rows, ["合计", None, 40])
    if shape == "merged":
        data = merge_item_cells(data)

    plan = import_into(campaign, data)

    assert plan.ok, plan.error_messages()
    assert plan.as_json() == EXPECTED
    assert checklist_as_json(campaign) == EXPECTED
    assert (len(plan.items), plan.criterion_count, plan.total) == (4, 8, Decimal("40"))
    assert [i.row for i in plan.items] == [3, 6, 8, 9]
    assert [c.row for c in plan.items[1].criteria] == [6, 7]


def test_import_records_a_checklist_change(campaign):
    user = UserFactory(username="lisi")

    import_into(campaign, checklist_file(*item_rows()), user=user)

    change = ChecklistChange.objects.get()
    assert (change.campaign, change.action, change.reason, change.changed_by) == (
        campaign,
        "导入清单",
        "导入文件 清单.xlsx",
        user,
    )
    assert (change.item_title, change.before, change.after) == ("", [], EXPECTED)


def test_criterion_text_keeps_its_line_breaks_and_is_cleaned(campaign):
    text = "  1.每年专题研究不少于2次；\n\n2.未研究的  扣1分 \r\n"
    plan = import_into(campaign, checklist_file([1, " 老干部 工作 ", "5分", text, "2 分", " 资料印证 ", ""]))

    assert plan.ok, plan.error_messages()
    item = ChecklistItem.objects.get()
    criterion = item.criteria.get()
    assert (item.title, item.full_score, item.lead_department) == ("老干部工作", Decimal("5.00"), "")
    assert (criterion.text, criterion.points, criterion.method) == (
        "1.每年专题研究不少于2次；\n2.未研究的扣1分",  # no space between Chinese characters
        Decimal("2.00"),
        "资料印证",
    )


def test_an_item_title_row_without_criterion_text_is_followed_by_its_criteria(campaign):
    rows = [
        [1, "老干部工作", 5, None, None, None, "市委老干部局"],
        [None, None, None, "标准甲", 2, "资料印证", None],
    ]

    plan = import_into(campaign, checklist_file(*rows))

    assert plan.ok, plan.error_messages()
    assert [(c.row, c.order, c.text) for c in plan.items[0].criteria] == [(4, 1, "标准甲")]


def test_scores_may_be_written_as_text_with_fen_or_full_width_digits(campaign):
    rows = [
        [1, "项目甲", "15分", "标准甲", "２．５", "", ""],
        [2, "项目乙", "１０", "标准乙", 0.1 + 0.2, "", ""],  # a formula's binary noise: 0.30000000000000004
        [3, "项目丙", 7.5, "标准丙", "7.50分", "", ""],
    ]

    plan = import_into(campaign, checklist_file(*rows, ["合计", None, "32.5"]))

    assert plan.ok, plan.error_messages()
    assert [(i.full_score, i.criteria[0].points) for i in plan.items] == [
        (Decimal("15.00"), Decimal("2.50")),
        (Decimal("10.00"), Decimal("0.30")),
        (Decimal("7.50"), Decimal("7.50")),
    ]


def test_plan_without_a_campaign_reads_the_file_and_writes_nothing():
    plan = plan_of(checklist_file(*item_rows()))

    assert plan.ok, plan.error_messages()
    assert plan.as_json() == EXPECTED
    assert plan.replaced_items == 0
    assert not ChecklistItem.objects.exists()


def test_dry_run_writes_nothing(campaign, old_checklist):
    plan = import_into(campaign, checklist_file(*item_rows()), dry_run=True)

    assert plan.ok, plan.error_messages()
    assert plan.replaced_items == 2
    assert_nothing_written(campaign, old_checklist)


# -- finding the table -----------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "项目", "分数", "评分标准", "细则分值", "检查方式", "责任单位"],
        ["编号", "考核指标", "标准分", "评分细则", "要点分值", "考核方式", "牵头单位"],
        ["序号", "考核项目（必填）", "*分值", "考核 要点", "细则分值", "检查方式", "责任单位"],
        ["序号", "考核项目", "分值", "考核内容", "要点分值", "考核方式", "牵头单位"],
    ],
    ids=["short", "alternative", "decorated", "content"],
)
def test_header_synonyms_are_accepted(campaign, header):
    plan = import_into(campaign, checklist_file(*item_rows(), header=header))

    assert plan.ok, plan.error_messages()
    assert checklist_as_json(campaign) == EXPECTED


def test_only_the_required_columns_are_needed(campaign):
    rows = [["老干部工作", 5, "标准甲"], [None, None, "标准乙"]]

    plan = import_into(campaign, checklist_file(*rows, header=["考核项目", "分值", "考核内容及评分标准"]))

    assert plan.ok, plan.error_messages()
    assert checklist_as_json(campaign) == [
        {
            "order": 1,
            "title": "老干部工作",
            "full_score": "5",
            "lead_department": "",
            "note": "",
            "criteria": [
                {"order": 1, "text": "标准甲", "points": None, "method": ""},
                {"order": 2, "text": "标准乙", "points": None, "method": ""},
            ],
        }
    ]


def test_header_below_title_rows_after_an_instructions_sheet(campaign):
    instructions = [["填写说明"], ["考核项目", "必填"], ["分值", "必填"]]
    data = checklist_file(
        *item_rows(),
        title_rows=[TITLE, "（2022年1月）"],
        extra_sheets_before={"说明": instructions},
    )

    plan = import_into(campaign, data)

    assert plan.ok, plan.error_messages()
    assert (plan.table.sheet, plan.table.header_row, plan.table.other_sheets) == (SHEET, 3, ["说明"])
    assert [i.row for i in plan.items] == [4, 7, 9, 10]


def test_serial_and_unknown_columns_are_ignored_and_listed(campaign):
    header = [*HEADER, "备注说明"]
    rows = [[*row, "不导入"] for row in item_rows()]

    plan = import_into(campaign, checklist_file(*rows, header=header))

    assert plan.ok, plan.error_messages()
    assert plan.ignored_columns() == ["A列“序号”", "H列“备注说明”"]
    assert checklist_as_json(campaign) == EXPECTED


def test_missing_required_column_is_a_file_error(campaign):
    data = checklist_file(["老干部工作", 5, "市委老干部局"], header=["考核项目", "分值", "牵头单位"])

    plan = import_into(campaign, data)

    assert plan.file_error == (
        f"工作表 {SHEET} 第2行的表头缺少必需的列“考核内容及评分标准”。可用的列名"
        "（考核内容及评分标准：考核内容及评分标准、评分标准、评分细则、考核要点、考核内容）。"
    )
    assert not ChecklistItem.objects.exists()


def test_no_header_is_a_file_error(campaign):
    plan = import_into(campaign, make_xlsx([["姓名", "职务"], ["张三", "书记"]]))

    assert plan.error_messages() == [
        "在文件各工作表的前10行中都找不到考核项目清单的表头。"
        "表头应包含“考核项目”、“分值”、“考核内容及评分标准”等列，请使用系统提供的模板。"
    ]


def test_a_header_without_items_is_a_file_error(campaign, old_checklist):
    plan = import_into(campaign, checklist_file(["合计", None, None]))

    assert plan.file_error == f"工作表 {SHEET} 第2行的表头下面没有考核项目，请填写后再导入。"
    assert_nothing_written(campaign, old_checklist)


def test_a_file_that_is_not_a_workbook_is_a_file_error(campaign):
    plan = import_into(campaign, b"not a workbook")

    assert plan.file_error == "文件不是 Excel 工作簿（.xlsx）。请上传用 Excel 或 WPS 保存的 .xlsx 文件。"


# -- the 合计 row -----------------------------------------------------------------


@pytest.mark.parametrize(
    "total_row",
    [
        ["合计", None, 40],
        ["合 计", None, "40分"],
        [None, "总计", 40.0],
        [None, "合计：", "40"],
        ["总分", "", 40],
        ["合计分值", None, 40],
    ],
)
def test_a_total_row_matching_the_items_ends_the_table(campaign, total_row):
    rows = [*item_rows(), total_row, [], ["注：考核结果按百分制折算", None, None, "说明文字"]]

    plan = import_into(campaign, checklist_file(*rows))

    assert plan.ok, plan.error_messages()
    assert (plan.total_row, plan.stated_total) == (11, Decimal("40"))
    assert plan.notes == ["第11行是合计行，其后第13行的1行内容未读取。"]
    assert checklist_as_json(campaign) == EXPECTED


def test_a_wrong_total_is_an_error(campaign, old_checklist):
    plan = import_into(campaign, checklist_file(*item_rows(), ["合计", None, 45]))

    assert only_error(plan) == where(11, "分值", "C") + "合计分值45分与各考核项目分值之和40分不一致"
    assert_nothing_written(campaign, old_checklist)


def test_a_non_numeric_total_is_an_error(campaign):
    plan = import_into(campaign, checklist_file(*item_rows(), ["合计", None, "四十"]))

    assert only_error(plan) == where(11, "分值", "C") + "合计分值“四十”不是有效的数字，请填写如 10 或 10分"


def test_a_total_row_without_a_score_is_noted(campaign):
    plan = import_into(campaign, checklist_file(*item_rows(), ["合计", None, None]))

    assert plan.ok, plan.error_messages()
    assert plan.total_row == 11
    assert plan.notes == ["合计行（第11行）没有填写分值，未核对总分。"]


def test_without_a_total_row_the_table_runs_to_the_end(campaign):
    plan = import_into(campaign, checklist_file(*item_rows(), []))

    assert plan.ok, plan.error_messages()
    assert (plan.total_row, plan.stated_total, plan.notes) == (None, None, [])


def test_the_total_is_not_checked_when_an_item_score_is_wrong(campaign):
    rows = [[1, "项目甲", "十分", "标准甲", None, "", ""], [2, "项目乙", 5, "标准乙", None, "", ""]]

    plan = import_into(campaign, checklist_file(*rows, ["合计", None, 15]))

    assert only_error(plan) == where(3, "分值", "C") + "分值“十分”不是有效的数字，请填写如 10 或 10分"


# -- errors in the rows --------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("十五", "分值“十五”不是有效的数字，请填写如 10 或 10分"),
        ("15分左右", "分值“15分左右”不是有效的数字，请填写如 10 或 10分"),
        (0, "分值必须大于0（填写的是“0”）"),
        (-5, "分值必须大于0（填写的是“-5”）"),
        ("-5分", "分值必须大于0（填写的是“-5分”）"),
        ("15.555", "分值“15.555”最多保留两位小数"),
        (2.675, "分值“2.675”最多保留两位小数"),
        (10000, "分值“10000”过大，不能超过9999.99"),
        (True, "分值“是”不是有效的数字，请填写如 10 或 10分"),
    ],
)
def test_a_bad_item_score_is_an_error(campaign, old_checklist, score, message):
    rows = [[1, "老干部工作", score, "标准甲", None, "", ""]]

    plan = import_into(campaign, checklist_file(*rows))

    assert only_error(plan) == where(3, "分值", "C") + message
    assert_nothing_written(campaign, old_checklist)


def test_an_item_without_a_score_is_an_error(campaign):
    plan = import_into(campaign, checklist_file([1, "老干部工作", None, "标准甲", None, "", ""]))

    assert only_error(plan) == where(3, "分值", "C") + "考核项目“老干部工作”的分值为空"


def test_bad_criterion_points_are_errors(campaign):
    rows = [
        [1, "老干部工作", 5, "标准甲", "两分", "", ""],
        [None, None, None, "标准乙", 0, "", ""],
    ]

    plan = import_into(campaign, checklist_file(*rows))

    assert plan.error_messages() == [
        where(3, "要点分值", "E") + "要点分值“两分”不是有效的数字，请填写如 10 或 10分",
        where(4, "要点分值", "E") + "要点分值必须大于0（填写的是“0”）",
    ]


def test_criterion_points_above_the_item_score_are_an_error(campaign, old_checklist):
    rows = item_rows()
    rows[3][4], rows[4][4] = 5, 7  # 统一战线工作: 5 + 7 = 12 > 10

    plan = import_into(campaign, checklist_file(*rows))

    assert only_error(plan) == where(6, "要点分值", "E") + (
        "考核项目“党的统一战线工作和民族宗教工作”各条评分标准的要点分值合计12分，超过了该项目的分值10分"
    )
    assert_nothing_written(campaign, old_checklist)


def test_criterion_points_equal_to_the_item_score_are_fine(campaign):
    rows = [[1, "老干部工作", 5, "标准甲", 2.5, "", ""], [None, None, None, "标准乙", "2.5分", "", ""]]

    plan = import_into(campaign, checklist_file(*rows))

    assert plan.ok, plan.error_messages()
    assert plan.items[0].points_total == Decimal("5")


def test_an_item_without_criterion_text_is_an_error(campaign, old_checklist):
    rows = [*item_rows(), [5, "党建工作创新", 5, None, None, "", "市委组织部"]]

    plan = import_into(campaign, checklist_file(*rows))

    assert (
        only_error(plan)
        == where(11, "考核内容及评分标准", "D") + "考核项目“党建工作创新”没有考核内容及评分标准"
    )
    assert_nothing_written(campaign, old_checklist)


def test_a_title_repeated_after_another_item_is_a_duplicate(campaign, old_checklist):
    rows = [
        *item_rows(),
        [5, "老干部工作", 5, "另一条标准", None, "", ""],
        [None, None, None, "再一条", None, "", ""],
    ]

    plan = import_into(campaign, checklist_file(*rows))

    assert only_error(plan) == where(11, "考核项目", "B") + (
        "考核项目“老干部工作”与第8行重复：同一考核项目只能填写一处，它的各条评分标准应写在紧接着的行中"
    )
    assert_nothing_written(campaign, old_checklist)


def test_titles_differing_only_in_spacing_are_duplicates(campaign):
    rows = [[1, "老干部工作", 5, "标准甲", None, "", ""], [2, "网络安全", 5, "标准乙", None, "", ""]]
    rows.append([3, "老干部 工作", 5, "标准丙", None, "", ""])

    plan = import_into(campaign, checklist_file(*rows))

    assert only_error(plan).startswith(where(5, "考核项目", "B") + "考核项目“老干部工作”与第3行重复")


def test_criterion_text_before_any_item_is_an_error(campaign):
    rows = [[None, None, None, "没有所属项目的标准", 2, "", ""], *item_rows()]

    plan = import_into(campaign, checklist_file(*rows))

    assert only_error(plan) == where(3, "考核项目", "B") + (
        "考核项目为空：本行之前还没有考核项目，请填写本行所属的考核项目"
    )


def test_a_different_score_or_lead_on_a_later_row_of_the_item_is_an_error(campaign):
    rows = [
        [1, "老干部工作", 5, "标准甲", None, "", "市委老干部局"],
        [1, "老干部工作", "5分", "标准乙", None, "", "市委老干部局"],
        [1, "老干部工作", 6, "标准丙", None, "", "市委组织部"],
    ]

    plan = import_into(campaign, checklist_file(*rows))

    assert plan.error_messages() == [
        where(5, "分值", "C") + "分值“6”与本考核项目第3行的“5”不一致，一个考核项目只能有一个分值",
        where(5, "牵头单位", "G")
        + "牵头单位“市委组织部”与本考核项目第3行的“市委老干部局”不一致，一个考核项目只能有一个牵头单位",
    ]


def test_points_or_method_without_criterion_text_is_an_error(campaign):
    rows = [[1, "老干部工作", 5, "标准甲", None, "", ""], [None, None, None, None, 2, "资料印证", None]]

    plan = import_into(campaign, checklist_file(*rows))

    assert only_error(plan) == where(4, "考核内容及评分标准", "D") + (
        "本行填写了“要点分值”、“考核方式”，但考核内容及评分标准为空"
    )


def test_too_long_texts_are_errors(campaign):
    rows = [[1, "项" * 201, 5, "标准甲", None, "方" * 201, "单" * 101]]

    plan = import_into(campaign, checklist_file(*rows))

    assert plan.error_messages() == [
        where(3, "考核项目", "B") + "内容过长（201个字），不能超过200个字",
        where(3, "考核方式", "F") + "内容过长（201个字），不能超过200个字",
        where(3, "牵头单位", "G") + "内容过长（101个字），不能超过100个字",
    ]


def test_every_error_is_reported_at_once_top_to_bottom(campaign):
    rows = [
        [1, "项目甲", 0, "标准甲", None, "", ""],
        [2, "项目乙", 5, None, None, "", ""],
        [3, "项目甲", 5, "标准丙", None, "", ""],
    ]

    plan = import_into(campaign, checklist_file(*rows))

    assert plan.error_messages() == [
        where(3, "分值", "C") + "分值必须大于0（填写的是“0”）",
        where(4, "考核内容及评分标准", "D") + "考核项目“项目乙”没有考核内容及评分标准",
        where(5, "考核项目", "B")
        + "考核项目“项目甲”与第3行重复：同一考核项目只能填写一处，它的各条评分标准应写在紧接着的行中",
    ]
    assert plan.summary()["errors"] == plan.error_messages()


# -- replacing a checklist ------------------------------------------------------------


def test_a_header_without_any_row_says_there_are_no_rows(campaign, old_checklist):
    plan = import_into(campaign, checklist_file())

    assert (
        plan.file_error == f"工作表 {SHEET} 第2行的表头下面没有数据行：文件中没有考核项目。请填写后再上传。"
    )
    assert_nothing_written(campaign, old_checklist)


def test_formula_cells_without_results_are_named_as_formulas(campaign, old_checklist):
    rows = item_rows(ITEMS[:1])
    rows[0][1] = "=H3"  # the title
    rows[1][3] = "=H4"  # a criterion

    plan = import_into(campaign, checklist_file(*rows))

    formula = "，文件中没有保存公式的计算结果。请在 Excel 或 WPS 中复制这些单元格，“选择性粘贴”为数值后保存，再重新上传"
    assert plan.error_messages() == [
        where(3, "考核项目", "B") + "单元格是公式（=H3）" + formula,
        where(4, "考核内容及评分标准", "D") + "单元格是公式（=H4）" + formula,
    ]
    assert_nothing_written(campaign, old_checklist)


def test_a_formula_saved_with_its_result_reads_as_the_result(campaign):
    from tests.xlsx_builder import store_formula_results

    rows = item_rows(ITEMS[2:3])
    rows[0][1] = '="老干部"&"工作"'
    data = store_formula_results(checklist_file(*rows), {"B3": "老干部工作"})

    plan = import_into(campaign, data)

    assert plan.ok, plan.error_messages()
    assert list(campaign.items.values_list("title", flat=True)) == ["老干部工作"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (1, dt.datetime(2022, 1, 15), "单元格是日期或时间（2022-01-15），不是文字"),
        (1, "2022-01-15", "“2022-01-15”只有数字和符号，不是名称"),
        (1, True, "单元格是逻辑值（TRUE），不是文字"),
        (6, 12345.678, "单元格是数字（12345.678），不是文字"),
        (6, "是", "“是”不是名称（像是“是/否”的填写）"),
        (3, dt.datetime(2022, 1, 15), "单元格是日期或时间（2022-01-15），不是文字"),
        (5, "#REF!", "单元格是错误值“#REF!”（公式出错）"),
    ],
)
def test_dates_numbers_booleans_and_error_values_in_text_columns_are_refused(
    campaign, old_checklist, column, value, message
):
    rows = item_rows(ITEMS[2:3])
    rows[0][column] = value

    plan = import_into(campaign, checklist_file(*rows))

    label, letter = {
        1: ("考核项目", "B"),
        3: ("考核内容及评分标准", "D"),
        5: ("考核方式", "F"),
        6: ("牵头单位", "G"),
    }[column]
    assert only_error(plan).startswith(where(3, label, letter) + message)
    assert_nothing_written(campaign, old_checklist)
