"""整改台账: entries at 定稿, the unit's measures to 销号 through the closure gate, 催办, the exports,
and next year remembering (上年遗留, 重复发生)."""

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.models import ChecklistItem, Problem, Target
from assessment.services import workflow
from assessment.services.groups import group_save
from core.workdays import add_workdays, workdays_between
from liaison import services as liaison_services
from liaison.models import FeedbackRound
from meetings.models import Meeting
from meetings.services.meetings import comment_save, meeting_create, meeting_set_state, speaker_add
from rectification import selectors, services
from rectification.domain import ledger as rules
from rectification.models import Entry, Event
from reports.context import build_report
from results.bulletin import draft
from results.selectors import campaign_results
from results.services import create_scheme
from tests.factories import CampaignFactory, GroupFactory, UserFactory, add_target

pytestmark = pytest.mark.django_db


# --- the pure rules ------------------------------------------------------------------------------


def test_workdays_skip_the_spring_festival_and_count_the_tiaoxiu_sunday():
    # 2024: 2月10日至17日放假，2月4日（周日）、2月18日（周日）上班。
    assert add_workdays(dt.date(2024, 2, 8), 1) == dt.date(2024, 2, 9)
    assert add_workdays(dt.date(2024, 2, 9), 1) == dt.date(2024, 2, 18)  # the 调休 Sunday
    assert add_workdays(dt.date(2024, 2, 8), 5) == dt.date(2024, 2, 21)
    assert add_workdays(dt.date(2024, 2, 2), 1) == dt.date(2024, 2, 4)  # Sunday the 4th is worked
    assert workdays_between(dt.date(2024, 2, 8), dt.date(2024, 2, 21)) == 5
    # An office's correction wins: the 19th off locally.
    assert add_workdays(dt.date(2024, 2, 8), 5, {dt.date(2024, 2, 19): False}) == dt.date(2024, 2, 22)


def test_the_closure_gate_and_the_summary_line():
    assert rules.closure_gaps(measures="", completion_note="", evidence=0) == [
        "尚未填写整改措施",
        "尚未填写完成情况",
        "尚未上传佐证材料",
    ]
    assert rules.closure_gaps(measures="建立台账", completion_note="已建立", evidence=1) == []
    today = dt.date(2022, 6, 1)
    rows = [
        ("closed", dt.date(2022, 3, 1)),
        ("in_progress", dt.date(2022, 5, 1)),
        ("open", None),
        ("open", dt.date(2022, 7, 1)),
    ]
    assert rules.summarize(rows, today).sentence() == "发现问题4个，已完成整改1个，正在办理3个，其中逾期1个。"
    assert rules.summarize([], today).sentence() == "未发现需要整改的问题。"


@pytest.mark.parametrize(
    ("earlier", "now", "alike"),
    [
        ("部分村党组织“三会一课”记录不规范，会议内容简单", "个别村“三会一课”记录不规范、内容空泛", True),
        ("软弱涣散村党组织整顿转化不彻底", "软弱涣散党组织整顿转化成效不明显", True),
        ("部分村党组织“三会一课”记录不规范", "老干部活动室台账不全", False),
        ("网络意识形态阵地管理不严", "村集体经济发展不平衡", False),
    ],
)
def test_a_problem_written_again_is_suggested_by_its_words(earlier, now, alike):
    assert (rules.similarity(earlier, now) >= rules.SUGGEST_AT) is alike


# --- from 定稿 to 销号 -------------------------------------------------------------------------------


def docx_upload(name="整改佐证.docx") -> SimpleUploadedFile:
    document = docx.Document()
    document.add_paragraph("整改佐证材料")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def finalized(setup, settings, tmp_path):
    """青山县 finalized: two inspection problems (one withdrawn on objection), a 点评 problem
    reworded on objection; its liaison 陈联络."""
    settings.MEDIA_ROOT = tmp_path
    liaison_user = UserFactory(username="liaison", name="陈联络")
    role = liaison_services.liaison_add(
        campaign=setup["campaign"], unit=setup["qingshan"], user=liaison_user, by=setup["admin"]
    )
    target = setup["qs_target"]
    kept = Problem.objects.create(
        target=target, item=setup["item"], text="部分村党组织“三会一课”记录不规范", created_by=setup["leader"]
    )
    dropped = Problem.objects.create(
        target=target, item=setup["item"], text="活动室台账不全", created_by=setup["leader"]
    )
    meeting = meeting_create(campaign=setup["campaign"], user=setup["admin"], title="述职评议会议")
    speaker = speaker_add(meeting=meeting, unit=setup["qingshan"], name="王书记", user=setup["admin"])
    comment_save(
        speaker=speaker,
        achievements="成效明显",
        problems="典型培育不够",
        hopes="希望再接再厉。",
        user=setup["admin"],
    )
    meeting_set_state(meeting=meeting, state=Meeting.State.HELD, user=setup["admin"])
    Target.objects.filter(pk=target.pk).update(status=Target.Status.SUBMITTED)
    workflow.target_approve(target=target, user=setup["reviewer"])
    feedback = FeedbackRound.objects.get(target=target)
    liaison_services.answer_save(feedback=feedback, problem=kept, agrees=True, user=liaison_user)
    withdrawn = liaison_services.answer_save(
        feedback=feedback, problem=dropped, agrees=False, reason="已补齐", user=liaison_user
    )
    reworded = liaison_services.answer_save(
        feedback=feedback,
        comment_problem=speaker.problems.get(),
        agrees=False,
        reason="已培育示范点",
        user=liaison_user,
    )
    liaison_services.feedback_submit(feedback=feedback, user=liaison_user)
    liaison_services.ruling_save(
        answer=withdrawn, ruling="withdraw", reason="经核实已补齐", user=setup["reviewer"]
    )
    liaison_services.ruling_save(
        answer=reworded,
        ruling="modify",
        reason="部分属实",
        revised_text="市级示范点数量不多",
        user=setup["reviewer"],
    )
    workflow.target_finalize(target=target, user=setup["admin"])
    return {"role": role, "user": liaison_user, "kept": kept}


def test_finalizing_puts_each_standing_problem_in_the_ledger(setup, finalized):
    entries = list(Entry.objects.order_by("position"))
    assert [(e.source, e.text) for e in entries] == [
        ("inspection", "部分村党组织“三会一课”记录不规范"),
        ("meeting", "市级示范点数量不多"),  # as the ruling reworded it; 活动室台账不全 withdrawn
    ]
    expected = add_workdays(timezone.localdate(), 30)
    assert all(
        e.deadline == expected and e.state == "open" and e.responsible_unit == "青山县" for e in entries
    )
    assert services.ledger_sync(setup["campaign"]) == 0  # once only


def test_the_unit_writes_measures_to_closure_and_the_department_decides(setup, finalized, login):
    entry = Entry.objects.get(source="inspection")
    client = login(finalized["user"])
    client.post(
        reverse("rectification:measures", args=[entry.pk]),
        {"measures": "建立“三会一课”记录月查制度", "responsible_person": "刘组织委员"},
    )
    entry.refresh_from_db()
    assert (entry.state, entry.responsible_person) == ("in_progress", "刘组织委员")

    client.post(reverse("rectification:request", args=[entry.pk]))
    assert Entry.objects.get(pk=entry.pk).state == "in_progress"  # the gate: no completion, no evidence
    page = client.get(reverse("rectification:entry", args=[entry.pk])).content.decode()
    assert "尚未填写完成情况；尚未上传佐证材料" in page

    client.post(
        reverse("rectification:progress", args=[entry.pk]), {"text": "已逐村检查", "file": docx_upload()}
    )
    client.post(reverse("rectification:completion", args=[entry.pk]), {"note": "12个村全部补齐记录"})
    client.post(reverse("rectification:request", args=[entry.pk]))
    assert Entry.objects.get(pk=entry.pk).state == "requested"

    # Neither the group nor the liaison may close it; the reviewer returns, then closes.
    assert (
        login(setup["member"])
        .post(reverse("rectification:close", args=[entry.pk]), {"note": "同意"})
        .status_code
        == 403
    )
    assert client.post(reverse("rectification:close", args=[entry.pk]), {"note": "同意"}).status_code == 403
    reviewer = login(setup["reviewer"])
    reviewer.post(
        reverse("rectification:send_back", args=[entry.pk]), {"note": "佐证不足，请补充会议记录照片"}
    )
    assert Entry.objects.get(pk=entry.pk).state == "returned"
    client = login(finalized["user"])
    client.post(reverse("rectification:request", args=[entry.pk]))
    reviewer = login(setup["reviewer"])
    reviewer.post(reverse("rectification:close", args=[entry.pk]), {"note": "经核查，整改到位"})
    entry.refresh_from_db()
    assert (entry.state, entry.closure_note, entry.closed_by) == (
        "closed",
        "经核查，整改到位",
        setup["reviewer"],
    )
    assert list(entry.events.values_list("kind", flat=True)) == [
        "measures",
        "progress",
        "completion",
        "request",
        "return",
        "request",
        "close",
    ]


def test_the_ledger_is_the_departments_and_each_unit_sees_its_own(setup, finalized, login):
    url = reverse("rectification:ledger", args=[setup["campaign"].pk])
    assert login(setup["reviewer"]).get(url).status_code == 200
    assert login(setup["member"]).get(url).status_code == 403
    assert login(setup["outsider"]).get(url).status_code == 404
    assert login(finalized["user"]).get(url).status_code == 404
    entry = Entry.objects.get(source="inspection")
    other = UserFactory()
    liaison_services.liaison_add(
        campaign=setup["campaign"], unit=setup["lvshui"], user=other, by=setup["admin"]
    )
    assert login(other).get(reverse("rectification:entry", args=[entry.pk])).status_code == 404
    mine = (
        login(finalized["user"])
        .get(reverse("rectification:mine", args=[finalized["role"].pk]))
        .content.decode()
    )
    assert "发现问题2个，已完成整改0个，正在办理2个。" in mine


def test_overdue_entries_are_listed_and_reminded(setup, finalized, login, settings):
    settings.EMAIL_HOST = "mail.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    finalized["user"].email = "liaison@example.cn"
    finalized["user"].save()
    Entry.objects.filter(source="inspection").update(deadline=timezone.localdate() - dt.timedelta(days=1))
    reviewer = login(setup["reviewer"])
    page = reviewer.get(
        reverse("rectification:ledger", args=[setup["campaign"].pk]) + "?overdue=on"
    ).content.decode()
    assert (
        "其中逾期1个" in page
        and "部分村党组织“三会一课”记录不规范" in page
        and "市级示范点数量不多" not in page
    )
    with django_capture_on_commit():
        reviewer.post(reverse("rectification:remind_overdue", args=[setup["campaign"].pk]))
    assert Event.objects.filter(kind="remind").count() == 1
    assert len(mail.outbox) == 1 and "部分村党组织" in mail.outbox[0].body
    home = login(finalized["user"]).get(reverse("home")).content.decode()
    assert "组织部催办了 1 个问题" in home


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_ledger_exports_in_the_offices_shape(setup, finalized, tmp_path):
    out = tmp_path / "台账.xlsx"
    call_command("export_ledger", "--campaign", setup["campaign"].title, "-o", str(out), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[2]] == [
        "序号",
        "单位",
        "问题",
        "来源",
        "整改措施",
        "责任单位",
        "责任人",
        "整改时限",
        "完成情况",
        "销号情况",
    ]
    assert [sheet.cell(row=3, column=i).value for i in (1, 2, 3, 4, 10)] == [
        1,
        "青山县",
        "部分村党组织“三会一课”记录不规范",
        "实地考核",
        "未整改",
    ]
    report = tmp_path / "报告.docx"
    call_command(
        "export_ledger",
        "--campaign",
        setup["campaign"].title,
        "--unit",
        "青山县",
        "-o",
        str(report),
        stdout=io.StringIO(),
    )
    text = [p.text for p in docx.Document(report).paragraphs if p.text.strip()]
    assert any("发现问题2个，已完成整改0个，正在办理2个。" in p for p in text)
    assert "（一）部分村党组织“三会一课”记录不规范" in text


# --- next year ------------------------------------------------------------------------------------


def next_year(setup):
    campaign = CampaignFactory(title="2022年度党建工作年终考核", year=2022)
    item = ChecklistItem.objects.create(campaign=campaign, order=1, title="老干部工作", full_score=10)
    return campaign, item


def test_next_years_campaign_carries_the_open_entries_into_the_item(setup, finalized, login):
    closed = Entry.objects.get(source="meeting")
    Entry.objects.filter(pk=closed.pk).update(state="closed")
    campaign, item = next_year(setup)
    group = group_save(
        campaign=campaign,
        name="市委第一考核组",
        leader=setup["leader"],
        members=[],
        targets=[setup["qingshan"]],
        methods=["document_check"],
        user=setup["admin"],
    )
    carried = Entry.objects.get(campaign=campaign)
    assert (carried.source, carried.text, carried.item, carried.year) == (
        "carried",
        "部分村党组织“三会一课”记录不规范",
        item,
        2021,
    )
    target = group.targets.get()
    page = (
        login(setup["leader"])
        .get(reverse("campaigns:target_item", args=[target.pk, item.pk]))
        .content.decode()
    )
    assert "上年遗留" in page and "2021年：部分村党组织“三会一课”记录不规范" in page

    # A problem written again is suggested; confirmed, it is 重复发生.
    again = Problem.objects.create(
        target=target, item=item, text="个别村“三会一课”记录不规范、内容空泛", created_by=setup["leader"]
    )
    page = (
        login(setup["leader"])
        .get(reverse("campaigns:target_item", args=[target.pk, item.pk]))
        .content.decode()
    )
    assert "是否同一问题" in page
    origin = Entry.objects.get(campaign=setup["campaign"], source="inspection")
    decide = reverse("rectification:recurrence", args=[again.pk, origin.pk, 1])
    assert login(setup["reviewer"]).post(decide).status_code == 404  # no part in 2022's campaign
    login(setup["leader"]).post(decide)
    assert services.repeat_years(again) == [2021]
    report = " ".join(b.text for b in build_report(target).blocks)
    assert "个别村“三会一课”记录不规范、内容空泛（上年考核已指出）" in report
    assert [r.item_title for r in selectors.repeats(campaign)] == ["老干部工作"]
    dashboard = login(setup["admin"]).get(reverse("reports:problems", args=[campaign.pk])).content.decode()
    assert "屡查屡犯" in dashboard and "2021、2022" in dashboard

    # Closing the carried entry closes last year's too.
    carried.measures, carried.completion_note, carried.state = "月查", "已补齐", "requested"
    carried.save()
    Event.objects.create(
        entry=carried,
        kind="progress",
        text="佐证",
        file=docx_upload(),
        file_name="佐证.docx",
        by=finalized["user"],
    )
    services.close(entry=carried, note="整改到位", user=setup["reviewer"])
    assert Entry.objects.get(pk=origin.pk).state == "closed"


def test_catching_up_carries_last_years_open_entries_into_a_campaign_formed_before(setup, finalized, login):
    campaign, _item = next_year(setup)
    Entry.objects.filter(campaign=campaign).delete()  # as if the groups came before last year's ledger
    assert not Entry.objects.filter(campaign=campaign).exists()
    group = GroupFactory(campaign=campaign)
    add_target(group, setup["qingshan"])  # no signal: a target made outside group_save
    login(setup["admin"]).post(reverse("rectification:sync", args=[campaign.pk]))
    assert Entry.objects.filter(campaign=campaign, source="carried").count() == 2
    login(setup["admin"]).post(reverse("rectification:sync", args=[campaign.pk]))
    assert Entry.objects.filter(campaign=campaign, source="carried").count() == 2  # once only


def test_the_bulletin_names_the_problems_found_again_and_last_years_ledger(setup, finalized):
    campaign, item = next_year(setup)
    group = group_save(
        campaign=campaign,
        name="市委第一考核组",
        leader=setup["leader"],
        members=[],
        targets=[setup["qingshan"]],
        methods=["document_check"],
        user=setup["admin"],
    )
    Problem.objects.create(
        target=group.targets.get(), item=item, text="“三会一课”记录仍不规范", created_by=setup["leader"]
    )
    create_scheme(campaign=campaign)  # units named: the default scheme's choice
    text = draft(campaign_results(campaign))
    assert "一些问题屡查屡犯，1个单位有同一方面的问题连续两年被指出。" in text
    assert "在老干部工作方面连续被指出问题（2021、2022年）" in text
    assert "上年考核发现的问题中，已完成整改0个，仍有2个正在办理" in text


def test_the_ledger_filters_by_unit_and_exports_one_units_sheet(setup, finalized, login):
    Entry.objects.create(
        campaign=setup["campaign"], unit=setup["lvshui"], source="inspection", year=2021, text="绿水县的问题"
    )
    reviewer = login(setup["reviewer"])
    url = reverse("rectification:ledger", args=[setup["campaign"].pk])
    page = reviewer.get(url, {"unit": setup["qingshan"].pk}).content.decode()
    assert "部分村党组织" in page and "绿水县的问题" not in page
    sheet = openpyxl.load_workbook(
        io.BytesIO(
            reviewer.get(
                reverse("rectification:ledger_xlsx", args=[setup["campaign"].pk]),
                {"unit": setup["qingshan"].pk},
            ).content
        )
    ).active
    assert sheet["A1"].value == "2021年度党建工作年终考核青山县问题整改台账"
    assert [c.value for c in sheet[2]][:3] == ["序号", "问题", "来源"]
    assert sheet.max_row == 4  # title, header, two entries


def test_evidence_that_is_not_a_document_is_refused_and_nothing_is_kept(setup, finalized, login, tmp_path):
    entry = Entry.objects.get(source="inspection")
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    response = login(finalized["user"]).post(
        reverse("rectification:progress", args=[entry.pk]),
        {"text": "已补齐", "file": SimpleUploadedFile("佐证.docx", b"MZ\x90\x00 not a document")},
    )
    assert response.status_code == 302
    assert not entry.events.exists()
    assert Entry.objects.get(pk=entry.pk).state == "open"
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == before
