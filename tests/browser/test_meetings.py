"""述职评议 in a real browser: the campaign's reviewer prepares a meeting of six speakers (two added
on the page, four imported from the office's Excel list, one of them reporting in writing), names
the 综合点评 officials, writes the 点评, marks the meeting held, and downloads the chair's script and
the feedback sheets."""

import zipfile

import docx
import pytest
from playwright.sync_api import expect

from assessment.models import CampaignReviewer
from meetings.models import CommentProblem, Meeting
from tests.browser.conftest import login
from tests.factories import CampaignFactory, UserFactory, city, county, township
from tests.xlsx_builder import make_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prepare_comment_hold_and_download(page, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    qs = county(city("云山市"), "青山县")
    for name in ("城关镇", "东坝镇", "西河镇", "南岭镇", "北山镇", "白沙镇"):
        township(qs, name)
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    clerk = UserFactory(username="kaohe", name="考核办小李")
    CampaignReviewer.objects.create(campaign=campaign, user=clerk)
    login(page, "kaohe", "pass-for-tests-1")

    page.goto(f"{page.base_url}/campaigns/{campaign.pk}/")
    page.get_by_test_id("campaign-tab").filter(has_text="述职评议").click()
    page.get_by_test_id("meeting-create").click()
    page.get_by_label("会议名称").fill("2021年度全县党组织书记抓基层党建工作述职评议会议")
    page.get_by_label("会议日期").fill("2022-01-12")
    page.get_by_label("主持人姓名").fill("刘建国")
    page.get_by_label("主持人职务").fill("县委书记")
    page.get_by_label("到会指导的领导").fill("市委组织部组织二科科长 赵强")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("agenda-item")).to_have_count(4)
    meeting = Meeting.objects.get()

    for unit, name in (("城关镇", "张三"), ("东坝镇", "李四")):
        page.get_by_test_id("speaker-add").click()
        page.get_by_label("单位").fill(unit)
        page.locator(f'[data-unit-picker] [role=option][data-unit-name="{unit}"]').click()
        page.get_by_label("姓名").fill(name)
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("speaker")).to_have_count(2)

    listing = make_xlsx(
        [
            ["序号", "单位", "姓名", "职务", "述职方式"],
            [3, "西河镇", "王五", "", "口头述职"],
            [4, "南岭镇", "赵六", "", "口头述职"],
            [5, "北山镇", "钱七", "", ""],
            [6, "白沙镇", "孙八", "白沙镇党委书记", "书面述职"],
        ],
        title_rows=["述职人名单"],
    )
    path = tmp_path / "述职人名单.xlsx"
    path.write_bytes(listing)
    page.get_by_role("link", name="从 Excel 导入").click()
    page.get_by_label("述职人名单（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("import-rows").locator("tbody tr")).to_have_count(4)
    screenshot("meetings-import-preview")
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("speaker")).to_have_count(6)

    page.get_by_test_id("agenda-item").filter(has_text="综合点评").get_by_role("link", name="编辑").click()
    page.get_by_label("点评人").fill("县委常委、组织部部长 王华")
    page.get_by_role("button", name="保存").click()

    first = page.get_by_test_id("speaker").filter(has_text="张三")
    first.get_by_test_id("comment-edit").click()
    page.get_by_label("成绩").fill("城关镇以党建引领助推中心工作干在实处、走在前列")
    page.get_by_label("存在问题（每行一个）").fill("典型培育还要加强\n示范带头作用还不明显")
    page.get_by_label("希望").fill("希望张三同志以抓好点评问题整改为切入点，切实提高基层党建水平。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("speaker-counts")).to_contain_text("已点评 1/6，指出问题 2 个")
    screenshot("meetings-detail")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("mark-held").click()
    expect(page.get_by_test_id("meeting-state")).to_have_text("已召开")
    expect(page.get_by_test_id("comment-edit")).to_have_count(0)
    assert CommentProblem.objects.count() == 2

    with page.expect_download() as download:
        page.get_by_test_id("download-script").click()
    script = docx.Document(download.value.path())
    text = [p.text for p in script.paragraphs]
    assert "一、首先请城关镇党委书记张三同志述职。" in text
    assert "五、请北山镇党委书记钱七同志述职。" in text
    assert not any("孙八同志述职" in p for p in text)
    assert "下面，进行会议第二项议程。请县委常委、组织部部长王华同志进行综合点评，大家欢迎！" in text
    with page.expect_download() as download:
        page.get_by_test_id("download-feedback").click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert len(names) == 6 and names[0] == "01_城关镇_点评意见反馈单.docx"
    assert meeting.speakers.count() == 6
    assert not [m for m in page.console_messages if m.startswith("error")]
