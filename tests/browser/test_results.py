"""综合评定 in a real browser: the administrator sets the scheme, enters 述职评议 scores, records a
bonus, confirms the results and fixes the 通报."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from results.models import Bulletin, Scheme
from tests.browser.conftest import login
from tests.factories import AdminFactory, ChecklistItemFactory, GroupFactory, add_target, city, county
from tests.results.helpers import finalize

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_runs_the_results_to_a_fixed_bulletin(page, screenshot):
    AdminFactory(username="guanli", name="管理员甲")
    yunshan = city("云山市")
    group = GroupFactory(name="市委第一考核组")
    campaign = group.campaign
    items = [ChecklistItemFactory(campaign=campaign, full_score=D(50)) for _ in range(2)]
    for name, deducted in (("青山县", D(3)), ("绿水县", D(12))):
        finalize(add_target(group, county(yunshan, name)), items, deducted)

    login(page, "guanli", "pass-for-tests-1")
    page.goto(f"{page.base_url}/results/{campaign.pk}/")
    page.get_by_role("button", name="建立考核办法").click()
    page.get_by_label("实地考核权重（%）").fill("80")
    page.get_by_label("民主测评权重（%）").fill("0")
    page.get_by_role("button", name="保存考核办法").click()
    expect(page.locator(".alert-success")).to_contain_text("考核办法已保存。")
    page.get_by_label("名称").fill("获省级以上表彰")
    page.get_by_label("每次分值").fill("1")
    page.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("scheme-items")).to_contain_text("获省级以上表彰")
    screenshot("results-scheme")

    page.get_by_role("link", name="述职评议得分").click()
    page.get_by_label("青山县").fill("92")
    page.get_by_label("绿水县").fill("85")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("述职评议得分已保存。")

    page.get_by_role("link", name="结果", exact=True).click()
    page.get_by_role("link", name="绿水县").click()
    page.get_by_label("项目").select_option(label="加分项 · 获省级以上表彰")
    page.get_by_label("事由").fill("获评全省党建工作先进县")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("awards")).to_contain_text("获评全省党建工作先进县")

    page.get_by_role("link", name="结果", exact=True).click()
    rows = page.get_by_test_id("result-row")
    # 青山县 97×0.8 + 92×0.2 = 96 好; 绿水县 88×0.8 + 85×0.2 = 87.4, +1 = 88.4 较好
    expect(rows.nth(0)).to_contain_text("青山县")
    expect(rows.nth(0).get_by_test_id("final-score")).to_have_text("96")
    expect(rows.nth(1).get_by_test_id("final-score")).to_have_text("88.4")
    page.get_by_role("button", name="确认结果并锁定").click()
    expect(page.get_by_test_id("results-state")).to_contain_text("已确认")
    assert Scheme.objects.get().is_confirmed
    screenshot("results-table")

    page.get_by_role("link", name="通报").click()
    page.get_by_role("button", name="起草通报").click()
    expect(page.get_by_label("正文")).to_contain_text("评定为“好”等次的是：青山县。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="定稿").click()
    expect(page.get_by_text("已定稿").first).to_be_visible()
    assert Bulletin.objects.get().fixed_at is not None
    with page.expect_download() as download:
        page.get_by_test_id("bulletin-docx").click()
    assert download.value.suggested_filename == f"关于{campaign.title}结果的通报.docx"
    screenshot("results-bulletin")
    assert not [m for m in page.console_messages if m.startswith("error")], page.console_messages
