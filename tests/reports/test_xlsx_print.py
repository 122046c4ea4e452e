"""reports.xlsx as it prints: fonts, number formats, row heights that fit their text, the print
setup, the titles' state of the work, the same bytes for the same data and date.

What LibreOffice draws of the demo's summary is checked by bench/print_layout.py (nothing cut,
nothing overlapping); these tests pin what the workbook says so that it can be drawn that way."""

import datetime as dt
import io
import math
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from assessment.models import Problem, Target, TypicalExample
from core import printed
from reports.xlsx import score_workbook
from tests.reports.test_scores import build_campaign

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2022, 1, 14)
LONG_PROBLEM = (
    "部分乡镇离退休干部党支部活动不够经常，形式较为单一，石桥乡离退休干部党支部主题党日未按月开展，"
    "组织生活会召开不规范，会议记录不完整，党员教育管理存在薄弱环节。" * 3
)
LONG_BODY = "第一段：全县61个村（社区）推选“院落长”860个。\n第二段：为群众办实事640件。\n第三段。"
LO_LINE = 15.8  # points: a line of 11 pt 宋体 as LibreOffice draws it (Noto Serif CJK)


@pytest.fixture
def data() -> dict:
    data = build_campaign({"青山县": {0: ["3"]}, "绿水县": {}, "白石区": {}})
    qs = data["targets"]["青山县"]
    Problem.objects.create(target=qs, item=data["items"][0], text=LONG_PROBLEM, created_by=data["user"])
    Problem.objects.create(target=qs, item=data["items"][1], text="问题", created_by=data["user"])
    TypicalExample.objects.create(target=qs, title="典型", body=LONG_BODY)
    return data


@pytest.fixture
def workbook(data):
    return load_workbook(io.BytesIO(score_workbook(data["campaign"], as_of=AS_OF)))


def cells(sheet):
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_cells_are_in_the_documents_fonts(data):
    content = score_workbook(data["campaign"], as_of=AS_OF)
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        title = sheet["A1"]
        assert (title.font.name, title.font.sz) == ("黑体", 16)
        assert {(c.font.name, c.font.sz) for c in sheet[2]} == {("黑体", 11)}  # the header
        body = [c for c in cells(sheet) if c.row > 2]
        assert body
        assert {c.font.name for c in body} <= {"宋体", "黑体"}, sheet.title  # 黑体: statistics' labels
        assert {c.font.sz for c in body} == {11}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert "Calibri" not in styles  # not even the default font, the unit of the column widths


def test_every_number_in_one_format_without_trailing_zeros(workbook):
    numbers = [c for s in workbook.worksheets for c in cells(s) if isinstance(c.value, int | float)]
    assert numbers
    for cell in numbers:
        assert cell.number_format == "General", cell.coordinate
        assert isinstance(cell.value, int) or not cell.value.is_integer(), cell.coordinate  # 37, not 37.0


def test_every_row_is_as_tall_as_its_text(workbook):
    for sheet in workbook.worksheets:
        for row in range(1, sheet.max_row + 1):
            assert sheet.row_dimensions[row].height, (sheet.title, row)  # none left to the reader
    # The title: the workbook's name and the state of the work on a second line, 16 pt.
    assert workbook["总分排名"].row_dimensions[1].height >= 2 * 16 * 1.4
    # The long problem: its characters, two units each, over a 36-unit column less its margin.
    problems = workbook["问题清单"]
    row = next(c.row for c in problems["C"] if c.value == LONG_PROBLEM)
    lines = math.ceil(2 * len(LONG_PROBLEM) / 35)
    assert problems.row_dimensions[row].height >= lines * LO_LINE
    short = next(c.row for c in problems["C"] if c.value == "问题")
    assert problems.row_dimensions[short].height < 2 * LO_LINE  # one line stays one line
    # The example's own line breaks count.
    examples = workbook["典型经验"]
    assert examples.row_dimensions[3].height >= 3 * LO_LINE
    # The header of the item columns wraps: （一）落实全面从严治党主体责任（40分） in 14 units.
    assert workbook["得分明细"].row_dimensions[2].height >= 3 * LO_LINE


def test_print_area_titles_page_and_footer(workbook):
    for sheet in workbook.worksheets:
        last = sheet.cell(row=2, column=sheet.max_column).column_letter
        assert sheet.print_area == f"'{sheet.title}'!$A$1:${last}${sheet.max_row}"  # the notes too
        assert sheet.print_title_rows == "$2:$2"
        setup = sheet.page_setup
        assert (int(setup.paperSize), int(setup.fitToWidth), int(setup.fitToHeight)) == (9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        margins = sheet.page_margins
        # The footer sits inside the bottom margin with room for its line, the header likewise.
        assert margins.bottom - margins.footer >= 0.4 and margins.top - margins.header >= 0.2
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert sheet.oddFooter.center.font.startswith("宋体")
    ranking = workbook["总分排名"]
    assert ranking.print_area.endswith(f"${ranking.max_row}")
    assert "名次并列" in ranking.cell(row=ranking.max_row - 1, column=1).value  # the notes are printed


def test_titles_say_how_many_targets_are_not_finalized_as_of_the_date(data, monkeypatch):
    sheets = load_workbook(io.BytesIO(score_workbook(data["campaign"], as_of=AS_OF))).worksheets
    assert [s["A1"].value.split("\n")[1] for s in sheets] == ["（截至2022年1月14日，3 个考核对象未定稿）"] * 4

    # Without a date: today where the project is (Asia/Shanghai).
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2022, 2, 1))
    sheet = load_workbook(io.BytesIO(score_workbook(data["campaign"]))).worksheets[0]
    assert sheet["A1"].value.endswith("（截至2022年2月1日，3 个考核对象未定稿）")

    Target.objects.filter(pk=data["targets"]["青山县"].pk).update(status=Target.Status.FINALIZED)
    sheet = load_workbook(io.BytesIO(score_workbook(data["campaign"], as_of=AS_OF))).worksheets[0]
    assert sheet["A1"].value.endswith("（截至2022年1月14日，2 个考核对象未定稿）")

    Target.objects.update(status=Target.Status.FINALIZED)
    for sheet in load_workbook(io.BytesIO(score_workbook(data["campaign"], as_of=AS_OF))).worksheets:
        assert "\n" not in sheet["A1"].value and "截至" not in sheet["A1"].value
        assert sheet.row_dimensions[1].height < 2 * 16 * 1.4  # one line


def test_same_data_and_date_same_bytes(data, monkeypatch):
    first = score_workbook(data["campaign"], as_of=AS_OF)

    class Later(dt.datetime):  # openpyxl stamps the file with datetime.now() when saving
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2030, 6, 1, 8, 30, tzinfo=tz)

    monkeypatch.setattr(dt, "datetime", Later)
    second = score_workbook(data["campaign"], as_of=AS_OF)
    monkeypatch.undo()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    properties = load_workbook(io.BytesIO(first)).properties
    assert properties.created == properties.modified == dt.datetime(2022, 1, 14)


def test_a_number_column_may_hold_text_styled_the_same():
    """A score column holds numbers and, for what is not scored, text (未评分, 暂计 68.5 分（1 项未评分）):
    the same font, alignment and format, and a row tall enough when the text wraps."""
    workbook = Workbook()
    sheet = workbook.active
    columns = [printed.Column("考核对象", 14), printed.Column("总分（满分100分）", 17, "score")]
    rows = [["青山县", Decimal("95.5")], ["绿水县", "暂计 68.5 分（1 项未评分）"], ["白石区", "未评分"]]
    printed.write_table(sheet, "得分", columns, rows, styles={})
    printed.finish_sheet(sheet, "")
    number, text, short = sheet["B3"], sheet["B4"], sheet["B5"]
    assert (number.value, text.value) == (95.5, "暂计 68.5 分（1 项未评分）")
    for cell in (text, short):
        assert cell._style == number._style  # font, border, alignment and format, all of it
    assert (number.font.name, number.alignment.horizontal, number.number_format) == (
        "宋体",
        "center",
        "General",
    )
    assert sheet.row_dimensions[4].height >= 2 * LO_LINE > sheet.row_dimensions[3].height
    assert sheet.row_dimensions[5].height == sheet.row_dimensions[3].height
