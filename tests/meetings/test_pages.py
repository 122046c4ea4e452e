"""The meeting as its users meet it: prepared by reviewers and administrators, its 点评 edited
by the chair, read by the campaign's people, locked once held; every refusal checked."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditLog
from meetings.models import AgendaItem, CommentProblem, Meeting, Speaker
from meetings.services import meetings as services
from tests.factories import UserFactory, form_token

pytestmark = pytest.mark.django_db


def test_a_new_meeting_has_seed_001s_four_agenda_items(meeting):
    assert [(i.kind, i.title) for i in meeting.agenda.order_by("position")] == [
        ("reports", "述职和点评"),
        ("comprehensive", "综合点评"),
        ("superior", "上级点评"),
        ("ballot", "民主测评"),
    ]
    titles = list(meeting.speakers.order_by("position").values_list("title", flat=True))
    assert titles == ["城关镇党委书记", "青山县教育局党组书记"]  # from the roster's party organization


def test_a_reviewer_creates_a_meeting_through_the_page(setup, login):
    client = login(setup["reviewer"])
    response = client.post(
        reverse("meetings:create", args=[setup["campaign"].pk]),
        {
            "title": "述职评议会议",
            "minutes": "8",
            "guests": "市委组织部组织二科科长 赵强",
            "form_token": form_token(),
        },
    )
    meeting = Meeting.objects.get()
    assert response.headers["Location"] == meeting.get_absolute_url()
    assert meeting.created_by == setup["reviewer"] and meeting.agenda.count() == 4


def test_guests_not_written_title_then_name_are_refused_with_the_line(setup, login):
    html = (
        login(setup["admin"])
        .post(
            reverse("meetings:create", args=[setup["campaign"].pk]),
            {"title": "述职评议会议", "minutes": "8", "guests": "赵强", "form_token": form_token()},
        )
        .content.decode()
    )
    assert "第1行“赵强”：请写成“职务 姓名”，中间空一格。" in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["leader", "member"])
def test_the_group_reads_the_meeting_but_prepares_nothing(meeting, login, setup, who):
    client = login(setup[who])
    assert client.get(meeting.get_absolute_url()).status_code == 200
    speaker = meeting.speakers.first()
    for name, args in (("edit", [meeting.pk]), ("speaker_add", [meeting.pk]), ("comment", [speaker.pk])):
        assert client.get(reverse(f"meetings:{name}", args=args)).status_code == 403
    response = client.post(
        reverse("meetings:comment", args=[speaker.pk]), {"achievements": "改了", "problems": "", "hopes": ""}
    )
    assert response.status_code == 403
    assert Speaker.objects.get(pk=speaker.pk).achievements == ""


def test_someone_outside_the_campaign_is_told_it_does_not_exist(meeting, login, setup):
    assert login(setup["outsider"]).get(meeting.get_absolute_url()).status_code == 404


def test_the_chair_edits_the_comments_with_an_account_that_has_no_other_role(meeting, login, setup):
    chair = UserFactory(username="chair", name="刘书记")
    services.meeting_update(
        meeting=meeting, user=setup["admin"], chair=chair, chair_name="刘书记", chair_title="县委书记"
    )
    speaker = meeting.speakers.get(name="张三")
    client = login(chair)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403  # prepares nothing else
    response = client.post(
        reverse("meetings:comment", args=[speaker.pk]),
        {
            "achievements": "城关镇以党建引领助推中心工作干在实处、走在前列",
            "problems": "一是典型培育还要加强。\n2.示范带头作用还不明显\n\n",
            "hopes": "希望张三同志以抓好点评问题整改为切入点。",
        },
    )
    assert response.status_code == 302
    assert list(CommentProblem.objects.filter(speaker=speaker).values_list("text", flat=True)) == [
        "典型培育还要加强。",
        "示范带头作用还不明显",
    ]
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "示范带头作用还不明显" in html and "已点评 1/2，指出问题 2 个" in re.sub(r"\s+", " ", html)
    assert AuditLog.objects.filter(model="meetings.commentproblem", actor=chair).count() == 2


def test_editing_the_problems_keeps_the_rows_that_stay(meeting, setup):
    speaker = meeting.speakers.get(name="张三")
    services.comment_save(
        speaker=speaker, achievements="甲", problems="问题一\n问题二\n问题三", hopes="", user=setup["admin"]
    )
    first = list(speaker.problems.order_by("position"))
    services.comment_save(
        speaker=speaker, achievements="甲", problems="问题一\n问题二改", hopes="", user=setup["admin"]
    )
    after = list(speaker.problems.order_by("position"))
    assert [p.pk for p in after] == [first[0].pk, first[1].pk]
    assert [p.text for p in after] == ["问题一", "问题二改"]


def test_a_held_meeting_locks_speakers_and_comments(meeting, login, setup):
    client = login(setup["admin"])
    response = client.post(reverse("meetings:state", args=[meeting.pk]), {"state": "held"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    speaker = meeting.speakers.first()
    with pytest.raises(ValidationError, match="会议已召开"):
        services.comment_save(speaker=speaker, achievements="改", problems="", hopes="", user=setup["admin"])
    client.post(reverse("meetings:speaker_delete", args=[speaker.pk]))
    assert Speaker.objects.filter(pk=speaker.pk).exists()
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="locked-notice"' in html and 'data-testid="comment-edit"' not in html
    # Held → archived; no way back to preparing.
    client.post(reverse("meetings:state", args=[meeting.pk]), {"state": "archived"})
    client.post(reverse("meetings:state", args=[meeting.pk]), {"state": "preparing"})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.ARCHIVED


def test_a_meeting_without_speakers_cannot_be_held(setup):
    empty = services.meeting_create(campaign=setup["campaign"], user=setup["admin"], title="空会议")
    with pytest.raises(ValidationError, match="还没有述职人"):
        services.meeting_set_state(meeting=empty, state="held", user=setup["admin"])


def test_the_same_unit_cannot_speak_twice(meeting, setup):
    town = meeting.speakers.get(name="张三").unit
    with pytest.raises(ValidationError, match="城关镇已在述职人名单中"):
        services.speaker_add(meeting=meeting, unit=town, name="王五", user=setup["admin"])


def test_agenda_items_are_added_moved_edited_and_deleted(meeting, login, setup):
    client = login(setup["reviewer"])
    client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"kind": "other", "title": "宣读表彰决定"})
    item = AgendaItem.objects.get(title="宣读表彰决定")
    client.post(reverse("meetings:agenda_move", args=[item.pk]), {"to": "up"})
    assert [i.title for i in meeting.agenda.order_by("position")][-2:] == ["宣读表彰决定", "民主测评"]
    comprehensive = meeting.agenda.get(kind="comprehensive")
    client.post(
        reverse("meetings:agenda_edit", args=[comprehensive.pk]),
        {"title": "综合点评", "officials": "县委常委、组织部部长 王华", "text": ""},
    )
    assert AgendaItem.objects.get(pk=comprehensive.pk).officials == "县委常委、组织部部长 王华"
    client.post(reverse("meetings:agenda_delete", args=[item.pk]))
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_speakers_come_from_the_targets_with_the_rosters_secretaries(setup, login):
    qs = setup["qingshan"]
    qs.secretary = "陈县委书记"
    qs.save()
    meeting = services.meeting_create(campaign=setup["campaign"], user=setup["admin"], title="会议")
    login(setup["admin"]).post(reverse("meetings:speakers_from_targets", args=[meeting.pk]))
    assert [(s.unit.name, s.name) for s in meeting.speakers.all()] == [
        ("青山县", "陈县委书记")
    ]  # 绿水县 has none


def test_the_room_shows_the_speaker_now_reporting(meeting, login, setup):
    speaker = meeting.speakers.get(name="张三")
    client = login(setup["admin"])
    client.post(reverse("meetings:room_set", args=[meeting.pk]), {"speaker": speaker.pk})
    meeting.refresh_from_db()
    assert meeting.current_speaker == speaker and meeting.current_item.kind == "reports"
    html = login(setup["member"]).get(reverse("meetings:room", args=[meeting.pk])).content.decode()
    assert "城关镇党委书记　张三" in html and 'data-limit="8"' in html and 'data-refresh="15"' in html
    # Deleting the speaker on the screen lets go of it first.
    services.speaker_delete(speaker=speaker, user=setup["admin"])
    meeting.refresh_from_db()
    assert meeting.current_speaker is None


def test_the_comments_problems_join_the_dashboards_problem_analysis_once_held(meeting, login, setup):
    speaker = meeting.speakers.get(name="张三")
    services.comment_save(
        speaker=speaker,
        achievements="甲",
        problems="典型培育不够\n示范作用不明显",
        hopes="",
        user=setup["admin"],
    )
    url = reverse("reports:problems", args=[setup["campaign"].pk])
    client = login(setup["reviewer"])
    assert 'data-testid="meeting-problems"' not in client.get(url).content.decode()  # not yet held
    services.meeting_set_state(meeting=meeting, state="held", user=setup["admin"])
    html = client.get(url).content.decode()
    assert "实地考核 0 个，述职评议点评 2 个" in html
    assert "（城关镇党委书记张三）" in html
    assert "示范作用不明显" in html


def test_the_meetings_ballot_rates_its_speakers_and_is_linked_from_the_agenda(meeting, login, setup):
    from ballots.models import Ballot

    client = login(setup["reviewer"])
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "发起民主测评" in html
    response = client.post(reverse("ballots:from_meeting", args=[meeting.pk]))
    ballot = Ballot.objects.get()
    assert response.headers["Location"] == reverse("ballots:detail", args=[ballot.pk])
    assert ballot.meeting == meeting and ballot.campaign == meeting.campaign
    assert [(s.name, s.title) for s in ballot.subjects.order_by("position")] == [
        ("张三", "城关镇党委书记"),
        ("李四", "青山县教育局党组书记"),  # written speakers are rated too
    ]
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{reverse("ballots:detail", args=[ballot.pk])}"' in html and ">发起民主测评<" not in html
    client.post(reverse("ballots:from_meeting", args=[meeting.pk]))  # a second: refused
    assert Ballot.objects.count() == 1
    assert login(setup["leader"]).post(reverse("ballots:from_meeting", args=[meeting.pk])).status_code == 403
