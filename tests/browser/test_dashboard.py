"""A reviewer works the 考核总览 in a real browser: sort, filter, open a county, come back."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import CampaignReviewer, Deduction, ItemAssessment, Problem
from tests.browser.conftest import login
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    ChecklistItemFactory,
    CriterionFactory,
    GroupFactory,
    UserFactory,
    add_target,
    city,
    county,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_sorts_filters_opens_a_county_and_returns(page, screenshot):
    admin = AdminFactory(username="guanli")
    reviewer = UserFactory(username="zhao", name="赵审核")
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    CampaignReviewer.objects.create(campaign=campaign, user=reviewer)
    item = ChecklistItemFactory(
        campaign=campaign, order=1, title="落实全面从严治党主体责任", full_score=Decimal("100")
    )
    CriterionFactory(item=item, points=None)
    c = city("云山市")
    group = GroupFactory(campaign=campaign, name="市委第五考核组")
    for name, deducted in (("青山县", "5"), ("绿水县", "15"), ("白石区", "45"), ("红河县", "15")):
        target = add_target(group, county(c, name))
        Deduction.objects.create(
            target=target, item=item, points=Decimal(deducted), reason="x", created_by=admin
        )
        Problem.objects.create(target=target, item=item, text=f"{name}党建责任清单未细化", created_by=admin)
        ItemAssessment.objects.create(target=target, item=item, score_decided_at=timezone.now())
    add_target(group, county(c, "金山县"))  # nobody has scored it: not first with 100, but 未完成 and last

    login(page, "zhao", "pass-for-tests-1")
    page.goto(f"{page.base_url}/reports/campaigns/{campaign.pk}/dashboard/scores/")
    rows = page.get_by_test_id("score-row")
    expect(rows).to_have_count(5)
    expect(rows.last).to_contain_text("金山县")
    expect(rows.last).to_contain_text("未完成")
    page.get_by_role("link", name="总分").click()  # ascending
    page.get_by_role("link", name="总分").click()  # descending
    expect(rows.first).to_contain_text("青山县")
    expect(rows.nth(3)).to_contain_text("白石区")
    expect(rows.last).to_contain_text("金山县")  # without a total, last either way
    ranks = [rows.nth(i).locator("td").first.inner_text() for i in range(5)]
    assert ranks == ["1", "2", "2", "4", "未完成"]  # 绿水县 and 红河县 tie

    page.get_by_label("等次").select_option("较好")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("score-table")).not_to_contain_text("青山县")
    screenshot("dashboard-scores-filtered")

    rows.first.get_by_role("link").click()
    expect(page.get_by_text("您以只读方式查看")).to_be_visible()
    page.go_back()
    expect(rows).to_have_count(2)
    page.get_by_role("link", name="图表").click()
    page.locator("#chart-ranking").wait_for()
    screenshot("dashboard-charts")

    # 共性问题: an item flagged in all four counties opens its texts in place.
    page.get_by_role("link", name="问题分析").click()
    common = page.get_by_test_id("common-item")
    expect(common).to_have_count(1)
    expect(common).to_contain_text("4 个县（区），4 个问题")
    common.locator("summary").click()
    expect(common.get_by_test_id("common-county")).to_have_count(4)
    expect(common).to_contain_text("白石区党建责任清单未细化")
    screenshot("dashboard-common-problems")
    assert not [m for m in page.console_messages if m.startswith("error")], page.console_messages
