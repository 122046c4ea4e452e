"""The whole year from an empty database, in a real browser, using only the product's pages: one
administrator (made as ``manage.py create_admin`` makes it) imports the roster and the people,
creates the campaign with its reviewer, imports the checklist, sets up a group with the pickers,
draws the sample; the member and the leader sign in with their one-time passwords (changing them),
fill in the county; the leader submits, the reviewer approves, the administrator finalizes, and the
Word report carries the county and its score. The 筹备步骤 bar follows every step."""

import re

import docx
import pytest
from playwright.sync_api import expect

from accounts.users import first_admin_create
from assessment.exporting import checklist_template
from assessment.models import Target
from tests.browser.conftest import pick_person
from tests.people.test_import import people_file
from tests.units.roster_files import county_roster, roster_file
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Qs-Admin-2026!"


def sign_in(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def sign_out(page) -> None:
    page.context.clear_cookies()


def first_sign_in(page, username: str, one_time: str, new: str) -> None:
    """Sign in with the administrator's one-time password and set one's own, as the page asks."""
    sign_in(page, username, one_time)
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.locator("#id_old_password").fill(one_time)
    page.locator("#id_new_password1").fill(new)
    page.locator("#id_new_password2").fill(new)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_test_id("must-change")).to_have_count(0)
    page.get_by_role("link", name="我的考核").click()


def steps_done(page) -> dict[str, bool]:
    steps = page.get_by_test_id("setup-step")
    return {
        steps.nth(i).get_attribute("data-step"): steps.nth(i).get_attribute("data-done") == "1"
        for i in range(steps.count())
    }


def confirmed(page, testid: str) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id(testid).click()


def test_a_year_from_an_empty_database_to_the_finalized_report(page, screenshot, tmp_path):
    first_admin_create(name="管理员甲", username="guanli", password=ADMIN_PASSWORD)
    sign_in(page, "guanli", ADMIN_PASSWORD)

    # The roster.
    roster = tmp_path / "单位名册.xlsx"
    roster.write_bytes(roster_file(*county_roster(townships=2, villages=4)))
    page.goto(page.base_url + "/units/import/")
    page.get_by_label("名册文件（.xlsx）").set_input_files(str(roster))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_text("已导入").first).to_be_visible()
    assert Unit.objects.filter(name="青山县", kind=Unit.Kind.COUNTY).exists()

    # People: the reviewer on the page, the group by the import.
    page.get_by_role("button", name="管理", exact=True).click()
    page.get_by_role("link", name="用户管理").click()
    page.get_by_test_id("person-create").click()
    page.get_by_label("姓名").fill("赵雅琴")
    page.get_by_label("用户名").fill("zhaoyq")
    page.get_by_role("button", name="保存").click()
    passwords = {"zhaoyq": page.get_by_test_id("password-value").inner_text()}
    listing = tmp_path / "人员名单.xlsx"
    listing.write_bytes(
        people_file(
            [1, "钱立新", "qianlx", "云山市", "市委组织部副部长", ""], [2, "李文涛", "liwt", "云山市", "", ""]
        )
    )
    page.goto(page.base_url + "/people/import/")
    page.get_by_label("人员名单（.xlsx）").set_input_files(str(listing))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_test_id("confirm-import").click()
    rows = page.get_by_test_id("import-passwords").locator("tbody tr")
    expect(rows).to_have_count(2)
    for i in range(2):
        cells = rows.nth(i).locator("td")
        passwords[cells.nth(1).inner_text().strip()] = cells.nth(2).inner_text().strip()

    # The campaign, with its reviewer picked by name.
    page.get_by_role("link", name="考核工作", exact=True).click()
    page.get_by_role("link", name="新建考核工作").click()
    page.get_by_label("名称").fill("2021年度党建工作年终考核")
    page.get_by_label("考核年度").fill("2021")
    pick_person(page, "审核人员（组织部）", "赵雅", "赵雅琴")
    page.get_by_role("button", name="保存").click()
    done = steps_done(page)
    assert done["roster"] and done["people"] and done["campaign"] and not done["checklist"]
    campaign_url = page.url

    # The checklist.
    checklist = tmp_path / "考核项目清单.xlsx"
    checklist.write_bytes(checklist_template())
    page.get_by_test_id("setup-step").filter(has_text="考核项目清单").get_by_role("link").click()
    page.get_by_role("link", name="从 Excel 导入").first.click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(checklist))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_test_id("confirm-import").click()

    # The group, from the step bar's link.
    page.goto(campaign_url)
    page.get_by_test_id("setup-step").filter(has_text="考核组和考核对象").get_by_role("link").click()
    page.get_by_label("考核组名称").fill("市委第五考核组")
    pick_person(page, "组长（带队）", "钱立", "钱立新 · 云山市")
    pick_person(page, "成员", "李文", "李文涛 · 云山市")
    page.get_by_label("青山县").check()
    page.get_by_label("资料印证").check()
    page.get_by_role("button", name="保存").click()

    # The draw for every target, then the campaign goes live.
    page.goto(campaign_url)
    page.get_by_test_id("setup-step").filter(has_text="抽签").get_by_role("link").click()
    page.get_by_label("随机种子").fill("20220110")
    page.get_by_role("button", name="为全部考核对象抽取").click()
    page.goto(campaign_url)
    assert all(steps_done(page).values()), steps_done(page)
    screenshot("end-to-end-setup-done")
    page.locator("#status-select").select_option(label="进行中")
    page.get_by_role("button", name="更改状态").click()
    target = Target.objects.get()
    sign_out(page)

    # The member fills in the county: a deduction with its problem, the score, the evaluation, the narrative.
    first_sign_in(page, "liwt", passwords["liwt"], "Tq9#Lm4$Wz2")
    page.get_by_test_id("my-target").first.click()
    criterion = page.locator(".app-criterion").first
    criterion.get_by_test_id("add-deduction").click()
    form = criterion.locator("form.app-inline-form")
    form.get_by_label("扣分", exact=True).fill("1")
    form.get_by_label("扣分理由").fill("主体责任清单照搬照抄，未结合本地实际。")
    form.get_by_role("button", name="保存").click()
    page.get_by_test_id("add-problem").click()
    problem = page.locator("#problems form.app-inline-form")
    problem.get_by_label("问题", exact=True).fill("县委主体责任清单照搬照抄上级清单。")
    problem.get_by_role("button", name="保存").click()
    page.get_by_test_id("problem").first.wait_for()
    page.get_by_test_id("lead").fill("青山县扎实推进全面从严治党，主体责任压紧压实。")
    page.locator(".app-saved", has_text="已保存").wait_for()
    page.get_by_test_id("decide-score").click()
    page.get_by_text("已确认得分").wait_for()
    page.get_by_role("link", name="工作情况").click()
    page.get_by_test_id("narrative").fill("2021年，青山县委认真落实党建工作责任制，基层党建工作扎实推进。")
    page.locator("#narrative-status", has_text="已保存").wait_for()
    sign_out(page)

    # The leader submits (the button says what submitting does).
    first_sign_in(page, "qianlx", passwords["qianlx"], "Rv7%Kp3@Xn8")
    page.goto(f"{page.base_url}/campaigns/targets/{target.pk}/")
    confirmed(page, "submit-target")
    expect(page.get_by_test_id("target-status")).to_have_text("已提交")
    sign_out(page)

    # The reviewer finds it on the to-do list and approves it.
    first_sign_in(page, "zhaoyq", passwords["zhaoyq"], "Hb5^Jd2!Qs6")
    page.get_by_test_id("todo-review").get_by_role("link", name="去审核").click()
    confirmed(page, "approve-target")
    expect(page.get_by_test_id("target-status")).to_have_text("已审核")
    sign_out(page)

    # The administrator finalizes and downloads the report.
    sign_in(page, "guanli", ADMIN_PASSWORD)
    page.goto(f"{page.base_url}/campaigns/targets/{target.pk}/")
    confirmed(page, "finalize-target")
    expect(page.get_by_test_id("target-status")).to_have_text("已定稿")
    page.get_by_role("link", name="报告预览").click()
    with page.expect_download() as download:
        page.get_by_test_id("download-report").click()
    text = "\n".join(p.text for p in docx.Document(download.value.path()).paragraphs)
    assert "青山县" in text
    assert re.search(r"该项满分10分，考核得分9分", text), text[:2000]
    assert "县委主体责任清单照搬照抄上级清单" in text
    screenshot("end-to-end-finalized")
    assert not [m for m in page.console_messages if m.startswith("error")]
