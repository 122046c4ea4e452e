"""An administrator sets up a campaign in a real browser; a member then sees exactly their target."""

import pytest
from playwright.sync_api import expect

from assessment.exporting import checklist_template
from assessment.models import Campaign, SampleDraw
from tests.browser.conftest import login, pick_person
from tests.factories import (
    AdminFactory,
    GroupFactory,
    UnitFactory,
    UserFactory,
    add_target,
    city,
    county,
    township,
    village,
)
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _roster():
    c = city("云山市")
    qs, lv = county(c, "青山县"), county(c, "绿水县")
    for name in ("青山县委组织部", "青山县财政局", "青山县交通运输局"):
        UnitFactory(name=name, kind=Unit.Kind.COUNTY_ORGAN, parent=qs)
    town = township(qs, "城关镇")
    for name in ("新村", "东村", "西村", "南村"):
        village(town, name)
    return qs, lv


def test_admin_sets_up_a_campaign_and_the_member_sees_their_target(page, screenshot, tmp_path, live_server):
    qingshan, lvshui = _roster()
    AdminFactory(username="guanli", name="管理员甲")
    UserFactory(username="qian", name="钱组长")
    UserFactory(username="li", name="李组员")

    login(page, "guanli", "pass-for-tests-1")
    page.get_by_role("link", name="考核工作", exact=True).click()
    page.get_by_role("link", name="新建考核工作").click()
    page.get_by_label("名称").fill("2021年度党建工作年终考核")
    page.get_by_label("考核年度").fill("2021")
    page.get_by_role("button", name="保存").click()
    assert "已创建“2021年度党建工作年终考核”" in page.content()
    campaign = Campaign.objects.get(title="2021年度党建工作年终考核")

    # The checklist, from Excel: upload, preview, confirm.
    checklist = tmp_path / "考核项目清单.xlsx"
    checklist.write_bytes(checklist_template())
    page.get_by_role("link", name="考核项目清单").first.click()
    page.get_by_role("link", name="从 Excel 导入").first.click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(checklist))
    page.get_by_role("button", name="上传并预览").click()
    assert page.get_by_test_id("preview-item").count() >= 1
    screenshot("campaign-checklist-preview")
    page.get_by_test_id("confirm-import").click()
    assert "考核项目清单已导入" in page.content()
    assert campaign.items.exists()

    # A group with a leader, a member and a county.
    page.get_by_role("link", name="概览").click()
    page.get_by_role("link", name="新建考核组").first.click()
    page.get_by_label("考核组名称").fill("市委第五考核组")
    pick_person(page, "组长（带队）", "钱", "钱组长")
    pick_person(page, "成员", "李组", "李组员")
    page.get_by_label("青山县").check()
    page.get_by_label("资料印证").check()
    page.get_by_role("button", name="保存").click()
    assert "已保存“市委第五考核组”" in page.content()

    # The draw.
    page.get_by_role("link", name="青山县").click()
    page.get_by_role("link", name="抽查单位").click()
    page.get_by_role("link", name="抽取样本").click()
    page.get_by_label("随机种子").fill("20220110")
    page.get_by_role("button", name="预览（不保存）").click()
    expect(page.get_by_test_id("draw-preview")).to_be_visible()
    assert not SampleDraw.objects.exists()
    page.get_by_role("button", name="确认抽取").click()
    sentence = page.get_by_test_id("sampling-sentence").inner_text()
    assert sentence.startswith("考核组抽查了3个县直机关单位") and "每个乡镇抽查3个村" in sentence
    screenshot("campaign-target-sample")

    # Another group's county, to prove the member cannot reach it.
    other = add_target(GroupFactory(campaign=campaign, name="市委第六考核组"), lvshui)

    page.get_by_role("button", name="管理员甲").click()
    page.get_by_role("button", name="退出登录").click()
    login(page, "li", "pass-for-tests-1")
    cards = page.get_by_test_id("my-target")
    assert cards.count() == 1
    assert "青山县" in cards.first.inner_text() and "市委第五考核组 · 成员" in cards.first.inner_text()
    screenshot("campaign-member-home")
    cards.first.click()
    page.get_by_role("link", name="抽查单位").click()
    assert page.get_by_test_id("sampling-sentence").inner_text() == sentence
    response = page.goto(f"{live_server.url}/campaigns/targets/{other.pk}/")
    assert response.status == 404
    assert not [m for m in page.console_messages if m.startswith("error") and "404" not in m], (
        page.console_messages
    )
