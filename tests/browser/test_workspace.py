"""The inspectors' workspace in a real browser, several people at once: findings with evidence,
the review round trip, the lock after 定稿, and two members editing the same problem."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from assessment.models import Campaign, CampaignReviewer, Deduction, GroupMember, Problem, Target
from assessment.services.sampling import sample_draw
from tests.browser.conftest import login
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    ChecklistItemFactory,
    CriterionFactory,
    GroupFactory,
    UnitFactory,
    UserFactory,
    add_member,
    add_target,
    city,
    county,
    township,
    village,
)
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    qs = county(city("云山市"), "青山县")
    for name in ("青山县委组织部", "青山县交通运输局"):
        UnitFactory(name=name, kind=Unit.Kind.COUNTY_ORGAN, parent=qs)
    town = township(qs, "城关镇")
    for name in ("新村", "东村", "西村"):
        village(town, name)
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021, status=Campaign.Status.ACTIVE)
    item = ChecklistItemFactory(campaign=campaign, order=1, title="落实全面从严治党主体责任", full_score=15)
    CriterionFactory(item=item, order=1, text="制定主体责任清单并结合实际细化，未结合实际的扣1.5分", points=6)
    CriterionFactory(item=item, order=2, text="专题研究全面从严治党工作不少于2次", points=4)
    group = GroupFactory(campaign=campaign, name="市委第五考核组")
    people = {
        "leader": UserFactory(username="qian", name="钱组长"),
        "member": UserFactory(username="li", name="李组员"),
        "member2": UserFactory(username="zhou", name="周组员"),
        "reviewer": UserFactory(username="zhao", name="赵审核"),
        "admin": AdminFactory(username="guanli", name="管理员甲"),
    }
    add_member(group, people["leader"], role=GroupMember.Role.LEADER)
    add_member(group, people["member"])
    add_member(group, people["member2"])
    CampaignReviewer.objects.create(campaign=campaign, user=people["reviewer"])
    target = add_target(group, qs)
    sample_draw(target=target, seed=20220110, user=people["admin"])
    return {"target": target, "item": item, **people}


def open_as(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    page.console_messages = []
    page.on("console", lambda m: page.console_messages.append(f"{m.type}: {m.text}"))
    login(page, username, "pass-for-tests-1")
    return page


def png(tmp_path) -> str:
    path = tmp_path / "现场照片.png"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (183, 28, 28)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_findings_review_round_trip_lock_and_conflict(browser, live_server, world, tmp_path, screenshot_dir):
    target = world["target"]
    url = f"{live_server.url}/campaigns/targets/{target.pk}/"
    member = open_as(browser, live_server, "li")
    member.goto(url)

    # A deduction under the first criterion, at a sampled village, with a photo as evidence.
    first = member.locator(".app-criterion").first
    first.get_by_test_id("add-deduction").click()
    form = first.locator("form.app-inline-form")
    form.get_by_label("发现问题的单位").click()  # the picker lists the sample when focused
    village = form.locator(".app-unit-list [role=option]", has_text="（城关镇）").first
    village_name = village.get_attribute("data-unit-name")
    village.click()
    expect(form.get_by_label("发现问题的单位")).to_have_value(village_name)
    form.get_by_label("扣分", exact=True).fill("0.5")
    form.get_by_label("扣分理由").fill("村级主体责任清单照搬县委清单，未结合本村实际。")
    form.get_by_role("button", name="保存").click()
    # Not decided yet: the deduction is recorded, the item has no score.
    expect(member.get_by_test_id("score-line")).to_have_text("满分15分，已扣0.5分，未评分（确认得分后计分）")
    deduction = Deduction.objects.get()
    member.locator(f"#evidence-deduction-{deduction.pk} summary").click()
    member.locator(f"#evidence-deduction-{deduction.pk} input[type=file]").set_input_files(png(tmp_path))
    member.locator(f"#evidence-deduction-{deduction.pk}").get_by_role("button", name="上传").click()
    expect(member.locator(f"#evidence-deduction-{deduction.pk} img.app-thumb")).to_be_visible()

    # Two evaluation points and the lead, which saves itself as the member types.
    member.get_by_test_id("lead").fill("青山县围绕新时代党的建设总要求，推动全面从严治党向纵深发展。")
    member.locator(".app-saved", has_text="已保存").wait_for()
    for headline, body in (
        ("凝聚人心有声势", "定期举办统战理论培训班。"),
        ("服务发展有作为", "建强行业商会组织平台。"),
    ):
        member.get_by_test_id("add-point").click()
        point_form = member.locator(f"#evaluation-{world['item'].pk} form.app-inline-form").last
        point_form.get_by_label("要点").fill(headline)
        point_form.get_by_label("内容").fill(body)
        point_form.get_by_role("button", name="保存").click()
        member.get_by_test_id("evaluation-point").filter(has_text=headline).wait_for()
    expect(member.get_by_test_id("evaluation-point")).to_have_count(2)
    expect(member.get_by_test_id("evaluation-point").first).to_contain_text(
        re.compile(r"一是\s*凝聚人心有声势")
    )

    # A problem tied to a sampled village, then the score decision.
    member.get_by_test_id("add-problem").click()
    problem_form = member.locator("#problems form.app-inline-form")
    problem_form.get_by_label("问题", exact=True).fill("新村党支部“三会一课”记录不全。")
    problem_form.get_by_label("涉及单位").fill(village_name[:1])
    problem_form.locator(".app-unit-list [role=option]", has_text=village_name).first.click()
    problem_form.get_by_role("button", name="保存").click()
    member.get_by_test_id("problem").first.wait_for()
    assert Problem.objects.get().unit == Deduction.objects.get().unit
    assert Deduction.objects.get().unit.name == village_name
    member.get_by_test_id("decide-score").click()
    member.get_by_text("已确认得分").wait_for()
    expect(member.get_by_test_id("score-line")).to_have_text("满分15分，扣0.5分，得14.5分")
    member.screenshot(path=str(screenshot_dir / "workspace-member-item.png"), full_page=True)

    # Two members open the same problem; the later save is refused and both texts survive.
    other = open_as(browser, live_server, "zhou")
    member.reload()
    other.goto(url)
    for page in (member, other):
        page.get_by_test_id("problem").first.get_by_test_id("edit-problem").click()
        page.locator("#problems .app-editing textarea[name=text]").wait_for()
    member.locator("#problems .app-editing textarea[name=text]").fill(
        "李组员的版本：新村党支部“三会一课”记录不全，缺少2次。"
    )
    member.locator("#problems .app-editing").get_by_role("button", name="保存").click()
    member.get_by_test_id("problem").filter(has_text="李组员的版本").wait_for()
    other.locator("#problems .app-editing textarea[name=text]").fill(
        "周组员的版本：记录不全，且未按时召开党员大会。"
    )
    other.locator("#problems .app-editing").get_by_role("button", name="保存").click()
    conflict = other.get_by_test_id("conflict")
    conflict.wait_for()
    assert "李组员 已于" in conflict.inner_text()
    assert "李组员的版本" in other.get_by_test_id("conflict-theirs").inner_text()
    assert (
        other.locator("#problems .app-editing textarea[name=text]").input_value().startswith("周组员的版本")
    )
    assert Problem.objects.get().text.startswith("李组员的版本")
    other.screenshot(path=str(screenshot_dir / "workspace-conflict.png"), full_page=True)
    other.locator("#problems .app-editing").get_by_role(
        "button", name="保存"
    ).click()  # now knowingly over it
    other.get_by_test_id("problem").filter(has_text="周组员的版本").wait_for()
    assert Problem.objects.get().text.startswith("周组员的版本")

    # The leader submits; the reviewer returns it with a comment the group sees.
    # The leader's button says what is still missing, and each entry leads to where it is fixed.
    leader = open_as(browser, live_server, "qian")
    leader.goto(url)
    blocked = leader.get_by_test_id("submit-blocked")
    expect(blocked.locator("summary")).to_have_text("提交审核（还差 1 项）")
    blocked.locator("summary").click()
    blocked.get_by_role("link", name="工作情况尚未填写").click()
    leader.get_by_test_id("narrative").fill("2021年，青山县党建工作扎实推进。")
    leader.locator("#narrative-status", has_text="已保存").wait_for()
    leader.goto(url)
    # The button says what submitting does; dismissed, nothing happens.
    asked = []
    leader.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    leader.get_by_test_id("submit-target").click()
    leader.wait_for_timeout(300)
    assert asked == ["提交后本组将不能修改，直到审核退回。确定提交审核吗？"]
    assert Target.objects.get(pk=target.pk).status == Target.Status.DRAFTING
    confirmed(leader, "submit-target")
    expect(leader.get_by_test_id("target-status")).to_have_text("已提交")
    reviewer = open_as(browser, live_server, "zhao")
    reviewer.goto(url)
    reviewer.get_by_text("退回修改").click()
    reviewer.get_by_label("需要修改的内容（考核组可见）").fill("问题清单请写明涉及的党支部全称。")
    confirmed(reviewer, "return-target")
    expect(reviewer.get_by_test_id("target-status")).to_have_text("退回修改")

    member.goto(url)
    assert "问题清单请写明涉及的党支部全称" in member.get_by_test_id("return-banner").inner_text()
    member.get_by_test_id("problem").first.get_by_test_id("edit-problem").click()
    member.locator("#problems .app-editing textarea[name=text]").fill(
        "城关镇新村党支部“三会一课”记录不全，且未按时召开党员大会。"
    )
    member.locator("#problems .app-editing").get_by_role("button", name="保存").click()
    member.get_by_test_id("problem").filter(has_text="城关镇新村党支部").wait_for()

    leader.goto(url)
    confirmed(leader, "submit-target")
    expect(leader.get_by_test_id("target-status")).to_have_text("已提交")
    reviewer.goto(url)
    assert "等待管理员定稿" in confirmed(reviewer, "approve-target")
    expect(reviewer.get_by_test_id("target-status")).to_have_text("已审核")
    admin = open_as(browser, live_server, "guanli")
    admin.goto(url)
    assert "任何人不能修改" in confirmed(admin, "finalize-target")
    expect(admin.get_by_test_id("target-status")).to_have_text("已定稿")
    assert Target.objects.get(pk=target.pk).status == Target.Status.FINALIZED

    # Locked: no edit controls, and a hand-made POST is refused.
    member.goto(url)
    assert member.get_by_test_id("add-deduction").count() == 0
    assert "已定稿" in member.get_by_test_id("status-banner").inner_text()
    token = member.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = member.request.post(
        f"{live_server.url}/campaigns/problems/{Problem.objects.get().pk}/delete/",
        headers={"X-CSRFToken": csrf, "Referer": url},
    )
    assert response.status == 403
    assert Problem.objects.count() == 1
    member.screenshot(path=str(screenshot_dir / "workspace-finalized.png"), full_page=True)
    for page in (member, other, leader, reviewer, admin):
        assert not [m for m in page.console_messages if m.startswith("error") and "409" not in m], (
            page.console_messages
        )


def confirmed(page, testid: str) -> str:
    """Click the workflow button ``testid``, accept its confirmation, and return what it asked."""
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.get_by_test_id(testid).click()
    assert asked, f"{testid} asked nothing before acting"
    return asked[0]


def test_text_typed_after_the_session_expired_survives_the_login(browser, live_server, world):
    target, item = world["target"], world["item"]
    member = open_as(browser, live_server, "li")
    url = f"{live_server.url}/campaigns/targets/{target.pk}/items/{item.pk}/"
    member.goto(url)
    member.context.clear_cookies(name="sessionid")  # the session lapses while the page stays open
    member.get_by_test_id("lead").fill("会话过期后输入的总体评价，不能丢失。")
    member.wait_for_url("**/accounts/login/**")
    member.get_by_label("用户名").fill("li")
    member.get_by_label("密码").fill("pass-for-tests-1")
    member.get_by_role("button", name="登录").click()
    member.wait_for_url(url)
    expect(member.get_by_test_id("lead")).to_have_value("会话过期后输入的总体评价，不能丢失。")
    expect(member.locator(".app-draft-note")).to_contain_text("已恢复未保存的草稿")
    member.locator(".app-saved", has_text="已保存").wait_for()  # the restored draft saves itself
    from assessment.models import ItemAssessment

    assert ItemAssessment.objects.get(target=target, item=item).lead == "会话过期后输入的总体评价，不能丢失。"


def test_a_new_problem_typed_when_the_session_expired_reopens_with_its_text(
    browser, live_server, world, screenshot_dir
):
    """The blank "add" forms load when opened; one holding a draft opens and loads by itself."""
    target, item = world["target"], world["item"]
    member = open_as(browser, live_server, "li")
    url = f"{live_server.url}/campaigns/targets/{target.pk}/items/{item.pk}/"
    member.goto(url)
    member.get_by_test_id("add-problem").click()
    problem_form = member.locator("#problems form.app-inline-form")
    problem_form.get_by_label("问题", exact=True).fill("会话过期前写下的问题，不能丢失。")
    member.context.clear_cookies(name="sessionid")
    problem_form.get_by_role("button", name="保存").click()
    member.wait_for_url("**/accounts/login/**")
    member.get_by_label("用户名").fill("li")
    member.get_by_label("密码").fill("pass-for-tests-1")
    member.get_by_role("button", name="登录").click()
    member.wait_for_url(url)
    restored = member.locator("#problems form.app-inline-form")
    expect(restored.get_by_label("问题", exact=True)).to_have_value("会话过期前写下的问题，不能丢失。")
    expect(restored.locator(".app-draft-note")).to_contain_text("已恢复未保存的草稿")
    # Only that form: the deduction "add"s stay closed and unloaded.
    expect(member.locator("#deductions form.app-inline-form")).to_have_count(0)
    member.locator("#problems").screenshot(path=str(screenshot_dir / "workspace-draft-restored.png"))
    restored.get_by_role("button", name="保存").click()
    member.get_by_test_id("problem").first.wait_for()
    from assessment.models import Problem

    assert Problem.objects.get().text == "会话过期前写下的问题，不能丢失。"


def test_a_unit_outside_the_sample_is_found_by_typing_and_marked(browser, live_server, world, screenshot_dir):
    target = world["target"]
    media = UnitFactory(name="青山县融媒体中心", kind=Unit.Kind.COUNTY_INSTITUTION, parent=target.unit)
    member = open_as(browser, live_server, "li")
    member.goto(f"{live_server.url}/campaigns/targets/{target.pk}/")

    first = member.locator(".app-criterion").first
    first.get_by_test_id("add-deduction").click()
    form = first.locator("form.app-inline-form")
    box = form.get_by_label("发现问题的单位")
    box.click()
    # Focused: the sample, by stratum; nothing else of the county until something is typed.
    expect(form.locator(".app-unit-group").first).to_contain_text("抽查单位 · ")
    expect(form.locator(".app-unit-list")).not_to_contain_text("青山县融媒体中心")
    box.press_sequentially("融媒")
    option = form.locator(".app-unit-list [role=option]", has_text="青山县融媒体中心")
    expect(option).to_contain_text("非抽查单位")
    member.screenshot(path=str(screenshot_dir / "unit-picker-typed.png"))
    box.press("ArrowDown")
    box.press("Enter")  # chooses, and does not submit the form
    expect(box).to_have_value("青山县融媒体中心")
    expect(form.locator("[data-off-sample]")).to_be_visible()
    assert not Deduction.objects.exists()
    form.get_by_label("扣分", exact=True).fill("1")
    form.get_by_label("扣分理由").fill("县融媒体中心新闻采编发布系统未开展网络安全等级保护测评。")
    form.get_by_role("button", name="保存").click()
    row = member.get_by_test_id("deduction").first
    expect(row).to_contain_text("青山县融媒体中心")
    expect(row.get_by_test_id("off-sample")).to_have_text("非抽查单位")
    assert Deduction.objects.get().unit == media

    # A name typed in full and not picked from the list is found all the same.
    member.get_by_test_id("add-problem").click()
    problem_form = member.locator("#problems form.app-inline-form")
    problem_form.get_by_label("问题", exact=True).fill("网络安全等级保护工作存在短板。")
    problem_form.get_by_label("涉及单位").fill("青山县融媒体中心")
    problem_form.get_by_label("问题", exact=True).click()  # away from the list
    problem_form.get_by_role("button", name="保存").click()
    expect(member.get_by_test_id("problem").first.get_by_test_id("off-sample")).to_be_visible()
    assert Problem.objects.get().unit == media
    member.screenshot(path=str(screenshot_dir / "unit-picker-saved.png"), full_page=True)

    member.goto(f"{live_server.url}/campaigns/targets/{target.pk}/sample/")
    card = member.get_by_test_id("off-sample-units")
    expect(card).to_contain_text("青山县融媒体中心")
    expect(card).to_contain_text("扣分 1 条 · 问题 1 个")
    assert not [m for m in member.console_messages if m.startswith("error")]


def test_an_add_opened_before_the_scripts_arrived_loads_its_form(browser, live_server, world):
    """On a slow intranet the item panel shows before htmx runs; an "add" opened meanwhile still
    gets its form once the scripts arrive."""
    member = open_as(browser, live_server, "li")
    release = []
    member.route("**/vendor/htmx/htmx.min.js*", lambda route: release.append(route))
    member.goto(f"{live_server.url}/campaigns/targets/{world['target'].pk}/", wait_until="commit")
    first = member.locator(".app-criterion").first
    first.get_by_test_id("add-deduction").click()
    member.wait_for_timeout(300)
    assert release, "htmx was requested"
    release[0].continue_()
    expect(first.locator("form.app-inline-form").get_by_label("扣分", exact=True)).to_be_visible()
