"""The demo's three counties — 青山县 complete, 绿水县 half done, 白石区 untouched — give the same
numbers wherever a user meets them: the workspace (side list and header), 考核总览 (scores,
progress, charts, comparison), the Excel summary (read back with openpyxl) and the Word report
(read back with python-docx). Expected values are worked out by hand from the demo's data
(assessment/demo/findings_data.py: 40/25/15/20 less 1.5+0.5+1, 0, 0.5 and 1 for 青山县; 绿水县's
items 1 and 2 decided, 40 less 1 and 25), never taken from the code under test.
"""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from assessment.models import Campaign, Target
from core.numbers import points_text
from core.officialdoc import render_docx
from reports.context import build_report
from reports.xlsx import score_workbook

pytestmark = pytest.mark.django_db

UNSCORED = "未评分"
ITEMS = 4
# County → (item scores, the total as every page writes it, rank); None: not scored.
EXPECTED = {
    "青山县": (["37", "25", "14.5", "19"], "95.5", 1),
    "绿水县": (["39", "25", None, None], "暂计 64 分（2 项未评分）", None),
    "白石区": ([None, None, None, None], "未评分", None),
}
DONE = {"青山县": 4, "绿水县": 2, "白石区": 0}  # items done: decided, evaluated, problems for deductions


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture(scope="module")
def seen(django_db_setup, django_db_blocker) -> dict:
    """``load_demo``, then every page and file a user would look at, collected (the data is rolled
    back right after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", force=True, verbosity=0)
        campaign = Campaign.objects.get(title="2021年度党建工作年终考核")
        targets = {t.unit.name: t for t in Target.objects.filter(campaign=campaign).select_related("unit")}
        admin = _client("admin")
        out = {
            "workspace": {
                n: admin.get(reverse("campaigns:target", args=[t.pk])).content.decode()
                for n, t in targets.items()
            },
            "preview": {
                n: admin.get(reverse("reports:preview", args=[t.pk])).content.decode()
                for n, t in targets.items()
            },
            "docx": {n: render_docx(build_report(t)) for n, t in targets.items()},
            "xlsx": score_workbook(campaign, as_of=dt.date(2022, 1, 14)),
            "home": {u: _client(u).get("/").content.decode() for u in ("leader", "leader2", "leader3")},
        }
        reviewer = _client("reviewer")
        for page in ("scores", "dashboard", "charts", "compare"):
            out[page] = reviewer.get(reverse(f"reports:{page}", args=[campaign.pk])).content.decode()
        previous = Campaign.objects.get(year=2020)
        qingshan_2020 = Target.objects.get(campaign=previous, unit__name="青山县")
        out["docx_2020"] = render_docx(build_report(qingshan_2020))
        transaction.set_rollback(True)
    return out


# --- reading each place back ------------------------------------------------------------------------


def workspace_numbers(html: str) -> tuple[list[str | None], str, str]:
    """The side list's item scores, the header's total and its 已完成 n/m."""
    side = re.findall(r'data-testid="side-item">.*?<span class="text-nowrap small">(.*?)分 <i', html, re.S)
    scores = [None if UNSCORED in cell else _text(cell).split("/")[0] for cell in side]
    header = html.split('id="ws-total"', 1)[1].split("</div>", 1)[0]
    total = _text(re.search(r'data-testid="total">(.*?)</span>', header, re.S).group(1))
    done = re.search(r"已完成 (\d+/\d+) 项", header).group(1)
    return scores, total.removeprefix("得分 ").removesuffix(" / 100 分"), done


def dashboard_rows(html: str) -> dict[str, tuple]:
    rows = {}
    for chunk in html.split('<tr data-testid="score-row">')[1:]:
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", chunk.split("</tr>", 1)[0], re.S)]
        rank, county, _group, *items, total, grade, _status = cells
        rows[county] = ([None if c == UNSCORED else c for c in items[:ITEMS]], total, rank, grade)
    return rows


def excel_cell(value) -> str | None:
    """A score cell: a number as people write it, 未评分 (not scored) as None."""
    if value is None or value == UNSCORED:
        return None
    return excel_total(value)


def excel_total(value) -> str | None:
    """A total cell: a number as people write it, or the text it holds (暂计…, 未评分)."""
    if isinstance(value, int | float):
        return points_text(Decimal(str(value)))
    return value


def excel_rows(data: bytes) -> dict[str, tuple]:
    book = load_workbook(io.BytesIO(data))
    matrix = {
        row[1]: ([excel_cell(v) for v in row[2 : 2 + ITEMS]], excel_total(row[2 + ITEMS]), row[0])
        for row in book["得分明细"].iter_rows(min_row=3, max_row=5, values_only=True)
    }
    ranking = {row[1]: row for row in book["总分排名"].iter_rows(min_row=3, max_row=5, values_only=True)}
    return {county: (*matrix[county], ranking[county]) for county in matrix}


def report_scores(data: bytes) -> list[str | None]:
    """Each item's score as its 1.得分情况 says it: "考核得分37分", or None for "（尚未评分）"."""
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]
    scores = []
    for index, text in enumerate(paragraphs):
        if text == "1.得分情况":
            sentence = paragraphs[index + 1]
            found = re.search(r"考核得分([\d.]+)分", sentence)
            assert found or "（尚未评分）" in sentence, sentence
            scores.append(found.group(1) if found else None)
    return scores


def report_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


# --- the same numbers everywhere ----------------------------------------------------------------------


@pytest.mark.parametrize("county", list(EXPECTED))
def test_workspace_dashboard_excel_and_report_agree(seen, county):
    scores, total, rank = EXPECTED[county]

    ws_scores, ws_total, ws_done = workspace_numbers(seen["workspace"][county])
    assert (ws_scores, ws_total, ws_done) == (scores, total, f"{DONE[county]}/4")

    dash_scores, dash_total, dash_rank, dash_grade = dashboard_rows(seen["scores"])[county]
    assert dash_scores == scores
    assert dash_total == total
    assert dash_rank == ("1" if rank == 1 else "未完成")
    assert dash_grade == ("好" if rank == 1 else "")

    xl_scores, xl_total, xl_rank, ranking = excel_rows(seen["xlsx"])[county]
    assert (xl_scores, xl_total) == (scores, total)
    assert xl_rank == (1 if rank == 1 else "未完成")
    _rank, _county, _group, r_total, r_percent, r_grade, _status = ranking
    assert excel_total(r_total) == total
    assert (r_percent, r_grade) == ((95.5, "好") if rank == 1 else (None, None))

    assert report_scores(seen["docx"][county]) == scores


def test_the_complete_county_ranks_first_and_the_others_come_after_it_unranked(seen):
    assert list(dashboard_rows(seen["scores"])) == ["青山县", "白石区", "绿水县"]
    assert list(excel_rows(seen["xlsx"])) == ["青山县", "白石区", "绿水县"]
    assert 'data-testid="incomplete-note"' in seen["scores"]
    # Averages, minima and maxima of decided scores only: item 1 over 37 and 39, the total over 95.5.
    stats = dashboard_stats(seen["scores"])
    assert stats == [
        ("平均分", ["38", "25", "14.5", "19"], "95.5"),
        ("最低分", ["37", "25", "14.5", "19"], "95.5"),
        ("最高分", ["39", "25", "14.5", "19"], "95.5"),
    ]
    book = load_workbook(io.BytesIO(seen["xlsx"]))
    excel_stats = [
        (row[0], [excel_cell(v) for v in row[2 : 2 + ITEMS]], excel_cell(row[2 + ITEMS]))
        for row in book["得分明细"].iter_rows(min_row=6, max_row=8, values_only=True)
    ]
    assert excel_stats == stats


def dashboard_stats(html: str) -> list[tuple]:
    foot = html.split("<tfoot", 1)[1].split("</tfoot>", 1)[0]
    rows = []
    for chunk in foot.split("<tr>")[1:]:
        label = _text(re.search(r"<th[^>]*>(.*?)</th>", chunk).group(1))
        cells = [_text(c) for c in re.findall(r'<td class="text-end">(.*?)</td>', chunk)]
        rows.append((label, cells[:ITEMS], cells[ITEMS]))
    return rows


def test_progress_and_home_cards_count_the_same_items_done(seen):
    progress = seen["dashboard"]
    for county, done in DONE.items():
        row = progress.split(f">{county}</a>", 1)[1].split("</tr>", 1)[0]
        assert f"{done}/4" in row, county
    for username, county in (("leader", "青山县"), ("leader2", "绿水县"), ("leader3", "白石区")):
        card = seen["home"][username].split(f">{county}</h3>", 1)[1].split("</a>", 1)[0]
        assert f"已完成 {DONE[county]}/4 项" in card, county


def test_charts_mark_what_is_provisional(seen):
    data = json.loads(
        re.search(r'id="chart-data" type="application/json">(.*?)</script>', seen["charts"], re.S).group(1)
    )
    assert [(r["county"], r["total"], r["rank"], r["provisional"], r["note"]) for r in data["ranking"]] == [
        ("青山县", 95.5, 1, False, ""),
        ("白石区", None, None, True, "未评分"),
        ("绿水县", 64.0, None, True, "暂计 64 分（2 项未评分）"),
    ]
    assert data["item_min"] == [37.0, 25.0, 14.5, 19.0] and data["item_max"] == [39.0, 25.0, 14.5, 19.0]
    assert data["items"][2].endswith("（已评分 1/3）")
    assert data["item_titles"][2] == "（3）老干部工作"  # the problems chart: nothing about scoring


def test_the_comparison_with_2020_compares_only_the_complete_county(seen):
    html = seen["compare"]
    rows = html.split('data-testid="compare-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 1 and "青山县" in rows and "白石区" not in rows and "绿水县" not in rows
    # 2020: 青山县 lost 2, 0, 1 and 1.5 (95.5); 2021: 95.5 again.
    cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rows, re.S)]
    assert cells[:4] == ["青山县", "95.5", "95.5", "0"]
    assert "白石区、绿水县尚有未评分的项目，总分未定，暂不对比。" in html


# --- what the reports say -------------------------------------------------------------------------------


def test_the_untouched_report_claims_nothing_and_shows_what_is_to_be_written(seen):
    text = report_text(seen["docx"]["白石区"])
    assert "未扣分" not in text and "未发现" not in text and "尚未填写总体评价" not in text
    assert text.count("（尚未评分）") == 8  # each item's 得分情况 and 问题清单
    assert text.count("【待填写：总体评价】") == 4 and "【待填写：工作情况】" in text
    document = Document(io.BytesIO(seen["docx"]["白石区"]))
    marked = [p.text for p in document.paragraphs if p._p.xpath(".//w:highlight[@w:val='yellow']")]
    assert "【待填写：总体评价】" in marked and "该项满分40分（尚未评分）。" in marked
    preview = seen["preview"]["白石区"]
    assert preview.count('data-testid="placeholder"') == len(marked)
    box = preview.split('data-testid="report-warnings"', 1)[1].split("</ul>", 1)[0]
    assert "报告尚不完整" in box and box.count('data-testid="gap"') == 9  # 工作情况 + 4 × 2


def test_the_half_done_report_says_what_is_known_and_no_more(seen):
    text = report_text(seen["docx"]["绿水县"])
    assert "该项满分40分，考核得分39分，扣1分。" in text
    assert "该项满分25分，考核得分25分，未扣分。" in text
    assert "该项满分15分（尚未评分）。" in text and "该项满分20分（尚未评分）。" in text
    # Item 2 decided without deductions or problems: the one "no problem found" of the report.
    assert text.count("经考核，未发现该项存在明显问题。") == 1
    assert "一是" not in text.split("3.问题清单", 1)[1].split("（二）", 1)[0]  # one problem, no 一是


def test_the_complete_report_reads_as_the_seed(seen):
    text = report_text(seen["docx"]["青山县"])
    assert "（尚未评分）" not in text and "【待填写" not in text
    assert (
        "（2）青山县借助全媒体资源，每季度定期举办“青山先锋”发布会，将作出突出贡献的党员群众遴选展示出来"
        in text
    )
    assert "发布会。将" not in text
    assert 'data-testid="report-warnings"' not in seen["preview"]["青山县"]


def test_the_finalized_2020_report_lists_the_problem_behind_every_deduction(seen):
    text = report_text(seen["docx_2020"])
    sections = text.split("1.得分情况")[1:]
    assert len(sections) == 4
    for section in sections:
        problems = section.split("3.问题清单", 1)[1]
        if "，扣" in section.split("2.总体评价", 1)[0]:
            assert "未发现该项存在明显问题" not in problems
            assert "部分单位相关工作台账不完整" in problems
