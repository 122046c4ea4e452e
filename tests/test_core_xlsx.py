"""core.xlsx: what a cell holds, read the way the imports need it."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest

from core.xlsx import (
    CellValueError,
    ErrorValue,
    FormulaValue,
    open_workbook,
    read_name,
    read_text,
    read_words,
    sheet_rows,
)
from tests.xlsx_builder import make_xlsx, store_formula_results


def rows_of(data: bytes) -> list[tuple]:
    workbook = open_workbook(data)
    try:
        return list(sheet_rows(workbook.worksheets[0]))
    finally:
        workbook.close()


def test_rows_read_formulas_without_results_and_error_values_as_what_they_are():
    data = make_xlsx([["名称", "上级"], ["=B3", "#N/A"], ["青山县", None], [], [1.5, True]])

    assert rows_of(data) == [
        ("名称", "上级"),
        (FormulaValue("B3"), ErrorValue("#N/A")),
        ("青山县",),
        (),
        (1.5, True),
    ]


def test_a_formula_saved_with_its_result_reads_as_the_result():
    data = store_formula_results(make_xlsx([["名称"], ['="青山"&"县"']]), {"A2": "青山县"})

    assert rows_of(data) == [("名称",), ("青山县",)]


def test_rows_ignore_a_dimension_that_cuts_columns_off():
    data = make_xlsx([["单位名称", "单位类别", "上级单位"], ["青山县", "县", "云山市"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<dimension [^>]*/>", b'<dimension ref="A1:A1"/>', content)
                if b"<dimension" not in content:
                    content = content.replace(b"<sheetViews>", b'<dimension ref="A1:A1"/><sheetViews>', 1)
            out.writestr(info, content)

    assert rows_of(target.getvalue())[1] == ("青山县", "县", "云山市")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  青山县 ", "青山县"),
        (13800000000.0, "13800000000"),
        (dt.datetime(2022, 1, 15), "2022-01-15"),
    ],
)
def test_read_text_reads_any_value_a_user_can_see(value, text):
    assert read_text(value) == text


@pytest.mark.parametrize(
    ("value", "starts"),
    [
        (FormulaValue("A1&B1"), "单元格是公式（=A1&B1），文件中没有保存公式的计算结果"),
        (FormulaValue(""), "单元格是公式，"),
        (ErrorValue("#REF!"), "单元格是错误值“#REF!”"),
    ],
)
def test_read_text_refuses_what_has_no_value_to_read(value, starts):
    with pytest.raises(CellValueError) as exc:
        read_text(value)
    assert str(exc.value).startswith(starts)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (True, "逻辑值（TRUE）"),
        (False, "逻辑值（FALSE）"),
        (dt.datetime(2022, 1, 15, 9, 30), "日期或时间（2022-01-15 09:30）"),
        (dt.time(9, 30), "日期或时间"),
        (12345.678, "数字（12345.678）"),
        (42, "数字（42）"),
        (Decimal("1.5"), "数字（1.5）"),
    ],
)
def test_read_words_refuses_typed_values(value, kind):
    with pytest.raises(CellValueError) as exc:
        read_words(value)
    assert str(exc.value).startswith(f"单元格是{kind}")


@pytest.mark.parametrize("text", ["2022-01-15", "12345.678", "——", "是", "否", "TRUE", "false"])
def test_read_name_refuses_text_that_is_no_name(text):
    with pytest.raises(CellValueError):
        read_name(text)


@pytest.mark.parametrize("text", ["青山县", "8组", "ABC Ltd", "第1镇", "", "村(社区)"])
def test_read_name_takes_names(text):
    assert read_name(text) == text
