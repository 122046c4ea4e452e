"""A reviewer signs in after a group handed its county in: 我的考核 starts with it, the navigation
bar counts it, and one click opens it for review."""

import pytest
from playwright.sync_api import expect

from assessment.models import CampaignReviewer, GroupMember
from assessment.services import findings, overview, workflow
from assessment.services.editing import LATEST
from tests.browser.conftest import login
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


def test_a_reviewer_finds_a_submitted_county_on_home_counted_in_the_navbar(page, screenshot):
    reviewer = UserFactory(username="zhao", name="赵雅琴")
    leader = UserFactory(username="qian", name="钱立新")
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    CampaignReviewer.objects.create(campaign=campaign, user=reviewer)
    item = ChecklistItemFactory(campaign=campaign, order=1, title="落实全面从严治党主体责任")
    CriterionFactory(item=item)
    group = GroupFactory(campaign=campaign, name="市委第五考核组")
    add_member(group, leader, role=GroupMember.Role.LEADER)
    root = city("云山市")
    qingshan = add_target(group, county(root, "青山县"))
    add_target(group, county(root, "绿水县"))  # still being filled in: nothing for the reviewer yet
    findings.score_decide(target=qingshan, item=item, decided=True, version=LATEST, user=leader)
    findings.evaluation_lead_save(target=qingshan, item=item, lead="工作扎实", version=LATEST, user=leader)
    overview.narrative_save(target=qingshan, narrative="青山县工作情况。", version=LATEST, user=leader)
    workflow.target_submit(target=qingshan, user=leader)

    login(page, "zhao", "pass-for-tests-1")
    count = page.get_by_test_id("nav-todo-count")
    expect(count).to_have_text("1项待办")
    review = page.get_by_test_id("todo-review")
    expect(review.get_by_test_id("todo-item")).to_have_count(1)
    expect(review).to_contain_text("青山县")
    expect(review).not_to_contain_text("绿水县")
    expect(review.get_by_test_id("county-status")).to_have_text("已提交")
    expect(review.get_by_test_id("todo-waited")).to_contain_text("已等待不到1分钟")
    screenshot("todo-reviewer-home")

    review.get_by_role("link", name="去审核").click()
    expect(page.get_by_test_id("target-status")).to_have_text("已提交")
    expect(page.get_by_role("button", name="审核通过")).to_be_visible()
