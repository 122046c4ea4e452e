"""The assessed unit's part: its liaison, its files, its feedback on approved findings and the
rulings on its objections; 定稿 waits for them."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import Problem, Target
from assessment.services import workflow
from liaison import services
from liaison.models import Answer, FeedbackRound, Liaison, UnitFile
from liaison.selectors import campaign_feedback
from meetings.models import Meeting
from meetings.services.meetings import comment_save, meeting_create, meeting_set_state, speaker_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def word_file(name="自查报告.docx", text="2021年党建工作自查报告") -> SimpleUploadedFile:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def unit(setup, settings, tmp_path):
    """青山县's liaison 陈联络, a problem found by the group and one named in a held meeting's 点评."""
    settings.MEDIA_ROOT = tmp_path
    liaison_user = UserFactory(username="liaison", name="陈联络")
    liaison = services.liaison_add(
        campaign=setup["campaign"], unit=setup["qingshan"], user=liaison_user, by=setup["admin"]
    )
    problem = Problem.objects.create(
        target=setup["qs_target"], item=setup["item"], text="老干部活动室台账不全", created_by=setup["leader"]
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
    return {"liaison": liaison, "user": liaison_user, "problem": problem, "comment": speaker.problems.get()}


def approve(setup) -> Target:
    Target.objects.filter(pk=setup["qs_target"].pk).update(status=Target.Status.SUBMITTED)
    return workflow.target_approve(target=setup["qs_target"], user=setup["reviewer"])


# --- naming liaisons ---------------------------------------------------------------------------------


def test_a_liaison_answers_for_one_unit_the_campaign_assesses(setup, unit):
    errors = []
    for who, where in (
        (setup["member"], setup["lvshui"]),
        (setup["reviewer"], setup["lvshui"]),
        (unit["user"], setup["lvshui"]),
    ):
        with pytest.raises(ValidationError) as exc:
            services.liaison_add(campaign=setup["campaign"], unit=where, user=who, by=setup["admin"])
        errors.append(exc.value.messages[0])
    assert errors == [
        "李组员 是本次考核的考核组成员，不能担任被考核单位联络员。",
        "赵审核 是本次考核的审核人员，不能担任被考核单位联络员。",
        "陈联络 已是“青山县”的联络员，每人在一次考核中只能联络一个单位。",
    ]
    town = setup["qingshan"].children.get(name="城关镇")
    with pytest.raises(ValidationError, match="“城关镇”不是本次考核的考核对象。"):
        services.liaison_add(campaign=setup["campaign"], unit=town, user=UserFactory(), by=setup["admin"])
    assert Liaison.objects.count() == 1


def test_only_an_administrator_names_liaisons(setup, unit, login):
    url = reverse("liaison:liaison_add", args=[setup["campaign"].pk])
    data = {"unit": setup["lvshui"].pk, "user": setup["outsider"].pk}
    assert login(setup["reviewer"]).post(url, data).status_code == 403
    assert login(setup["outsider"]).post(url, data).status_code == 404
    assert login(unit["user"]).post(url, data).status_code == 404
    response = login(setup["admin"]).post(url, data)
    assert response.status_code == 302
    assert Liaison.objects.filter(unit=setup["lvshui"], user=setup["outsider"]).exists()


# --- what a liaison sees -------------------------------------------------------------------------------


def test_a_liaison_sees_its_own_unit_only_and_never_the_workspace(setup, unit, login):
    client = login(unit["user"])
    page = client.get(reverse("liaison:unit", args=[unit["liaison"].pk])).content.decode()
    assert "青山县" in page and "考核组正在考核" in page
    assert "老干部活动室台账不全" not in page  # not while the group is at work
    assert client.get(reverse("campaigns:target", args=[setup["qs_target"].pk])).status_code == 404
    assert client.get(reverse("campaigns:target", args=[setup["lv_target"].pk])).status_code == 404
    assert client.get(reverse("liaison:target_tab", args=[setup["lv_target"].pk])).status_code == 404
    other = services.liaison_add(
        campaign=setup["campaign"], unit=setup["lvshui"], user=UserFactory(), by=setup["admin"]
    )
    assert client.get(reverse("liaison:unit", args=[other.pk])).status_code == 404
    assert client.get(reverse("liaison:manage", args=[setup["campaign"].pk])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="liaison-home"' in home and reverse("liaison:unit", args=[unit["liaison"].pk]) in home


def test_the_unit_hands_in_its_self_report_and_the_group_reads_it(setup, unit, login):
    client = login(unit["user"])
    response = client.post(
        reverse("liaison:file_add", args=[unit["liaison"].pk]),
        {"purpose": "self_report", "file": word_file(), "note": "年度自查"},
    )
    assert response.status_code == 302
    unit_file = UnitFile.objects.get()
    assert (unit_file.name, unit_file.purpose, unit_file.uploaded_by) == (
        "自查报告.docx",
        "self_report",
        unit["user"],
    )

    tab = (
        login(setup["member"])
        .get(reverse("liaison:target_tab", args=[setup["qs_target"].pk]))
        .content.decode()
    )
    assert "自查报告.docx" in tab
    assert login(setup["member"]).get(reverse("liaison:file", args=[unit_file.pk])).status_code == 200
    assert (
        login(setup["other"]).get(reverse("liaison:file", args=[unit_file.pk])).status_code == 404
    )  # 绿水县's group


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_kept(setup, unit, login, tmp_path):
    client = login(unit["user"])
    client.post(
        reverse("liaison:file_add", args=[unit["liaison"].pk]),
        {"purpose": "self_report", "file": SimpleUploadedFile("报告.docx", b"MZ\x90\x00 not a document")},
    )
    assert not UnitFile.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


# --- feedback ------------------------------------------------------------------------------------------


def test_approval_opens_the_feedback_until_a_deadline_in_workdays(setup, unit):
    approve(setup)
    feedback = FeedbackRound.objects.get(target=setup["qs_target"])
    assert feedback.deadline > timezone.localdate()
    assert [line.text for line in services.feedback_lines(setup["qs_target"])] == [
        "老干部活动室台账不全",
        "典型培育不够",
    ]


def test_a_target_without_a_liaison_has_no_feedback_to_wait_for(setup, unit):
    Target.objects.filter(pk=setup["lv_target"].pk).update(status=Target.Status.SUBMITTED)
    workflow.target_approve(target=setup["lv_target"], user=setup["reviewer"])
    assert not FeedbackRound.objects.filter(target=setup["lv_target"]).exists()
    workflow.target_finalize(target=setup["lv_target"], user=setup["admin"])


def test_the_unit_answers_each_problem_objects_with_a_reason_and_submits(setup, unit, login):
    approve(setup)
    client = login(unit["user"])
    page = client.get(reverse("liaison:unit", args=[unit["liaison"].pk])).content.decode()
    assert "老干部活动室台账不全" in page and "典型培育不够" in page and "考核得分" in page
    answer_url = lambda key: reverse("liaison:answer", args=[unit["liaison"].pk, key])  # noqa: E731
    client.post(answer_url(f"c{unit['comment'].pk}"), {"agrees": "0", "reason": ""})
    assert not Answer.objects.exists()  # an objection needs its reason
    client.post(answer_url(f"p{unit['problem'].pk}"), {"agrees": "1"})
    submit = reverse("liaison:submit", args=[unit["liaison"].pk])
    client.post(submit)
    assert FeedbackRound.objects.get().submitted_at is None  # one problem unanswered
    client.post(
        answer_url(f"c{unit['comment'].pk}"), {"agrees": "0", "reason": "已于2021年培育市级示范点2个"}
    )
    client.post(submit)
    assert FeedbackRound.objects.get().submitted_at is not None
    objection = Answer.objects.get(comment_problem=unit["comment"])
    assert (objection.agrees, objection.reason) == (False, "已于2021年培育市级示范点2个")
    # Submitted: no more changes.
    client.post(answer_url(f"c{unit['comment'].pk}"), {"agrees": "1"})
    assert not Answer.objects.get(comment_problem=unit["comment"]).agrees


def test_finalizing_waits_for_the_feedback_and_every_objection_answered(setup, unit, login):
    approve(setup)
    with pytest.raises(ValidationError, match="青山县的反馈尚未提交"):
        workflow.target_finalize(target=setup["qs_target"], user=setup["admin"])
    feedback = FeedbackRound.objects.get()
    services.answer_save(feedback=feedback, problem=unit["problem"], agrees=True, user=unit["user"])
    objection = services.answer_save(
        feedback=feedback, comment_problem=unit["comment"], agrees=False, reason="已整改", user=unit["user"]
    )
    services.feedback_submit(feedback=feedback, user=unit["user"])
    with pytest.raises(ValidationError, match="青山县有1条异议尚未答复"):
        workflow.target_finalize(target=setup["qs_target"], user=setup["admin"])

    # The wrong roles cannot rule; the reviewer does.
    url = reverse("liaison:rule", args=[objection.pk])
    data = {"ruling": "modify", "reason": "部分属实", "revised_text": "市级示范点培育数量不多"}
    assert login(setup["member"]).post(url, data).status_code == 403
    assert login(unit["user"]).post(url, data).status_code == 404
    login(setup["reviewer"]).post(url, data)
    ruled = Answer.objects.get(pk=objection.pk)
    assert (ruled.ruling, ruled.revised_text, ruled.ruled_by) == (
        "modify",
        "市级示范点培育数量不多",
        setup["reviewer"],
    )
    assert services.wording(unit["comment"].text, ruled) == "市级示范点培育数量不多"
    workflow.target_finalize(target=setup["qs_target"], user=setup["admin"])


def test_past_the_deadline_finalizing_no_longer_waits(setup, unit):
    approve(setup)
    FeedbackRound.objects.update(deadline=timezone.localdate() - dt.timedelta(days=1))
    feedback = FeedbackRound.objects.get()
    with pytest.raises(ValidationError, match="反馈截止日期.*已过"):
        services.answer_save(feedback=feedback, problem=unit["problem"], agrees=True, user=unit["user"])
    workflow.target_finalize(target=setup["qs_target"], user=setup["admin"])


def test_a_problem_changed_on_objection_goes_back_to_the_group(setup, unit):
    approve(setup)
    feedback = FeedbackRound.objects.get()
    objection = services.answer_save(
        feedback=feedback, problem=unit["problem"], agrees=False, reason="台账已补齐", user=unit["user"]
    )
    services.ruling_save(answer=objection, ruling="withdraw", reason="经核实已补齐", user=setup["reviewer"])
    target = workflow.target_return(
        target=setup["qs_target"], user=setup["reviewer"], comment="请删除已核实的问题"
    )
    assert target.status == Target.Status.RETURNED
    assert services.withdrawn(Answer.objects.get(pk=objection.pk))


def test_an_inspector_attaches_the_units_file_as_evidence_while_the_work_is_open(setup, unit, login):
    unit_file = services.unit_file_add(
        campaign=setup["campaign"],
        unit=setup["qingshan"],
        purpose="self_report",
        upload=word_file(),
        user=unit["user"],
    )
    url = reverse("liaison:attach", args=[setup["qs_target"].pk, unit_file.pk])
    assert login(setup["reviewer"]).post(url, {"problem": unit["problem"].pk}).status_code == 403
    login(setup["member"]).post(url, {"problem": unit["problem"].pk})
    evidence = unit["problem"].evidence.get()
    assert (evidence.original_name, evidence.uploaded_by) == ("自查报告.docx", setup["member"])
    approve(setup)  # locked now: nothing more is attached
    login(setup["member"]).post(url, {"problem": unit["problem"].pk})
    assert unit["problem"].evidence.count() == 1


def test_the_campaigns_feedback_is_read_in_a_fixed_number_of_queries(
    setup, unit, django_assert_max_num_queries
):
    services.liaison_add(
        campaign=setup["campaign"], unit=setup["lvshui"], user=UserFactory(), by=setup["admin"]
    )
    approve(setup)
    feedback = FeedbackRound.objects.get()
    services.answer_save(
        feedback=feedback, problem=unit["problem"], agrees=False, reason="已整改", user=unit["user"]
    )
    with django_assert_max_num_queries(4):
        rows = campaign_feedback(setup["campaign"])
    assert [(r["target"].unit.name, len(r["lines"]), r["waiting"]) for r in rows] == [
        ("绿水县", 0, 0),
        ("青山县", 2, 1),
    ]
