"""Reading typed paper ballots from Excel (ballots.importing.read_paper_sheet): no database."""

from ballots.domain.counting import ABSTAIN, INVALID
from ballots.importing import Shape, read_paper_sheet
from tests.xlsx_builder import make_xlsx

SHAPE = Shape(
    subjects=[("1", ("城关镇",)), ("2", ("县教育局", "教育局"))],
    categories=["县级领导干部", "乡镇和县直部门主要负责人", "党代表和群众代表"],
    options=["好", "较好", "一般", "差"],
)
HEADER = ["序号", "测评人类别", "城关镇", "县教育局"]


def read(rows, **kwargs):
    return read_paper_sheet(
        data=make_xlsx(rows, title_rows=["2021年度民主测评票录入表"], **kwargs),
        file_name="票.xlsx",
        shape=SHAPE,
    )


def test_rows_read_with_blank_as_abstain_and_other_text_invalid():
    sheet = read(
        [
            HEADER,
            [1, "县级领导干部", "好", "较好"],
            [2, "党代表和群众代表", None, "好、较好"],
            [3, "乡镇和县直部门主要负责人", " 一般 ", "差"],
            [4, "党代表和群众代表", None, None],
            [5, "党代表和群众代表", "弃权", "?"],
        ]
    )
    assert sheet.error_messages() == []
    assert sheet.ok
    assert [(r.row, r.serial, r.category, r.marks) for r in sheet.rows] == [
        (3, "1", "县级领导干部", {"1": "好", "2": "较好"}),
        (4, "2", "党代表和群众代表", {"1": ABSTAIN, "2": INVALID}),
        (5, "3", "乡镇和县直部门主要负责人", {"1": "一般", "2": "差"}),
        (6, "4", "党代表和群众代表", {"1": ABSTAIN, "2": ABSTAIN}),
        (7, "5", "党代表和群众代表", {"1": ABSTAIN, "2": INVALID}),
    ]
    summary = sheet.summary()
    assert summary["ballots"] == 5
    assert summary["void"] == 3
    assert summary["invalid_cells"] == ["第4行 县教育局：“好、较好”", "第7行 县教育局：“?”"]


def test_columns_in_any_order_and_synonyms():
    sheet = read([["编号", "教育局", "类别", "城关镇"], [1, "好", "县级领导干部", "差"]])
    assert sheet.error_messages() == []
    assert sheet.rows[0].marks == {"1": "差", "2": "好"}


def test_errors_name_row_and_column_in_chinese():
    sheet = read(
        [
            HEADER,
            [1, "县级领导干部", "好", "好"],
            [1, "群众", "好", "好"],
            [None, "县级领导干部", "好", "好"],
            [4, None, "好", "好"],
        ]
    )
    assert not sheet.ok
    assert sheet.rows == [sheet.rows[0]]
    assert sheet.error_messages() == [
        "工作表 名册 第4行 “序号”（A列）：序号“1”与第3行重复。",
        "工作表 名册 第4行 “测评人类别”（B列）：测评人类别“群众”不是本次测评的类别"
        "（县级领导干部、乡镇和县直部门主要负责人、党代表和群众代表）。",
        "工作表 名册 第5行 “序号”（A列）：序号为空。每张纸质测评票都要有序号，复核时按序号查找。",
        "工作表 名册 第6行 “测评人类别”（B列）：测评人类别为空。请填写测评票上勾选的类别。",
    ]
    assert sheet.summary()["ballots"] == 0 and sheet.summary()["rows"] == []


def test_missing_and_unknown_subject_columns():
    sheet = read([["序号", "测评人类别", "城关镇", "县财政局"], [1, "县级领导干部", "好", "好"]])
    messages = sheet.error_messages()
    assert not sheet.ok
    assert messages == [
        "工作表 名册 第2行：表头缺少测评对象的列：县教育局。每个测评对象一列，列名为其单位名称。",
        "工作表 名册 第2行 “县财政局”（D列）：“县财政局”不是本次测评的对象，也不是可识别的列。请核对列名（应为测评对象的单位名称）。",
    ]


def test_not_a_workbook_and_no_rows():
    sheet = read_paper_sheet(data=b"not excel", file_name="票.xlsx", shape=SHAPE)
    assert not sheet.ok and "不是 Excel 工作簿" in sheet.error_messages()[0]
    empty = read([HEADER, [1], [2]])
    assert not empty.ok and "没有测评票" in empty.error_messages()[0]
    no_header = read([["姓名", "单位"], ["张三", "城关镇"]])
    assert not no_header.ok and "找不到测评票的表头" in no_header.error_messages()[0]
