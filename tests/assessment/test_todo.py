"""我的考核's to-do list per role (assessment.selectors.todo) and its count in the navigation bar."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import model_audit
from assessment.models import Campaign, CampaignReviewer, GroupMember, Target, WorkflowEvent
from assessment.selectors import todo as todo_module
from assessment.selectors.todo import todo_for
from assessment.services import findings
from assessment.services.editing import LATEST
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

pytestmark = pytest.mark.django_db

Status = Target.Status
NOW = timezone.now()


def move(target: Target, status: str, *, ago: dt.timedelta, actor, comment: str = "") -> Target:
    """Put ``target`` in ``status`` as the workflow would have, ``ago`` before now."""
    at = NOW - ago
    event = WorkflowEvent.objects.create(
        target=target, actor=actor, from_status=target.status, to_status=status, comment=comment
    )
    model_audit.update(WorkflowEvent.objects.filter(pk=event.pk), at=at)  # when it happened
    target.status = status
    target.status_changed_at = at
    target.save()
    return target


def complete(target: Target, item, user) -> None:
    findings.score_decide(target=target, item=item, decided=True, version=LATEST, user=user)
    findings.evaluation_lead_save(target=target, item=item, lead="工作扎实有效", version=LATEST, user=user)


def home(client: Client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, testid: str) -> str:
    """The part of the page with ``data-testid=testid`` (a card), as text."""
    match = re.search(rf'<div class="card[^"]*" data-testid="{testid}">(.*?)\n  </div>', html, re.S)
    assert match, f"no {testid} on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def todo_part(html: str) -> str:
    """The whole to-do list (every role's part), as text; "" when there is none."""
    match = re.search(r'<section class="mb-4" data-testid="todo">(.*?)</section>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def badge(html: str) -> int | None:
    match = re.search(r'data-testid="nav-todo-count"[^>]*>(\d+)<', html)
    return int(match.group(1)) if match else None


# --- reviewer ----------------------------------------------------------------------------------


def test_reviewer_sees_submitted_counties_oldest_first_with_how_long_they_waited(setup, login):
    move(setup["lv_target"], Status.SUBMITTED, ago=dt.timedelta(days=1, hours=2), actor=setup["other"])
    move(setup["qs_target"], Status.SUBMITTED, ago=dt.timedelta(days=3, hours=1), actor=setup["leader"])
    html = home(login(setup["reviewer"]))
    review = section(html, "todo-review")
    assert "待审核" in review
    assert review.index("青山县") < review.index("绿水县")  # the longest waiting first
    assert "已等待3天1小时" in review and "已等待1天2小时" in review
    assert "已提交" in review  # the county's state, the workflow's label
    assert f'href="{setup["qs_target"].get_absolute_url()}"' in html
    assert badge(html) == 2


def test_waiting_since_is_read_from_the_workflow_event_when_the_target_does_not_say(setup):
    target = move(setup["qs_target"], Status.SUBMITTED, ago=dt.timedelta(hours=5), actor=setup["leader"])
    target.status_changed_at = None
    target.save()
    [waiting] = todo_for(setup["reviewer"]).to_review
    assert waiting.since == NOW - dt.timedelta(hours=5)


def test_a_submission_with_no_record_of_its_time_says_so(setup, login):
    target = setup["qs_target"]
    target.status = Status.SUBMITTED
    target.save()
    html = home(login(setup["reviewer"]))
    assert "提交时间无记录" in section(html, "todo-review")
    assert "已等待" not in section(html, "todo-review")


def test_a_reviewer_of_another_campaign_sees_none_of_this_campaigns_counties(setup, login):
    move(setup["qs_target"], Status.SUBMITTED, ago=dt.timedelta(hours=3), actor=setup["leader"])
    elsewhere = UserFactory(username="elsewhere", name="另一审核")
    other_campaign = CampaignFactory(title="2022年度党建工作年终考核", year=2022)
    CampaignReviewer.objects.create(campaign=other_campaign, user=elsewhere)
    html = home(login(elsewhere))
    assert "青山县" not in todo_part(html)
    assert setup["qs_target"].get_absolute_url() not in html
    assert 'data-testid="todo-review-none"' in html
    assert "没有等待审核的考核对象" in html
    assert badge(html) is None
    assert todo_for(elsewhere).to_review == []


def test_nothing_waiting_for_a_reviewer_is_one_sentence_not_an_empty_box(setup, login):
    html = home(login(setup["reviewer"]))
    assert 'data-testid="todo-review"' not in html
    assert "待审核：没有等待审核的考核对象" in html
    assert badge(html) is None


def test_a_closed_campaign_waits_for_nobody(setup, login):
    move(setup["qs_target"], Status.SUBMITTED, ago=dt.timedelta(hours=3), actor=setup["leader"])
    campaign = setup["campaign"]
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    todo = todo_for(setup["reviewer"])
    assert not todo.is_reviewer and todo.count == 0
    html = home(login(setup["reviewer"]))
    assert 'data-testid="todo"' not in html


# --- administrator -----------------------------------------------------------------------------


def test_admin_sees_approved_counties_to_finalize_and_campaigns_in_preparation(setup, login):
    move(setup["qs_target"], Status.APPROVED, ago=dt.timedelta(days=2), actor=setup["reviewer"])
    move(setup["lv_target"], Status.SUBMITTED, ago=dt.timedelta(days=2), actor=setup["other"])
    preparing = CampaignFactory(title="2022年度党建工作年终考核", year=2022)  # 筹备中 by default
    setup["campaign"].status = Campaign.Status.ACTIVE
    setup["campaign"].save()
    html = home(login(setup["admin"]))
    finalize = section(html, "todo-finalize")
    assert "青山县" in finalize and "已审核" in finalize and "已等待2天" in finalize
    assert "绿水县" not in finalize  # submitted, not yet approved: the reviewer's
    setup_part = section(html, "todo-preparing")
    assert "2022年度党建工作年终考核" in setup_part and "2021年度" not in setup_part
    assert f'href="{preparing.get_absolute_url()}"' in html
    assert badge(html) == 2
    assert 'data-testid="todo-review"' not in html  # the admin reviews no campaign


def test_admin_with_nothing_to_finalize_is_told_so(setup, login):
    setup["campaign"].status = Campaign.Status.ACTIVE
    setup["campaign"].save()
    html = home(login(setup["admin"]))
    assert "待定稿：没有等待定稿的考核对象" in html
    assert 'data-testid="todo-preparing"' not in html
    assert badge(html) is None


# --- leader ------------------------------------------------------------------------------------


def test_leader_sees_returned_counties_with_the_reviewers_comment_and_those_to_submit(setup, login):
    second = add_target(setup["fifth"], county(setup["qingshan"].parent, "白石区"))
    move(setup["qs_target"], Status.SUBMITTED, ago=dt.timedelta(days=2), actor=setup["leader"])
    move(
        setup["qs_target"],
        Status.RETURNED,
        ago=dt.timedelta(days=1),
        actor=setup["reviewer"],
        comment="问题清单缺少整改时限，请补充。",
    )
    complete(second, setup["item"], setup["leader"])
    html = home(login(setup["leader"]))
    returned = section(html, "todo-returned")
    assert "青山县" in returned and "退回修改" in returned
    assert "问题清单缺少整改时限，请补充。" in returned and "赵审核" in returned
    to_submit = section(html, "todo-submit")
    assert "白石区" in to_submit and "已完成 1/1 项" in to_submit
    assert "青山县" not in to_submit and "绿水县" not in todo_part(html)  # another group's county
    assert badge(html) == 2


def test_a_leader_with_nothing_returned_is_told_so(setup, login):
    html = home(login(setup["leader"]))
    assert "退回修改：本组没有被退回的考核对象" in html
    assert "已完成 0/1 项" in section(html, "todo-submit")
    assert badge(html) == 1


# --- member ------------------------------------------------------------------------------------


def test_member_sees_unfinished_items_per_county_with_a_link_to_the_workspace(setup, login):
    html = home(login(setup["member"]))
    unfinished = section(html, "todo-unfinished")
    assert "青山县" in unfinished and "还有 1 项未完成（已完成 0/1）" in unfinished
    assert f'href="{setup["qs_target"].get_absolute_url()}"' in html
    assert "绿水县" not in unfinished
    assert 'data-testid="todo-review' not in html and 'data-testid="todo-finalize' not in html
    assert badge(html) == 1

    complete(setup["qs_target"], setup["item"], setup["leader"])
    html = home(login(setup["member"]))
    assert 'data-testid="todo-unfinished"' not in html
    assert "没有未完成的项目" in html
    assert badge(html) is None


def test_a_submitted_county_waits_for_the_reviewer_not_the_member(setup, login):
    move(setup["qs_target"], Status.SUBMITTED, ago=dt.timedelta(hours=1), actor=setup["leader"])
    todo = todo_for(setup["member"])
    assert todo.is_member and todo.unfinished == []


def test_other_groups_member_sees_only_their_own_county(setup, login):
    html = home(login(setup["other"]))
    unfinished = section(html, "todo-unfinished")
    assert "绿水县" in unfinished and "青山县" not in todo_part(html)


# --- no role, several roles --------------------------------------------------------------------


def test_someone_with_no_role_sees_no_to_do_list_and_no_badge(setup, login):
    html = home(login(setup["outsider"]))
    assert 'data-testid="todo"' not in html
    assert "您目前没有参加任何考核工作" in html
    assert badge(html) is None


def test_a_person_with_several_roles_sees_each_part(setup, login):
    """赵审核 reviews 2021 and leads a group in 2022."""
    move(setup["qs_target"], Status.SUBMITTED, ago=dt.timedelta(hours=4), actor=setup["leader"])
    later = CampaignFactory(title="2022年度党建工作年终考核", year=2022)
    ChecklistItemFactory(campaign=later, order=1, title="组织建设")
    group = GroupFactory(campaign=later, name="市委第一考核组")
    add_member(group, setup["reviewer"], role=GroupMember.Role.LEADER)
    add_target(group, setup["lvshui"])
    html = home(login(setup["reviewer"]))
    assert "青山县" in section(html, "todo-review")
    assert "绿水县" in section(html, "todo-submit") and "已完成 0/1 项" in section(html, "todo-submit")
    assert "退回修改：本组没有被退回的考核对象" in html
    assert badge(html) == 2


# --- queries and the navigation bar's count ----------------------------------------------------


def _big_campaign(counties: int):
    """A campaign with ``counties`` counties over four groups, every role's list full; one person
    who is an administrator, its reviewer, and a leader (the most a to-do list reads)."""
    boss = AdminFactory(username=f"boss{counties}", name="全能")
    campaign = CampaignFactory(title=f"考核{counties}", year=2030 + counties % 50)
    for order in range(1, 4):
        ChecklistItemFactory(campaign=campaign, order=order, title=f"项目{order}")
    CampaignReviewer.objects.create(campaign=campaign, user=boss)
    root = city(f"市{counties}")
    groups = [GroupFactory(campaign=campaign, name=f"第{n}组") for n in range(4)]
    add_member(groups[0], boss, role=GroupMember.Role.LEADER)
    statuses = [Status.DRAFTING, Status.SUBMITTED, Status.RETURNED, Status.APPROVED]
    for n in range(counties):
        target = add_target(groups[n % 4] if n % 3 else groups[0], county(root, f"{counties}县{n}"))
        if statuses[n % 4] != Status.DRAFTING:
            move(target, statuses[n % 4], ago=dt.timedelta(hours=n + 1), actor=boss, comment="改")
    return boss


def test_the_to_do_list_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    small, big = _big_campaign(4), _big_campaign(40)
    with django_assert_max_num_queries(5):
        few = todo_for(small)
    with django_assert_max_num_queries(5):
        many = todo_for(big)
    assert few.count < many.count
    assert len(many.to_review) == 10  # 40 counties, a quarter of each state
    assert len([w for w in many.to_finalize if w.target.campaign.title == "考核40"]) == 10
    leaders = [n for n in range(40) if n % 3 == 0 or n % 4 == 0]  # the counties of the leader's group
    assert len(many.returned) == len([n for n in leaders if n % 4 == 2]) == 3
    assert len(many.to_submit) == len([n for n in leaders if n % 4 == 0]) == 10


def test_the_home_page_does_not_read_more_with_more_counties():
    counts = []
    for size in (4, 40):
        client = Client()
        client.force_login(_big_campaign(size))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.fixture
def computations(monkeypatch):
    """How many times the to-do list is worked out."""
    calls = []
    original = todo_module._compute

    def counting(user):
        calls.append(user.pk)
        return original(user)

    monkeypatch.setattr(todo_module, "_compute", counting)
    return calls


def test_the_badge_is_worked_out_once_a_request_shared_with_the_home_page(setup, login, computations):
    client = login(setup["member"])
    home(client)
    assert computations == [setup["member"].pk]
    computations.clear()
    response = client.get(reverse("campaigns:index"))
    assert badge(response.content.decode()) == 1
    assert computations == [setup["member"].pk]


def test_no_badge_and_no_reading_for_someone_not_signed_in(client, computations, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'data-testid="nav-todo-count"' not in response.content.decode()
    assert computations == []


def test_a_page_without_the_navigation_bar_does_not_work_it_out(setup, login, computations):
    """An htmx fragment (a unit search in the workspace) renders no navigation bar: nothing read."""
    client = login(setup["leader"])
    response = client.get(
        reverse("campaigns:unit_search", args=[setup["qs_target"].pk]), {"q": "城关"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert computations == []
