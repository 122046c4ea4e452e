"""Drafts belong to their author: two people signing in one after the other on the same browser."""

import re

import pytest
from playwright.sync_api import expect

from assessment.models import Campaign, GroupMember, ItemAssessment
from tests.factories import (
    CampaignFactory,
    ChecklistItemFactory,
    CriterionFactory,
    GroupFactory,
    UserFactory,
    add_member,
    add_target,
    city,
    county,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-for-tests-1"
LEAD_A = "李组员写到一半的总体评价，只属于李组员。"
PROBLEM_A = "李组员还没保存的问题。"


@pytest.fixture
def world():
    qs = county(city("云山市"), "青山县")
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021, status=Campaign.Status.ACTIVE)
    item = ChecklistItemFactory(campaign=campaign, order=1, title="落实全面从严治党主体责任", full_score=15)
    CriterionFactory(item=item, order=1, text="制定主体责任清单并结合实际细化", points=6)
    group = GroupFactory(campaign=campaign, name="市委第五考核组")
    add_member(group, UserFactory(username="qian", name="钱组长"), role=GroupMember.Role.LEADER)
    add_member(group, UserFactory(username="li", name="李组员"))
    add_member(group, UserFactory(username="zhou", name="周组员"))
    return {"target": add_target(group, qs), "item": item}


def sign_in(page, username: str, landing: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(landing)


def sign_out(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")


def draft_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('djkh-draft:'))")


def test_a_draft_is_never_offered_to_the_next_person_on_the_same_browser(browser, live_server, world):
    target, item = world["target"], world["item"]
    url = f"{live_server.url}/campaigns/targets/{target.pk}/items/{item.pk}/"
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "401" not in m.text else None)

    # 李组员 starts a problem and the lead; the session lapses while the page is open.
    page.goto(url)
    sign_in(page, "li", url)
    page.get_by_test_id("add-problem").click()
    page.locator("#problems form.app-inline-form").get_by_label("问题", exact=True).fill(PROBLEM_A)
    context.clear_cookies(name="sessionid")
    page.get_by_test_id("lead").fill(LEAD_A)
    page.wait_for_url("**/accounts/login/**")
    li_keys = draft_keys(page)
    assert len(li_keys) == 2
    assert all(
        re.fullmatch(r"djkh-draft:[0-9a-f]{32}:\d+-.+", key) for key in li_keys
    )  # the person's key first

    # 周组员 signs in on the same browser, on the same page: nothing of 李组员's appears or is saved.
    sign_in(page, "zhou", url)
    expect(page.get_by_test_id("lead")).to_have_value("")
    expect(page.locator(".app-draft-note")).to_have_count(0)
    expect(page.locator("#problems form.app-inline-form")).to_have_count(0)  # not opened for a draft
    page.get_by_test_id("add-problem").click()
    expect(page.locator("#problems form.app-inline-form").get_by_label("问题", exact=True)).to_have_value("")
    page.wait_for_timeout(2500)  # the lead's autosave delay: nothing may be sent in 周组员's name
    assert not ItemAssessment.objects.filter(target=target, item=item).exclude(lead="").exists()
    assert sorted(draft_keys(page)) == sorted(li_keys)  # 李组员's drafts are still there, untouched
    sign_out(page, "周组员")
    assert sorted(draft_keys(page)) == sorted(li_keys)  # signing out clears only one's own

    # 李组员 comes back: both drafts return, and the lead saves itself in 李组员's name.
    page.goto(url)
    sign_in(page, "li", url)
    expect(page.get_by_test_id("lead")).to_have_value(LEAD_A)
    restored = page.locator("#problems form.app-inline-form")
    expect(restored.get_by_label("问题", exact=True)).to_have_value(PROBLEM_A)
    page.locator(".app-saved", has_text="已保存").wait_for()
    saved = ItemAssessment.objects.get(target=target, item=item)
    assert (saved.lead, saved.updated_by.username) == (LEAD_A, "li")

    # Signing out on purpose asks first, then clears 李组员's remaining draft from this browser.
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    sign_out(page, "李组员")
    assert messages == ["您有尚未保存的草稿，退出登录后将从本机清除。确定退出吗？"]
    assert draft_keys(page) == []
    page.goto(url)
    sign_in(page, "li", url)
    expect(page.locator(".app-draft-note")).to_have_count(0)
    expect(page.locator("#problems form.app-inline-form")).to_have_count(0)
    assert not errors, errors
    context.close()


def test_drafts_from_before_they_had_an_owner_are_dropped(browser, live_server, world):
    target, item = world["target"], world["item"]
    url = f"{live_server.url}/campaigns/targets/{target.pk}/items/{item.pk}/"
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    legacy = f"djkh-draft:{target.pk}-lead-{item.pk}"
    page.evaluate(
        "key => localStorage.setItem(key, JSON.stringify({at: Date.now(), values: {lead: '谁写的？'}}))",
        legacy,
    )
    page.goto(url)
    sign_in(page, "zhou", url)
    expect(page.get_by_test_id("lead")).to_have_value("")
    assert draft_keys(page) == []
    context.close()
