"""Every page of a campaign shows the same tabs (assessment.tabs, one include; reports and results
add theirs), and every list of its counties shows each county's state with the one badge (templates/assessment/_target_status.html)."""

import re

import pytest
from django.urls import reverse

from assessment import tabs
from assessment.models import Target
from ballots.services.setup import ballot_create
from meetings.services.meetings import meeting_create, speaker_add
from results.services import create_scheme

pytestmark = pytest.mark.django_db

WHOLE = [
    "概览",
    "考核项目清单",
    "抽查",
    "述职评议",
    "民主测评",
    "联络与反馈",
    "整改台账",
    "考核总览",
    "综合评定",
]
GROUP = ["概览", "考核项目清单", "抽查", "述职评议"]


def campaign_pages(s) -> list[tuple[str, str]]:
    """(URL, the tab it is under) of every page of the campaign (综合评定 with its scheme made)."""
    pk = s["campaign"].pk
    create_scheme(campaign=s["campaign"])
    ballot = ballot_create(campaign=s["campaign"], user=s["admin"]).pk
    meeting = meeting_create(campaign=s["campaign"], user=s["admin"], title="述职评议会议")
    speaker = speaker_add(meeting=meeting, unit=s["qingshan"], name="张三", user=s["admin"])
    return [
        (reverse("campaigns:detail", args=[pk]), "概览"),
        (reverse("campaigns:checklist", args=[pk]), "考核项目清单"),
        (reverse("campaigns:sampling", args=[pk]), "抽查"),
        (reverse("campaigns:group", args=[s["fifth"].pk]), "概览"),
        (reverse("reports:dashboard", args=[pk]), "考核总览"),
        (reverse("reports:scores", args=[pk]), "考核总览"),
        (reverse("reports:compare", args=[pk]), "考核总览"),
        (reverse("reports:problems", args=[pk]), "考核总览"),
        (reverse("reports:common_problems", args=[pk, s["item"].pk]), "考核总览"),
        (reverse("reports:charts", args=[pk]), "考核总览"),
        (reverse("results:index", args=[pk]), "综合评定"),
        (reverse("results:unit", args=[pk, s["qingshan"].pk]), "综合评定"),
        (reverse("results:meeting_scores", args=[pk]), "综合评定"),
        (reverse("results:bulletin", args=[pk]), "综合评定"),
        (reverse("meetings:index", args=[pk]), "述职评议"),
        (reverse("meetings:detail", args=[meeting.pk]), "述职评议"),
        (reverse("meetings:edit", args=[meeting.pk]), "述职评议"),
        (reverse("meetings:speaker_add", args=[meeting.pk]), "述职评议"),
        (reverse("meetings:comment", args=[speaker.pk]), "述职评议"),
        (reverse("meetings:import", args=[meeting.pk]), "述职评议"),
        (reverse("ballots:index", args=[pk]), "民主测评"),
        *[
            (reverse(f"ballots:{name}", args=[ballot]), "民主测评")
            for name in ("detail", "settings", "subjects", "entry", "import", "results")
        ],
    ]


def is_preparation(url: str) -> bool:
    """A 述职评议 page only its preparers (reviewers, administrators) open."""
    return "/meetings/" in url and any(part in url for part in ("/edit/", "/add/", "/comment/", "/import/"))


def tab_labels(html: str) -> list[str]:
    block = re.search(
        r'<ul class="nav nav-tabs app-tabs mb-3" data-testid="campaign-tabs">(.*?)</ul>', html, re.S
    )
    assert block, "no campaign tabs on the page"
    assert html.count('data-testid="campaign-tabs"') == 1
    return re.findall(r'data-testid="campaign-tab">([^<]+)</a>', block.group(1))


def active_tab(html: str) -> str:
    return re.search(
        r'class="nav-link active" aria-current="page" href="[^"]*" data-testid="campaign-tab">([^<]+)<', html
    ).group(1)


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_every_campaign_page_shows_the_same_tabs_in_the_same_order(setup, login, who):
    client = login(setup[who])
    for url, under in campaign_pages(setup):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert tab_labels(html) == WHOLE, url
        assert active_tab(html) == under, url


@pytest.mark.parametrize("who", ["leader", "member"])
def test_the_group_sees_the_tabs_of_its_role_on_every_page_it_may_open(setup, login, who):
    client = login(setup[who])
    for url, _under in campaign_pages(setup):
        response = client.get(url)
        if "/reports/" in url or "/results/" in url or "/ballots/" in url or is_preparation(url):
            assert response.status_code == 403, (
                url
            )  # 考核总览, 综合评定, 民主测评: reviewers' and administrators'
            continue
        assert response.status_code == 200, url
        assert tab_labels(response.content.decode()) == GROUP, url


def test_the_tabs_come_from_one_definition_which_reports_adds_to():
    assert [t.key for t in tabs.TABS] == [
        "overview",
        "checklist",
        "sampling",
        "meetings",
        "ballots",
        "liaison",
        "ledger",
        "dashboard",
        "results",
    ]
    assert [str(t.label) for t in tabs.tabs_for("reviewer")] == WHOLE
    assert [str(t.label) for t in tabs.tabs_for("member")] == GROUP
    assert tabs.tabs_for(None) == []
    tabs.register(tabs.CampaignTab("dashboard", "again", "reports:dashboard"))  # once only
    assert len(tabs.TABS) == 9


def statuses(html: str) -> dict[str, str]:
    """County → the state its badge shows, on a page listing counties."""
    found = {}
    for match in re.finditer(r'>([^<>]+[县区])</a>.{0,200}?data-testid="county-status">([^<]+)<', html, re.S):
        found[match.group(1)] = match.group(2)
    return found


def test_every_list_of_counties_shows_each_countys_state(setup, login):
    target = setup["qs_target"]
    target.status = Target.Status.SUBMITTED
    target.save()
    client = login(setup["admin"])
    pk = setup["campaign"].pk
    for url in (
        reverse("campaigns:detail", args=[pk]),
        reverse("campaigns:sampling", args=[pk]),
        reverse("reports:dashboard", args=[pk]),
    ):
        html = client.get(url).content.decode()
        assert statuses(html) == {"青山县": "已提交", "绿水县": "填报中"}, url
        assert 'class="badge app-wf app-wf-submitted"' in html
    group_page = client.get(reverse("campaigns:group", args=[setup["fifth"].pk])).content.decode()
    assert statuses(group_page) == {"青山县": "已提交"}


def test_a_groups_people_see_their_countys_state_on_the_campaign_pages(setup, login):
    client = login(setup["member"])
    html = client.get(reverse("campaigns:detail", args=[setup["campaign"].pk])).content.decode()
    assert statuses(html) == {"青山县": "填报中"}  # their own group only
