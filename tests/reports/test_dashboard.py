"""考核总览: the numbers checked against a computation of the test's own, and the pages per role."""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.domain.scoring import Grade
from assessment.models import Campaign, Deduction, GroupMember, ItemAssessment, Problem, Target
from assessment.selectors.scores import campaign_scores
from assessment.services.editing import LATEST
from reports.dashboard import (
    campaign_progress,
    common_problem_texts,
    comparison_with_previous,
    default_min_counties,
    problem_analysis,
)
from tests.factories import (
    CampaignFactory,
    ChecklistItemFactory,
    CriterionFactory,
    GroupFactory,
    UserFactory,
    add_member,
    add_target,
    county,
    township,
    village,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decide_all(target, items) -> None:
    for item in items:
        ItemAssessment.objects.update_or_create(
            target=target, item=item, defaults={"score_decided_at": timezone.now()}
        )


@pytest.fixture
def world(setup):
    """Three more counties, deductions that tie three of them, and problems across counties; every
    item decided except in 金山县, which nobody has touched."""
    campaign, admin = setup["campaign"], setup["admin"]
    c = setup["qingshan"].parent
    extra = [county(c, name) for name in ("白石区", "红河县", "金山县")]
    group = GroupFactory(campaign=campaign, name="市委第七考核组", end_date=dt.date(2022, 1, 16))
    targets = {t.unit.name: t for t in (setup["qs_target"], setup["lv_target"])}
    for unit in extra:
        targets[unit.name] = add_target(group, unit)
    item = setup["item"]  # 老干部工作, 25 points
    second = ChecklistItemFactory(
        campaign=campaign, order=2, title="落实网络安全工作责任制", full_score=Decimal("75")
    )
    CriterionFactory(item=second, points=None)
    deductions = {
        "青山县": [(item, "3")],
        "绿水县": [(item, "1.5"), (second, "1.5")],
        "白石区": [(second, "3")],
        "红河县": [(item, "30")],
    }
    for name, rows in deductions.items():
        for it, points in rows:
            Deduction.objects.create(
                target=targets[name], item=it, points=Decimal(points), reason="x", created_by=admin
            )
    town = township(setup["qingshan"], "河口镇")
    problems = [
        ("青山县", item, village(town, "上河村"), "组织生活"),
        ("绿水县", item, None, "组织生活"),
        ("白石区", second, None, ""),
    ]
    for name, it, unit, category in problems:
        Problem.objects.create(
            target=targets[name],
            item=it,
            unit=unit,
            text=f"{name}的问题",
            category=category,
            created_by=admin,
        )
    for name, target in targets.items():
        if name != "金山县":
            decide_all(target, (item, second))
    return {**setup, "targets": targets, "second": second}


def expected_totals(world) -> dict[str, Decimal | None]:
    """Computed here, not by assessment.selectors.scores: full marks minus deductions per item, floored at zero;
    no total while an item is undecided."""
    totals = {}
    for name, target in world["targets"].items():
        if ItemAssessment.objects.filter(target=target, score_decided_at__isnull=False).count() < 2:
            totals[name] = None
            continue
        total = Decimal(0)
        for item in (world["item"], world["second"]):
            taken = sum((d.points for d in Deduction.objects.filter(target=target, item=item)), Decimal(0))
            total += max(item.full_score - taken, Decimal(0))
        totals[name] = total
    return totals


def test_totals_ranks_and_grades_equal_an_independent_computation(world):
    totals = expected_totals(world)
    # 金山县: nothing recorded and nothing decided. Not 100 and first: no total at all.
    assert totals == {"青山县": 97, "绿水县": 97, "白石区": 97, "红河县": 75, "金山县": None}
    table = campaign_scores(world["campaign"])
    assert {r.unit_name: r.total for r in table.rows} == totals
    ranks = {r.unit_name: r.rank for r in table.rows}
    assert ranks == {
        "青山县": 1,
        "绿水县": 1,
        "白石区": 1,
        "红河县": 4,
        "金山县": None,
    }  # ties share, then skip
    assert {r.unit_name: r.grade for r in table.rows} == {
        "青山县": Grade.GOOD,
        "绿水县": Grade.GOOD,
        "白石区": Grade.GOOD,
        "红河县": Grade.AVERAGE,
        "金山县": None,
    }
    assert [r.unit_name for r in table.rows][-1] == "金山县"


def test_scores_page_shows_the_same_numbers_as_the_excel_summary(world):
    client = client_for(world["reviewer"])
    html = client.get(reverse("reports:scores", args=[world["campaign"].pk])).content.decode()
    page = dict(
        re.findall(
            r'class="fw-semibold">([^<]+)</a></td>.*?data-testid="total">(?:<span[^>]*>)?([^<]+)<', html, re.S
        )
    )
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:scores_xlsx", args=[world["campaign"].pk])).content)
    )
    sheet = workbook["总分排名"]
    header_row = next(
        i for i, row in enumerate(sheet.iter_rows(values_only=True), start=1) if "考核对象" in row
    )
    header = [c.value for c in sheet[header_row]]
    excel = {
        row[header.index("考核对象")]: row[next(i for i, h in enumerate(header) if str(h).startswith("总分"))]
        for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)
        if row[header.index("考核对象")] in world["targets"]
    }
    assert page["金山县"] == excel["金山县"] == "未评分"
    assert (
        {k: Decimal(v) for k, v in page.items() if k != "金山县"}
        == {k: Decimal(str(v)) for k, v in excel.items() if k != "金山县"}
        == {k: v for k, v in expected_totals(world).items() if v is not None}
    )


def test_scores_sort_and_filter(world):
    client = client_for(world["reviewer"])
    url = reverse("reports:scores", args=[world["campaign"].pk])
    html = client.get(url, {"sort": "total", "dir": "desc"}).content.decode()
    order = re.findall(r'class="fw-semibold">([^<]+)</a></td>', html)
    assert order[-2:] == ["红河县", "金山县"]  # a target without a total comes last either way
    html = client.get(url, {"grade": "average"}).content.decode()
    assert re.findall(r'class="fw-semibold">([^<]+)</a></td>', html) == ["红河县"]
    assert 'data-testid="rank">4</td>' in html  # the rank stays the campaign-wide rank
    html = client.get(url, {"grade": "incomplete"}).content.decode()
    assert re.findall(r'class="fw-semibold">([^<]+)</a></td>', html) == ["金山县"]
    assert '<span class="badge app-incomplete">未完成</span>' in html
    html = client.get(url, {"group": "市委第七考核组", "status": "drafting"}).content.decode()
    assert sorted(re.findall(r'class="fw-semibold">([^<]+)</a></td>', html)) == ["白石区", "红河县", "金山县"]


def test_scores_sort_by_an_item_column_from_its_header(world):
    client = client_for(world["reviewer"])
    url = reverse("reports:scores", args=[world["campaign"].pk])
    html = client.get(url).content.decode()
    headers = re.findall(r'<a href="\?sort=(item\d+)[^"]*"[^>]*>([^<]+)<', html)
    assert headers == [("item0", "老干部工作"), ("item1", "落实网络安全工作责任制")]
    html = client.get(url, {"sort": "item1"}).content.decode()
    order = re.findall(r'class="fw-semibold">([^<]+)</a></td>', html)
    assert order[:2] == ["白石区", "绿水县"]  # 72 and 73.5 of 75; the others have 75, 金山县 none
    assert order[-1] == "金山县"
    assert 'aria-sort="ascending"' in html.split("落实网络安全工作责任制")[0].rsplit("<th", 1)[1]
    html = client.get(url, {"sort": "item0", "dir": "desc"}).content.decode()
    assert re.findall(r'class="fw-semibold">([^<]+)</a></td>', html)[-2:] == ["红河县", "金山县"]  # 0 of 25


def test_progress_shows_state_completion_last_change_and_overdue(world):
    from assessment.services import findings

    target = world["targets"]["青山县"]
    findings.score_decide(
        target=target, item=world["item"], decided=True, version=LATEST, user=world["leader"]
    )
    findings.evaluation_lead_save(
        target=target, item=world["item"], lead="扎实", version=LATEST, user=world["leader"]
    )
    groups = campaign_progress(world["campaign"], today=dt.date(2022, 1, 20))
    rows = {r.target.unit.name: r for g in groups for r in g.rows}
    assert (rows["青山县"].done, rows["青山县"].total, rows["青山县"].last_by) == (1, 2, "钱组长")
    assert (
        rows["金山县"].overdue and not rows["青山县"].overdue
    )  # 第七组 ended 2022-01-16; 第五组 has no end date
    Target.objects.filter(pk=world["targets"]["金山县"].pk).update(status="submitted")
    rows = {
        r.target.unit.name: r
        for g in campaign_progress(world["campaign"], today=dt.date(2022, 1, 20))
        for r in g.rows
    }
    assert not rows["金山县"].overdue


def test_problem_analysis_counts_and_common_problems(world):
    analysis = problem_analysis(world["campaign"], min_counties=2)
    assert analysis.total == 3
    assert [(item.title, n, c) for item, n, c in analysis.by_item] == [
        ("老干部工作", 2, 2),
        ("落实网络安全工作责任制", 1, 1),
    ]
    assert dict(analysis.by_kind) == {"村（社区）": 1, "未指定单位": 2}
    assert dict(analysis.by_category) == {"组织生活": 2, "未分类": 1}
    assert analysis.by_rectification == [("未整改", 3)]
    assert analysis.counties == 5
    (common,) = analysis.common
    assert (common.item.title, common.counties, common.problems) == ("老干部工作", 2, 2)
    assert problem_analysis(world["campaign"], min_counties=3).common == []
    assert problem_analysis(world["campaign"]).min_counties == 2  # a fifth of 5 counties, at least 2


@pytest.mark.parametrize(("targets", "n"), [(0, 2), (3, 2), (10, 2), (11, 3), (150, 30)])
def test_the_default_n_is_a_fifth_of_the_counties(targets, n):
    assert default_min_counties(targets) == n


def test_common_problem_texts_side_by_side_first_five_per_county(world):
    item, admin = world["item"], world["admin"]
    qingshan = world["targets"]["青山县"]
    for i in range(6):
        Problem.objects.create(
            target=qingshan, item=item, text=f"青山县问题{i}", position=i + 1, created_by=admin
        )
    counties = common_problem_texts(world["campaign"], item)
    assert [(c.county, c.count, c.more) for c in counties] == [("绿水县", 1, 0), ("青山县", 7, 2)]
    assert counties[1].texts == ["青山县的问题", "青山县问题0", "青山县问题1", "青山县问题2", "青山县问题3"]
    assert common_problem_texts(world["campaign"], world["second"])[0].texts == ["白石区的问题"]


def test_common_problems_open_in_place_or_as_a_page(world):
    client = client_for(world["reviewer"])
    page = client.get(reverse("reports:problems", args=[world["campaign"].pk])).content.decode()
    detail = reverse("reports:common_problems", args=[world["campaign"].pk, world["item"].pk])
    assert page.count('data-testid="common-item"') == 1 and f'hx-get="{detail}"' in page
    assert "2 个县（区），2 个问题" in page and "绿水县的问题" not in page
    fragment = client.get(detail, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.count('data-testid="common-county"') == 2
    assert "绿水县的问题" in fragment and "青山县的问题" in fragment
    full = client.get(detail).content.decode()
    assert "<html" in full and "共性问题：老干部工作" in full and "绿水县的问题" in full
    wider = client.get(reverse("reports:problems", args=[world["campaign"].pk]), {"n": "1"}).content.decode()
    assert wider.count('data-testid="common-item"') == 2
    for bad in ("x", "0", "-3"):
        response = client.get(reverse("reports:problems", args=[world["campaign"].pk]), {"n": bad})
        assert response.status_code == 200


def test_common_problems_of_an_item_of_another_campaign_is_404(world):
    other = CampaignFactory(title="2023年度党建工作年终考核", year=2023)
    foreign = ChecklistItemFactory(campaign=other, order=1, title="别的项目")
    url = reverse("reports:common_problems", args=[world["campaign"].pk, foreign.pk])
    assert client_for(world["reviewer"]).get(url).status_code == 404
    assert client_for(world["member"]).get(url).status_code == 403


def test_comparison_with_the_previous_campaign(world):
    assert comparison_with_previous(world["campaign"])[1] is None
    html = (
        client_for(world["reviewer"])
        .get(reverse("reports:compare", args=[world["campaign"].pk]))
        .content.decode()
    )
    assert 'data-testid="no-previous"' in html
    before = CampaignFactory(title="2020年度党建工作年终考核", year=2020, status=Campaign.Status.CLOSED)
    old_item = ChecklistItemFactory(campaign=before, order=1, title="老干部工作", full_score=Decimal("25"))
    ChecklistItemFactory(campaign=before, order=2, title="落实网络安全工作责任制", full_score=Decimal("75"))
    old_group = GroupFactory(campaign=before)
    old_target = add_target(old_group, world["qingshan"])
    Deduction.objects.create(
        target=old_target, item=old_item, points=Decimal("1"), reason="x", created_by=world["admin"]
    )
    # 金山县 was complete last year (100) but is untouched this year: nothing to compare yet.
    decide_all(add_target(old_group, world["targets"]["金山县"].unit), before.items.all())
    table, comparison = comparison_with_previous(world["campaign"])
    assert [r.total for r in table.rows] == [r.total for r in campaign_scores(world["campaign"]).rows]
    assert comparison.previous == before
    assert comparison.rows == [] and comparison.pending == ["金山县", "青山县"]  # 青山县 undecided in 2020
    decide_all(old_target, before.items.all())
    table, comparison = comparison_with_previous(world["campaign"])
    assert comparison.pending == ["金山县"]
    (row,) = comparison.rows
    assert (row.county, row.before, row.now, row.delta) == ("青山县", 99, 97, -2)
    assert (row.worst.title, row.worst.delta) == ("老干部工作", -2)
    assert comparison.item_titles == ["老干部工作", "落实网络安全工作责任制"] and row.deltas == [-2, 0]
    assert (row.worst.now, row.worst.before) == (22, 24)
    html = (
        client_for(world["reviewer"])
        .get(reverse("reports:compare", args=[world["campaign"].pk]))
        .content.decode()
    )
    assert "金山县尚有未评分的项目，总分未定，暂不对比。" in html
    rows = html.split('data-testid="compare-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 1 and "金山县" not in rows


def test_empty_campaign_pages_render(setup):
    empty = CampaignFactory(title="2023年度党建工作年终考核", year=2023)
    from assessment.models import CampaignReviewer

    CampaignReviewer.objects.create(campaign=empty, user=setup["reviewer"])
    client = client_for(setup["reviewer"])
    for name in ("dashboard", "scores", "compare", "problems", "charts", "scores_xlsx"):
        assert client.get(reverse(f"reports:{name}", args=[empty.pk])).status_code == 200, name


def test_charts_carry_the_tables_numbers(world):
    html = (
        client_for(world["admin"])
        .get(reverse("reports:charts", args=[world["campaign"].pk]))
        .content.decode()
    )
    data = json.loads(
        re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    table = campaign_scores(world["campaign"])
    assert [(r["county"], r["total"], r["rank"], r["provisional"]) for r in data["ranking"]] == [
        (r.unit_name, None if r.total is None else float(r.total), r.rank, not r.complete) for r in table.rows
    ]
    assert data["ranking"][-1] == {
        "county": "金山县",
        "total": None,
        "rank": None,
        "grade": "",
        "provisional": True,
        "note": "未评分",
    }
    assert data["items"] == ["（1）老干部工作（已评分 4/5）", "（2）落实网络安全工作责任制（已评分 4/5）"]
    assert data["item_min"] == [0.0, 72.0] and data["item_max"] == [
        25.0,
        75.0,
    ]  # 金山县's 25 and 75 not counted
    assert 'data-testid="chart-provisional-note"' in html
    assert data["problems"] == [2, 1]


def test_group_members_are_refused_the_dashboard(world):
    assert (
        client_for(world["member"]).get(reverse("reports:dashboard", args=[world["campaign"].pk])).status_code
        == 403
    )
    assert (
        client_for(world["outsider"])
        .get(reverse("reports:dashboard", args=[world["campaign"].pk]))
        .status_code
        == 404
    )


def test_dashboard_queries_do_not_grow_with_the_data(world):
    client = client_for(world["reviewer"])
    urls = [
        reverse(f"reports:{n}", args=[world["campaign"].pk])
        for n in ("dashboard", "scores", "problems", "charts")
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            result.append(len(q))
        return result

    before = counts()
    group = GroupFactory(campaign=world["campaign"], name="市委第八考核组")
    add_member(group, UserFactory(), role=GroupMember.Role.LEADER)
    for i in range(10):
        target = add_target(group, county(world["qingshan"].parent, f"新县{i}"))
        for _ in range(3):
            Deduction.objects.create(
                target=target, item=world["second"], points=1, reason="x", created_by=world["admin"]
            )
            Problem.objects.create(target=target, item=world["item"], text="问题", created_by=world["admin"])
    assert counts() == before
    assert max(before) <= 12
