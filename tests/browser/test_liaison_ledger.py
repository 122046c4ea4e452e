"""The assessed unit's part and the ledger in a real browser: 青山县's liaison hands in its
self-report, answers the approved findings (one objection), the reviewer rules on it; after 定稿
the liaison writes measures, progress with evidence and completion and asks for 销号 on both
problems; the reviewer closes one and returns the other; next year's campaign shows the open one
beside its item."""

import io

import docx
import pytest
from playwright.sync_api import expect

from assessment.models import CampaignReviewer, ChecklistItem, GroupMember, Problem, Target
from assessment.services import workflow
from assessment.services.groups import group_save
from liaison.services import liaison_add
from rectification.models import Entry
from tests.browser.conftest import login
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    ChecklistItemFactory,
    GroupFactory,
    UserFactory,
    add_member,
    add_target,
    city,
    county,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def word_file(path, text: str):
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def accept_next_dialog(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())


def test_feedback_and_rectification_to_closure_and_into_next_year(page, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    qs = county(city("云山市"), "青山县")
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    item = ChecklistItemFactory(campaign=campaign, order=1, title="老干部工作")
    group = GroupFactory(campaign=campaign, name="市委第五考核组")
    leader = UserFactory(username="zuzhang", name="钱组长")
    add_member(group, leader, role=GroupMember.Role.LEADER)
    target = add_target(group, qs)
    reviewer = UserFactory(username="shenhe", name="赵审核")
    CampaignReviewer.objects.create(campaign=campaign, user=reviewer)
    admin = AdminFactory(username="guanli")
    liaison = UserFactory(username="lianluo", name="黄联络")
    liaison_add(campaign=campaign, unit=qs, user=liaison, by=admin)

    # Before the inspection: the unit hands in its self-report.
    login(page, "lianluo", "pass-for-tests-1")
    page.get_by_test_id("liaison-home").get_by_role("link", name="青山县").click()
    page.get_by_label("材料类别").select_option(label="自查报告")
    page.get_by_label("文件").set_input_files(
        word_file(tmp_path / "青山县自查报告.docx", "2021年度党建工作自查报告")
    )
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("unit-files")).to_contain_text("青山县自查报告.docx")
    expect(page.get_by_text("考核组正在考核")).to_be_visible()

    # The group finds two problems; the reviewer approves.
    for text in ("老干部活动室台账不全", "离退休干部党支部组织生活不规范"):
        Problem.objects.create(target=target, item=item, text=text, created_by=leader)
    Target.objects.filter(pk=target.pk).update(status=Target.Status.SUBMITTED)
    workflow.target_approve(target=target, user=reviewer)

    page.reload()
    lines = page.get_by_test_id("feedback-lines").locator("li")
    expect(lines).to_have_count(2)
    lines.nth(0).get_by_label("无异议").check()
    lines.nth(0).get_by_role("button", name="保存").click()
    lines = page.get_by_test_id("feedback-lines").locator("li")
    lines.nth(1).get_by_label("有异议").check()
    lines.nth(1).get_by_placeholder("有异议时写明理由").fill("组织生活记录齐全，已提供会议记录本")
    lines.nth(1).get_by_role("button", name="保存").click()
    accept_next_dialog(page)
    page.get_by_test_id("feedback-submit").click()
    expect(page.get_by_text("反馈已提交")).to_be_visible()
    screenshot("liaison-feedback")

    # The reviewer reads the self-report and rules on the objection in the workspace.
    page.context.clear_cookies()
    login(page, "shenhe", "pass-for-tests-1")
    page.goto(f"{page.base_url}/liaison/targets/{target.pk}/")
    expect(page.get_by_test_id("target-unit-files")).to_contain_text("青山县自查报告.docx")
    form = page.get_by_test_id("ruling-form")
    form.get_by_label("维持").check()
    form.get_by_placeholder("答复理由").fill("会议记录显示2021年仅开展组织生活4次，维持原问题")
    form.get_by_role("button", name="答复").click()
    expect(page.get_by_text("答复：维持（赵审核）")).to_be_visible()

    workflow.target_finalize(target=target, user=admin)
    assert Entry.objects.filter(campaign=campaign).count() == 2

    # After 定稿: the liaison rectifies both and asks for 销号.
    page.context.clear_cookies()
    login(page, "lianluo", "pass-for-tests-1")
    page.get_by_test_id("ledger-home").get_by_role("link", name="填报整改情况").click()
    expect(page.get_by_test_id("ledger-summary")).to_have_text("发现问题2个，已完成整改0个，正在办理2个。")
    for number, text in enumerate(("老干部活动室台账不全", "离退休干部党支部组织生活不规范")):
        page.get_by_test_id("ledger-rows").get_by_role("link", name=text).click()
        page.get_by_label("整改措施").fill("建立台账月查制度，逐项补齐")
        page.get_by_role("button", name="保存整改措施").click()
        page.get_by_label("整改进展").fill("已逐项补齐")
        page.get_by_label("佐证材料").set_input_files(
            word_file(tmp_path / f"佐证{number}.docx", "补齐的台账")
        )
        page.get_by_role("button", name="记录进展").click()
        page.get_by_label("完成情况").fill("台账已全部补齐，制度已建立")
        page.get_by_role("button", name="保存完成情况").click()
        accept_next_dialog(page)
        page.get_by_test_id("request-closure").click()
        expect(page.get_by_test_id("entry-state")).to_have_text("申请销号")
        page.get_by_role("link", name="整改台账").first.click()
    screenshot("liaison-ledger")

    # The reviewer closes one and returns the other.
    page.context.clear_cookies()
    login(page, "shenhe", "pass-for-tests-1")
    page.goto(f"{page.base_url}/rectification/campaigns/{campaign.pk}/")
    page.get_by_test_id("ledger-rows").get_by_role("link", name="老干部活动室台账不全").click()
    page.get_by_label("销号意见").fill("经核查整改到位")
    page.get_by_test_id("close-entry").click()
    expect(page.get_by_test_id("entry-state")).to_have_text("已销号")
    page.goto(f"{page.base_url}/rectification/campaigns/{campaign.pk}/")
    page.get_by_test_id("ledger-rows").get_by_role("link", name="离退休干部党支部组织生活不规范").click()
    page.get_by_label("销号意见").fill("组织生活记录仍不完整，请补充")
    page.get_by_test_id("return-entry").click()
    expect(page.get_by_test_id("entry-state")).to_have_text("退回")
    page.goto(f"{page.base_url}/rectification/campaigns/{campaign.pk}/")
    expect(page.get_by_test_id("ledger-summary")).to_have_text("发现问题2个，已完成整改1个，正在办理1个。")
    screenshot("ledger-campaign")

    # Next year: the open one waits beside its item.
    following = CampaignFactory(title="2022年度党建工作年终考核", year=2022)
    next_item = ChecklistItem.objects.create(campaign=following, order=1, title="老干部工作", full_score=10)
    new_group = group_save(
        campaign=following,
        name="市委第一考核组",
        leader=leader,
        members=[],
        targets=[qs],
        methods=["document_check"],
        user=admin,
    )
    page.context.clear_cookies()
    login(page, "zuzhang", "pass-for-tests-1")
    page.goto(f"{page.base_url}/campaigns/targets/{new_group.targets.get().pk}/items/{next_item.pk}/")
    notes = page.get_by_test_id("item-notes")
    expect(notes).to_contain_text("2021年：离退休干部党支部组织生活不规范")
    expect(notes).not_to_contain_text("老干部活动室台账不全")
    screenshot("carried-over")
