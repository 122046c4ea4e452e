"""reports.xlsx.score_workbook, read back with openpyxl: every number equals the hand computation."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessment.models import ItemAssessment, Problem, Target, TypicalExample
from reports.xlsx import SHEETS, score_workbook, score_workbook_name
from tests.factories import township
from tests.reports.test_scores import EXPECTED, EXPECTED_ORDER, ITEMS, build_campaign, bulk_campaign

pytestmark = pytest.mark.django_db

D = Decimal
TITLE = "2021年度党建工作年终考核"


def dec(value) -> Decimal:
    """A number read back from a cell, as the Decimal it was written from."""
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return D(str(value))


@pytest.fixture
def data() -> dict:
    data = build_campaign()
    targets, items, user = data["targets"], data["items"], data["user"]
    qs, hh = targets["青山县"], targets["红河县"]
    town = township(qs.unit, "城关镇")
    problem = {"created_by": user}
    Problem.objects.create(target=qs, item=items[1], position=0, text="问题乙", **problem)
    Problem.objects.create(target=qs, item=items[0], position=2, text="问题甲二", **problem)
    Problem.objects.create(
        target=qs,
        item=items[0],
        position=1,
        text="问题甲一",
        unit=town,
        category="组织建设",
        owner_unit="县委组织部",
        deadline=dt.date(2022, 3, 31),
        rectification=Problem.Rectification.DONE,
        rectification_note="已完成整改",
        **problem,
    )
    Problem.objects.create(target=hh, item=items[2], text='=HYPERLINK("http://example.com")', **problem)
    TypicalExample.objects.create(target=qs, position=2, title="第二个典型", body="内容二")
    TypicalExample.objects.create(target=qs, position=1, title="第一个典型", body="内容一", unit=town)
    TypicalExample.objects.create(target=hh, position=0, title="=1+1", body="响铃\x07字符")
    Target.objects.filter(pk=hh.pk).update(status=Target.Status.FINALIZED)
    return data


AS_OF = dt.date(2022, 1, 14)
STATE = "（截至2022年1月14日，8 个考核对象未定稿）"  # 9 targets, 红河县 finalized


@pytest.fixture
def workbook(data):
    return load_workbook(io.BytesIO(score_workbook(data["campaign"], as_of=AS_OF)))


def body(sheet, first_row: int = 3, last_row: int | None = None) -> list[tuple]:
    return list(sheet.iter_rows(min_row=first_row, max_row=last_row, values_only=True))


def test_sheets_titles_frozen_headers_and_print_setup(workbook):
    assert workbook.sheetnames == ["总分排名", "得分明细", "问题清单", "典型经验"] == list(SHEETS)
    titles = ["得分汇总", "得分明细", "问题清单", "典型经验"]
    for sheet, suffix in zip(workbook.worksheets, titles, strict=True):
        assert sheet["A1"].value == f"{TITLE}{suffix}\n{STATE}"
        assert any(r.min_row == r.max_row == 1 and r.min_col == 1 for r in sheet.merged_cells.ranges)
        assert sheet.print_title_rows == "$2:$2"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.auto_filter.ref.startswith("A2:")
        assert all(sheet.column_dimensions[c].width > 5 for c in "ABC")
    assert [s.freeze_panes for s in workbook.worksheets] == ["A3", "C3", "A3", "A3"]
    # Portrait where the columns fit the page's width, landscape where they do not.
    assert [s.page_setup.orientation for s in workbook.worksheets] == [
        "portrait",
        "portrait",
        "landscape",
        "landscape",
    ]


def test_ranking_sheet_has_every_total_rank_and_grade(workbook):
    sheet = workbook["总分排名"]
    assert [c.value for c in sheet[2]] == [
        "排名",
        "考核对象",
        "考核组",
        "总分（满分100分）",
        "得分率（%）",
        "等级",
        "状态",
    ]
    rows = body(sheet, last_row=2 + len(EXPECTED))
    assert [r[1] for r in rows] == EXPECTED_ORDER
    for rank, name, _group, total, percent, grade, status in rows:
        _scores, expected_total, expected_rank, expected_grade = EXPECTED[name]
        assert (rank, dec(total), dec(percent), grade) == (
            expected_rank,
            D(expected_total),
            D(expected_total),
            str(expected_grade.label),
        ), name
        assert status == ("已定稿" if name == "红河县" else "填报中")
    assert sheet.auto_filter.ref == f"A2:G{2 + len(EXPECTED)}"
    assert sheet.cell(row=4, column=4).number_format == "General"
    assert sheet.cell(row=4, column=5).number_format == "General"  # 95.5, not 95.50
    notes = [r[0] for r in body(sheet, first_row=3 + len(EXPECTED)) if r[0]]
    assert notes == [
        "注：等级按得分率（总分÷满分×100）划分：90及以上为好，80及以上为较好，60及以上为一般，低于60为差；总分相同的名次并列。",
        "有 8 个考核对象尚未定稿（见“状态”列），其得分可能还会调整。",
    ]


def test_scores_read_back_as_written(workbook):
    """37 comes back as 37, 93.5 as 93.5 and 24.99 as 24.99: no float noise, no "37.00"."""
    sheet = workbook["得分明细"]
    values = {row[1]: row for row in body(sheet, last_row=2 + len(EXPECTED))}
    assert values["红河县"][2:] == (40, 35, 25, 100)
    assert all(isinstance(v, int) for v in values["红河县"][2:])
    assert values["金沙县"][4:] == (24.99, 89.99)
    assert values["青山县"][5] == 93.5


def test_matrix_sheet_has_every_score_and_the_statistics_rows(workbook):
    sheet = workbook["得分明细"]
    header = [c.value for c in sheet[2]]
    assert header == [
        "排名",
        "考核对象",
        "（一）落实全面从严治党主体责任（40分）",
        "（二）基层党组织建设（35分）",
        "（三）老干部工作（25分）",
        "总分（满分100分）",
    ]
    count = len(EXPECTED)
    rows = body(sheet, last_row=2 + count)
    assert [r[1] for r in rows] == EXPECTED_ORDER
    for rank, name, *cells in rows:
        scores, total, expected_rank, _grade = EXPECTED[name]
        assert rank == expected_rank
        assert [dec(v) for v in cells] == [D(s) for s in scores] + [D(total)], name

    stats = {r[0]: r for r in body(sheet, first_row=3 + count)}
    assert list(stats) == ["平均分", "最低分", "最高分"]
    columns = [[D(EXPECTED[n][0][i]) for n in EXPECTED] for i in range(len(ITEMS))]
    columns.append([D(EXPECTED[n][1]) for n in EXPECTED])
    expected_average = [(sum(c) / len(c)).quantize(D("0.01")) for c in columns]
    assert [dec(v) for v in stats["平均分"][2:]] == expected_average
    assert expected_average == [D("26.56"), D("31.11"), D("24.78"), D("82.44")]  # by hand
    assert [dec(v) for v in stats["最低分"][2:]] == [min(c) for c in columns]
    assert [dec(v) for v in stats["最高分"][2:]] == [max(c) for c in columns]
    assert sheet.cell(row=3 + count, column=3).number_format == "General"  # 26.56 and 37, never 37.00
    assert sheet.auto_filter.ref == f"A2:F{2 + count}"  # the statistics stay out of the filter


def test_problem_sheet_lists_every_problem_by_county_item_and_position(workbook):
    sheet = workbook["问题清单"]
    assert [c.value for c in sheet[2]] == [
        "考核对象",
        "考核项目",
        "问题",
        "涉及单位",
        "问题类别",
        "责任单位",
        "整改时限",
        "整改状态",
        "整改情况",
    ]
    rows = body(sheet)
    # 红 U+7EA2 before 青 U+9752; within 青山县: item 1 (positions 1, 2), then item 2.
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("红河县", "老干部工作", '=HYPERLINK("http://example.com")'),
        ("青山县", "落实全面从严治党主体责任", "问题甲一"),
        ("青山县", "落实全面从严治党主体责任", "问题甲二"),
        ("青山县", "基层党组织建设", "问题乙"),
    ]
    assert rows[1][3:] == (
        "城关镇",
        "组织建设",
        "县委组织部",
        dt.datetime(2022, 3, 31),
        "已整改",
        "已完成整改",
    )
    assert rows[2][7] == "未整改"
    assert sheet.cell(row=4, column=7).number_format == 'yyyy"年"m"月"d"日"'
    assert sheet.auto_filter.ref == "A2:I6"


def test_example_sheet_numbers_each_targets_examples(workbook):
    sheet = workbook["典型经验"]
    assert [c.value for c in sheet[2]] == ["考核对象", "序号", "标题", "内容", "相关单位"]
    assert body(sheet) == [
        ("红河县", 1, "=1+1", "响铃字符", None),
        ("青山县", 1, "第一个典型", "内容一", "城关镇"),
        ("青山县", 2, "第二个典型", "内容二", None),
    ]


def test_formula_like_text_stays_text(workbook):
    problem = workbook["问题清单"]["C3"]
    example = workbook["典型经验"]["C3"]
    assert (problem.value, problem.data_type) == ('=HYPERLINK("http://example.com")', "s")
    assert (example.value, example.data_type) == ("=1+1", "s")


def test_formula_like_names_and_titles_stay_text():
    data = build_campaign({"=2+2县": {}}, items=[("=SUM(A1:A9)", "100")], title="=年度考核", year=2023)
    workbook = load_workbook(io.BytesIO(score_workbook(data["campaign"], as_of=AS_OF)))

    assert (workbook["总分排名"]["A1"].value, workbook["总分排名"]["A1"].data_type) == (
        "=年度考核得分汇总\n（截至2022年1月14日，1 个考核对象未定稿）",
        "s",
    )
    assert (workbook["总分排名"]["B3"].value, workbook["总分排名"]["B3"].data_type) == ("=2+2县", "s")
    header = workbook["得分明细"]["C2"]
    assert header.value == "（一）=SUM(A1:A9)（100分）" and header.data_type == "s"


def test_a_bonus_column_appears_when_the_campaign_allows_bonuses(data):
    campaign = data["campaign"]
    campaign.bonus_enabled, campaign.bonus_cap = True, D(5)
    campaign.save()
    ItemAssessment.objects.filter(target=data["targets"]["高山县"], item=data["items"][0]).update(
        bonus=D("1.5")
    )

    sheet = load_workbook(io.BytesIO(score_workbook(campaign)))["总分排名"]
    assert [c.value for c in sheet[2]][3:5] == ["加分", "总分（满分100分）"]
    row = next(r for r in body(sheet) if r[1] == "高山县")
    assert (dec(row[3]), dec(row[4]), row[6]) == (D("1.5"), D("61.5"), "一般")


def test_an_empty_campaign_gives_headers_only():
    data = build_campaign({}, items=[], title="2030年度党建工作年终考核", year=2030)
    workbook = load_workbook(io.BytesIO(score_workbook(data["campaign"])))

    assert workbook.sheetnames == list(SHEETS)
    assert [c.value for c in workbook["总分排名"][2]][3] == "总分"
    assert [c.value for c in workbook["得分明细"][2]] == ["排名", "考核对象", "总分"]
    assert [r[0] for r in body(workbook["得分明细"])] == ["平均分", "最低分", "最高分"]
    assert body(workbook["问题清单"]) == [] and body(workbook["典型经验"]) == []


def test_file_name():
    data = build_campaign({})
    assert score_workbook_name(data["campaign"]) == "2021年度党建工作年终考核得分汇总.xlsx"


def test_query_count_does_not_grow_with_the_campaign():
    small, large = bulk_campaign(6, title="小"), bulk_campaign(60, title="大")
    counts = []
    for campaign in (small, large):
        with CaptureQueriesContext(connection) as captured:
            score_workbook(campaign)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 8
    sheet = load_workbook(io.BytesIO(score_workbook(large)))["问题清单"]
    assert sheet.max_row == 2 + 60 * 4
