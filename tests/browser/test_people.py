"""People in a real browser: an administrator creates a person with the unit picker, sees the one-time
password once, then puts people on a group with the person picker (type a name or a unit), creating
a missing person from the picker's link."""

import pytest

from accounts.models import User
from assessment.models import AssessmentGroup
from tests.browser.conftest import login, pick_person
from tests.factories import AdminFactory, CampaignFactory, UnitFactory, UserFactory, city, county, township
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    c = city("云山市")
    qs, lv = county(c, "青山县"), county(c, "绿水县")
    finance = UnitFactory(name="青山县财政局", kind=Unit.Kind.COUNTY_ORGAN, parent=qs)
    lv_finance = UnitFactory(name="绿水县财政局", kind=Unit.Kind.COUNTY_ORGAN, parent=lv)
    township(qs, "城关镇")
    township(lv, "城关镇")
    AdminFactory(username="guanli", name="管理员甲")
    UserFactory(username="qianlx", name="钱立新", home_unit=lv_finance)
    UserFactory(username="sunzq", name="孙志强", home_unit=finance)
    return {"campaign": CampaignFactory(title="2021年度党建工作年终考核", year=2021), "qingshan": qs}


def test_create_a_person_with_the_unit_picker(page, world, screenshot):
    login(page, "guanli", "pass-for-tests-1")
    page.get_by_role("button", name="管理", exact=True).click()
    page.get_by_role("link", name="用户管理").click()
    page.get_by_test_id("person-create").click()
    page.get_by_label("姓名").fill("周小平")
    page.get_by_label("所在单位").fill("城关")
    options = page.locator("[data-unit-picker] [role=option]")
    options.first.wait_for()
    assert options.count() == 2  # 青山县 › 城关镇 and 绿水县 › 城关镇, told apart by where they sit
    # Chosen while the search for one more character typed is still pending: that search must not
    # open the list again over the form.
    page.get_by_label("所在单位").press_sequentially("镇")
    page.locator('[data-unit-picker] [role=option][data-unit-where="云山市 › 青山县"]').click()
    page.wait_for_timeout(600)
    assert page.locator("[data-unit-picker] .app-unit-list").is_hidden()
    assert page.locator("[data-unit-where]").first.inner_text() == "云山市 › 青山县"
    page.get_by_label("职务").fill("组织委员")
    page.get_by_label("手机").fill("138 0000 0002")
    screenshot("people-create")
    page.get_by_role("button", name="保存").click()

    person = User.objects.get(name="周小平")
    assert person.username == "zhouxiaoping"  # from the pinyin
    assert person.home_unit == Unit.objects.get(name="城关镇", parent=world["qingshan"])
    password = page.get_by_test_id("password-value").inner_text()
    assert person.check_password(password)
    screenshot("people-person-with-password")
    page.reload()
    assert page.get_by_test_id("one-time-password").count() == 0


def test_the_person_picker_on_the_group_form(page, world, screenshot, browser, live_server):
    campaign = world["campaign"]
    login(page, "guanli", "pass-for-tests-1")
    page.goto(f"{page.base_url}/campaigns/{campaign.pk}/groups/new/")
    page.get_by_label("考核组名称").fill("市委第五考核组")

    # By name, or by unit: "青山县财政" finds 孙志强 · 青山县财政局.
    pick_person(page, "组长（带队）", "钱立", "钱立新 · 绿水县财政局")
    page.wait_for_timeout(500)
    assert page.locator("[data-person-picker] .app-unit-list").first.is_hidden()
    box = page.get_by_label("成员")
    box.fill("青山县财政")
    option = page.locator('[data-person-picker] [role=option][data-person-label="孙志强 · 青山县财政局"]')
    option.wait_for()
    screenshot("group-form-person-search")
    box.press("ArrowDown")
    box.press("Enter")  # the keyboard chooses too, and never submits the form
    page.locator('.app-person-chip:has-text("孙志强 · 青山县财政局")').wait_for()

    # Someone missing: the picker says so and links to creating them, in a new tab.
    box.fill("赵新来")
    page.locator("[data-person-none]").wait_for()
    with page.context.expect_page() as new_tab:
        page.locator("[data-person-none] a").click()
    created = new_tab.value
    created.wait_for_load_state()
    created.get_by_label("姓名").fill("赵新来")
    created.get_by_role("button", name="保存").click()
    created.get_by_test_id("one-time-password").wait_for()
    created.close()
    pick_person(page, "成员", "赵新", "赵新来")

    # A chosen member can be taken off again; the leader picker holds one person only.
    page.locator('.app-person-chip:has-text("赵新来") [data-person-remove]').click()
    pick_person(page, "组长（带队）", "孙志", "孙志强 · 青山县财政局")
    leader_chips = (
        page.get_by_label("组长（带队）")
        .locator("xpath=ancestor::*[@data-person-picker][1]")
        .locator(".app-person-chip")
    )
    assert leader_chips.count() == 1
    pick_person(page, "组长（带队）", "钱立", "钱立新 · 绿水县财政局")
    screenshot("group-form-person-picker")

    # No method ticked: refused, and the people stay chosen.
    page.get_by_role("button", name="保存").click()
    assert "请至少选择一种考核方式。" in page.content()
    assert page.locator('.app-person-chip:has-text("孙志强 · 青山县财政局")').count() == 1
    page.get_by_label("资料印证").check()
    page.get_by_role("button", name="保存").click()
    assert "已保存“市委第五考核组”" in page.content()
    group = AssessmentGroup.objects.get(name="市委第五考核组")
    assert {(m.user.name, m.role) for m in group.memberships.select_related("user")} == {
        ("钱立新", "leader"),
        ("孙志强", "member"),
    }
    assert not [m for m in page.console_messages if m.startswith("error")]


def test_the_unit_picker_searches_what_was_typed_before_its_script_arrived(page, world):
    """On a slow intranet the form shows before unit_picker.js runs; what was typed meanwhile is
    searched as soon as the script arrives."""
    login(page, "guanli", "pass-for-tests-1")
    release = []

    def hold(route):
        release.append(route)

    page.route("**/js/unit_picker*.js", hold)
    page.goto(f"{page.base_url}/people/new/", wait_until="commit")
    page.get_by_label("所在单位").fill("城关")
    page.wait_for_timeout(300)
    assert release, "the script was requested"
    release[0].continue_()
    options = page.locator("[data-unit-picker] [role=option]")
    options.first.wait_for()
    assert options.count() == 2
