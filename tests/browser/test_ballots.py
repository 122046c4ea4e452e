"""民主测评 in a real browser: two phones (360×640) vote with their codes, a used code is refused, a
clerk (the campaign's reviewer) types 实到 and two paper ballots on the keyboard page, the projector
shows received / present only, and closing shows the results.

The count, by hand (weights 0.3 / 0.4 / 0.3; 实到 2 / 2 / 2):
- phone, 县级领导干部: 城关镇 好, 河口乡 较好
- phone, 乡镇和县直部门主要负责人: 城关镇 较好, 河口乡 blank (弃权)
- paper 1, 乡镇和县直部门主要负责人: 城关镇 好, 河口乡 较好
- paper 2, 党代表和群众代表: 城关镇 多选 (无效), 河口乡 差
城关镇: means 100 / 90 / — → (100×0.3 + 90×0.4) ÷ 0.7 = 94.29, 好评率 3/3 = 100.00
河口乡: means 80 / 80 / 40 → 24 + 32 + 12 = 68.00, 好评率 2/3 = 66.67
4 received, 4 valid, 0 废票; 4 ≥ 6 × 2/3: the quorum is just met.
"""

import pytest
from playwright.sync_api import expect

from assessment.models import CampaignReviewer
from ballots.models import Ballot, CastBallot, Token
from ballots.services import setup
from tests.browser.conftest import login
from tests.factories import AdminFactory, CampaignFactory, UserFactory, city, county, township

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1366, "height": 768}


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a 360px phone"


def _vote(page, code: str, choices: dict[str, str], screenshot, name: str) -> None:
    """Open the slip's address, tick ``choices`` (subject label → option), review, submit."""
    page.goto(f"{page.base_url}/v/{code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("乡镇党委书记民主测评")
    _no_horizontal_scroll(page)
    for label, option in choices.items():
        page.locator("fieldset.vote-subject", has_text=label).get_by_text(option, exact=True).click()
    if name:
        screenshot(f"ballots-phone-{name}")
    page.get_by_test_id("vote-review").click()
    expect(page.get_by_test_id("vote-confirm")).to_contain_text("提交后不能修改")
    _no_horizontal_scroll(page)
    if name:
        screenshot(f"ballots-phone-{name}-confirm")
    page.get_by_test_id("vote-submit").click()
    expect(page.get_by_test_id("vote-done")).to_have_text("提交成功，感谢参与。")
    _no_horizontal_scroll(page)


def test_phones_vote_clerk_enters_paper_and_closes(page, screenshot):
    AdminFactory(username="guanli")
    qs = county(city("云山市"), "青山县")
    units = [township(qs, "城关镇"), township(qs, "河口乡")]
    campaign = CampaignFactory()
    clerk = UserFactory(username="kaohe", name="考核办小李")
    CampaignReviewer.objects.create(campaign=campaign, user=clerk)
    ballot = setup.ballot_create(
        campaign=campaign,
        user=clerk,
        title="乡镇党委书记民主测评",
        subjects=[(units[0], "张明", "党委书记"), (units[1], "李华", "党委书记")],
    )
    for category in ballot.categories.all():
        category.expected = 2
        category.save()
    setup.ballot_open(ballot=ballot, user=clerk)
    leaders, heads, _reps = ballot.categories.all()
    code_a = Token.objects.filter(category=leaders).first().code
    code_b = Token.objects.filter(category=heads).first().code

    # Two phones.
    page.set_viewport_size(PHONE)
    _vote(page, code_a, {"城关镇": "好", "河口乡": "较好"}, screenshot, "ballot")
    screenshot("ballots-phone-done")
    page.goto(f"{page.base_url}/v/{code_b}/")
    page.locator("fieldset.vote-subject", has_text="城关镇").get_by_text("较好", exact=True).click()
    page.get_by_test_id("vote-review").click()
    expect(page.get_by_test_id("vote-confirm")).to_contain_text("有 1 位未选择，将记为弃权。")
    expect(page.locator(".vote-review li", has_text="河口乡")).to_contain_text("未选（弃权）")
    page.get_by_test_id("vote-submit").click()
    expect(page.get_by_test_id("vote-done")).to_be_visible()
    assert CastBallot.objects.filter(channel="phone").count() == 2

    # The first code again: scanned a second time, then typed on the code page.
    page.goto(f"{page.base_url}/v/{code_a}/")
    expect(page.get_by_test_id("vote-error")).to_contain_text("此测评码已使用")
    _no_horizontal_scroll(page)
    screenshot("ballots-phone-used")
    page.goto(f"{page.base_url}/v/")
    page.get_by_label("请输入测评条上的测评码").fill(code_a.lower())
    page.get_by_role("button", name="开始测评").click()
    expect(page.get_by_test_id("vote-error")).to_contain_text("此测评码已使用")
    assert CastBallot.objects.count() == 2

    # The clerk: 实到, then two paper ballots from the keyboard.
    page.set_viewport_size(DESKTOP)
    login(page, "kaohe", "pass-for-tests-1")
    page.goto(f"{page.base_url}/campaigns/{campaign.pk}/")
    page.get_by_test_id("campaign-tabs").get_by_role("link", name="民主测评").click()
    page.get_by_role("link", name="乡镇党委书记民主测评").click()
    for category in ballot.categories.all():
        page.get_by_label(f"{category.name}实到人数").fill("2")
    page.get_by_role("button", name="保存实到人数").click()
    expect(page.locator(".alert-success")).to_contain_text("实到人数已保存。")
    screenshot("ballots-detail")
    page.get_by_role("link", name="录入纸质票").click()
    lines = page.get_by_test_id("entry-lines")
    lines.press_sequentially("1 2 12")
    lines.press("Enter")
    lines.press_sequentially("2 3 x4")
    lines.press("Tab")
    page.keyboard.press("Enter")  # 检查, from the keyboard
    preview = page.get_by_test_id("entry-preview")
    expect(preview.locator("tbody tr")).to_have_count(2)
    expect(preview.locator("tbody tr").nth(1)).to_contain_text("党代表和群众代表")
    expect(preview.locator("tbody tr").nth(1)).to_contain_text("无效")
    screenshot("ballots-paper-entry")
    page.get_by_test_id("entry-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("已录入 2 张纸质票。")
    assert CastBallot.objects.filter(channel="paper").count() == 2

    # The projector: received / present per category, nothing of the marks.
    page.goto(f"{page.base_url}/ballots/{ballot.pk}/")
    page.get_by_role("link", name="投屏：收票进度").click()
    table = page.get_by_test_id("screen")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("1 / 2")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("2 / 2")
    expect(table.locator("tbody tr").nth(2)).to_contain_text("1 / 2")
    expect(table.locator("tbody tr").nth(3)).to_contain_text("4 / 6")
    body = page.locator("body").inner_text()
    for secret in ("城关镇", "河口乡", "好", "差", "得分"):
        assert secret not in body, f"the projector shows {secret!r}"
    screenshot("ballots-screen")
    page.go_back()

    # Closing shows the results.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="结束测评并计票").click()
    expect(page.get_by_test_id("ballot-state")).to_have_text("已结束")
    assert Ballot.objects.get().state == Ballot.State.CLOSED
    page.get_by_role("link", name="测评结果").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("测评有效")
    rows = page.get_by_test_id("results").locator("tbody tr")
    chengguan = rows.filter(has_text="城关镇").filter(has_text="合计")
    hekou = rows.filter(has_text="河口乡").filter(has_text="合计")
    expect(chengguan).to_contain_text("94.29")
    expect(chengguan).to_contain_text("100.00")
    expect(hekou).to_contain_text("68.00")
    expect(hekou).to_contain_text("66.67")
    screenshot("ballots-results")
    # The two refusals of the used code answer 409; nothing else may fail.
    errors = [m for m in page.console_messages if m.startswith("error") and "409" not in m]
    assert not errors, page.console_messages
