"""The list of speakers from Excel (preview → confirm, all or nothing, each error with its file,
row and column) and the Word documents: the chair's script and the feedback sheets."""

import io
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import exporting
from meetings.models import Speaker, SpeakerImport
from meetings.services import meetings as services
from tests.factories import township
from tests.hostile_files import workbook_bomb
from tests.xlsx_builder import make_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["序号", "单位", "姓名", "职务", "述职方式"]


def upload(client, meeting, data: bytes, name: str = "述职人名单.xlsx"):
    return client.post(
        reverse("meetings:import", args=[meeting.pk]), {"file": SimpleUploadedFile(name, data)}
    )


@pytest.fixture
def towns(setup):
    qs = setup["qingshan"]
    return [township(qs, name) for name in ("西河镇", "南岭镇")]


def test_a_list_as_offices_write_it_is_previewed_then_imported(
    meeting, towns, setup, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = make_xlsx(
        [
            HEADER,
            [1, "西河镇", "王五", "", "口头"],
            [2, "青山县/南岭镇", "赵六", "南岭镇党委书记", "书面述职"],
        ],
        title_rows=["2021年度述职人名单"],
    )
    client = login(setup["reviewer"])
    response = upload(client, meeting, data)
    record = SpeakerImport.objects.get()
    assert response.headers["Location"] == reverse("meetings:import_preview", args=[record.pk])
    html = client.get(response.headers["Location"]).content.decode()
    assert "西河镇党委书记" in html and "书面述职" in html
    assert meeting.speakers.count() == 2  # nothing written before the confirmation
    client.post(reverse("meetings:import_confirm", args=[record.pk]))
    assert [(s.name, s.title, s.mode, s.position) for s in meeting.speakers.order_by("position")][2:] == [
        ("王五", "西河镇党委书记", Speaker.Mode.ORAL, 3),
        ("赵六", "南岭镇党委书记", Speaker.Mode.WRITTEN, 4),
    ]


def test_a_bad_list_names_each_error_and_writes_nothing(meeting, towns, setup, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = make_xlsx(
        [
            HEADER,
            [1, "西河镇", "王五", "", "现场发言"],
            [2, "无此镇", "赵六", "", ""],
            [3, "西河镇", "", "", ""],
            [4, "城关镇", "张三", "", ""],  # 青山县's and 绿水县's: ambiguous
        ]
    )
    client = login(setup["admin"])
    response = upload(client, meeting, data)
    html = client.get(response.headers["Location"]).content.decode()
    assert "述职人名单.xlsx 工作表 名册 第2行 “述职方式”（E列）：“现场发言”不是述职方式" in html
    assert "第3行 “单位”（B列）：" in html
    assert "第4行 “姓名”（C列）：姓名不能为空。" in html
    assert "西河镇与第2行重复" in html
    assert "第5行 “单位”（B列）：" in html
    assert 'data-testid="import-confirm"' not in html
    assert meeting.speakers.count() == 2
    assert not SpeakerImport.objects.get().file  # a failed file is not kept


def test_a_zip_bomb_is_refused_and_nothing_is_written(meeting, setup, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = upload(login(setup["admin"]), meeting, workbook_bomb(megabytes=200))
    record = SpeakerImport.objects.get()
    assert record.status == SpeakerImport.Status.FAILED and record.summary["errors"]
    assert response.status_code == 302 and meeting.speakers.count() == 2


def test_a_held_meeting_takes_no_import(meeting, towns, setup, settings, tmp_path):
    from meetings import importing

    services.meeting_set_state(meeting=meeting, state="held", user=setup["admin"])
    data = make_xlsx([HEADER, [1, "西河镇", "王五", "", ""]])
    with pytest.raises(Exception, match="会议已召开"):
        importing.speakers_import(meeting=meeting, data=data, file_name="a.xlsx", user=setup["admin"])
    assert meeting.speakers.count() == 2


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def test_the_script_downloads_in_order_and_the_same_data_gives_the_same_bytes(meeting, setup, login):
    speaker = meeting.speakers.get(name="张三")
    services.comment_save(
        speaker=speaker,
        achievements="城关镇网格化管理有一定成效",
        problems="典型培育不够",
        hopes="希望张三同志再接再厉。",
        user=setup["admin"],
    )
    client = login(setup["member"])  # anyone of the campaign may read the script
    response = client.get(reverse("meetings:script", args=[meeting.pk]))
    assert response.status_code == 200
    text = paragraphs(response.content)
    assert text[0].replace("\n", "") == "在2021年度全县党组织书记抓基层党建工作述职评议会议上的主持词"
    assert "一、首先请城关镇党委书记张三同志述职。" in text
    assert "点评：城关镇网格化管理有一定成效。但还存在以下问题：典型培育不够。" in text
    assert not any("李四同志述职" in p for p in text)  # written: not called
    assert any("青山县教育局党组书记李四同志作了书面述职" in p for p in text)
    assert client.get(reverse("meetings:script", args=[meeting.pk])).content == response.content


def test_each_speaker_gets_a_feedback_sheet(meeting, setup, login):
    speaker = meeting.speakers.get(name="张三")
    services.comment_save(
        speaker=speaker, achievements="成绩", problems="问题甲\n问题乙", hopes="希望。", user=setup["admin"]
    )
    client = login(setup["reviewer"])
    text = paragraphs(client.get(reverse("meetings:feedback", args=[speaker.pk])).content)
    assert text[0] == "党组织书记抓基层党建工作\n述职评议点评意见反馈单"  # the title on two lines
    assert "1．问题甲。" in text and "2．问题乙。" in text
    assert any(p.startswith("请对照点评意见，逐条制定整改措施") and "【待填写：报送时限】" in p for p in text)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("meetings:feedback_all", args=[meeting.pk])).content)
    )
    assert archive.namelist() == ["01_城关镇_点评意见反馈单.docx", "02_青山县教育局_点评意见反馈单.docx"]
    assert exporting.feedback_docx(meeting, speaker) == exporting.feedback_docx(meeting, speaker)


def duty_report(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_duty_report_is_uploaded_read_and_its_problems_copied(meeting, setup, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    speaker = meeting.speakers.get(name="张三")
    data = duty_report(
        [
            "一、主要工作",
            "做了很多。",
            "二、存在问题",
            "一是典型培育不够。具体是……",
            "二是示范作用不明显。",
            "三、下步打算",
        ]
    )
    client = login(setup["reviewer"])
    client.post(
        reverse("meetings:report_upload", args=[speaker.pk]),
        {"file": SimpleUploadedFile("张三述职报告.docx", data)},
    )
    speaker.refresh_from_db()
    assert speaker.report_name == "张三述职报告.docx"
    member = login(setup["member"])
    response = member.get(reverse("meetings:report_download", args=[speaker.pk]))
    assert b"".join(response.streaming_content) == data
    client = login(setup["reviewer"])
    client.post(reverse("meetings:report_problems", args=[speaker.pk]))
    assert list(speaker.problems.values_list("text", flat=True)) == ["典型培育不够", "示范作用不明显"]
    client.post(reverse("meetings:report_problems", args=[speaker.pk]))  # again: nothing twice
    assert speaker.problems.count() == 2


def test_a_duty_report_that_is_not_word_or_pdf_is_refused(meeting, setup, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    speaker = meeting.speakers.get(name="张三")
    client = login(setup["admin"])
    response = client.post(
        reverse("meetings:report_upload", args=[speaker.pk]),
        {"file": SimpleUploadedFile("报告.docx", b"not a word file at all")},
        follow=True,
    )
    assert "不是可接受的文件类型" in response.content.decode()
    speaker.refresh_from_db()
    assert not speaker.report and list(tmp_path.rglob("*.docx")) == []


def test_lists_as_offices_write_them_name_organizations_pad_names_and_shorten_titles(meeting, towns, setup):
    from meetings import importing

    data = make_xlsx(
        [
            ["序号", "述职单位", "述职人", "职务", "述职方式"],
            [1, "中共西河镇委员会", "王\u3000\u3000五", "党委书记", "口头"],
            [2, "南岭镇党委", "赵 六", "", "书面述职"],
        ]
    )
    plan = importing.speakers_plan(meeting=meeting, data=data, file_name="名单.xlsx")
    assert plan.ok, plan.error_messages()
    assert [(r.unit.name, r.name, r.title, r.mode) for r in plan.rows] == [
        ("西河镇", "王五", "西河镇党委书记", "oral"),
        ("南岭镇", "赵六", "南岭镇党委书记", "written"),
    ]


def test_an_officials_speech_is_kept_after_the_meeting_and_read_by_the_campaign(
    meeting, setup, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    services.meeting_set_state(meeting=meeting, state="held", user=setup["admin"])
    item = meeting.agenda.get(kind="comprehensive")
    data = duty_report(["同志们：", "刚才，各位书记作了述职。"])
    client = login(setup["reviewer"])
    client.post(
        reverse("meetings:agenda_document", args=[item.pk]),
        {"file": SimpleUploadedFile("组织部长讲话.docx", data)},
    )
    item.refresh_from_db()
    assert item.document_name == "组织部长讲话.docx"
    response = login(setup["member"]).get(reverse("meetings:agenda_document_download", args=[item.pk]))
    assert b"".join(response.streaming_content) == data
    services.meeting_set_state(meeting=meeting, state="archived", user=setup["admin"])
    response = login(setup["reviewer"]).post(
        reverse("meetings:agenda_document", args=[item.pk]),
        {"file": SimpleUploadedFile("新.docx", data)},
        follow=True,
    )
    assert "会议已归档" in response.content.decode()
    item.refresh_from_db()
    assert item.document_name == "组织部长讲话.docx"


def test_a_county_s_own_meeting_says_its_units_as_the_chair_does(meeting, setup):
    campaign = setup["campaign"]
    campaign.issuer_unit, campaign.target_kinds = setup["qingshan"], "township,county_organ"
    campaign.save()
    bureau = meeting.speakers.get(name="李四")
    services.speaker_update(speaker=bureau, name="李四", title="", mode="oral", user=setup["admin"])

    text = paragraphs(exporting.script_docx(meeting))

    assert any("请各乡镇党委书记及县教育局党组织书记依次述职" in p for p in text)
    assert "二、请县教育局党组书记李四同志述职。" in text
    # A unit of another county cannot report at 青山县's meeting.
    foreign = township(setup["lvshui"], "清溪镇")
    with pytest.raises(ValidationError) as exc:
        services.speaker_add(meeting=meeting, unit=foreign, name="王五", user=setup["admin"])
    assert exc.value.messages == ["清溪镇不是青山县的下属单位，不能在本次会议述职。"]
