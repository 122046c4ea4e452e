"""The 筹备步骤: the rule (assessment.domain.setup), the facts read in one query, the campaign
page's step bar with its links, and the administrator's to-do list naming what is not done."""

import re
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.domain import setup
from assessment.models import Campaign, GroupMember
from assessment.selectors.setup import setup_steps
from assessment.services import sampling
from tests.factories import AdminFactory, CampaignFactory, GroupFactory, county

pytestmark = pytest.mark.django_db

NOTHING = setup.Facts(
    target_units=0,
    people=0,
    reviewers=0,
    checklist_items=0,
    groups=0,
    groups_without_leader=0,
    targets=0,
    unassigned_units=0,
    plan_saved=False,
    targets_to_draw=0,
)
EVERYTHING = setup.Facts(
    target_units=2,
    people=5,
    reviewers=1,
    checklist_items=4,
    groups=2,
    groups_without_leader=0,
    targets=2,
    unassigned_units=0,
    plan_saved=True,
    targets_to_draw=0,
)


def test_a_fresh_database_has_every_step_to_do_in_the_order_offices_do_them():
    steps = setup.steps(NOTHING)
    assert [s.label for s in steps] == [
        "单位名册",
        "人员",
        "考核工作",
        "考核项目清单",
        "考核组和考核对象",
        "抽查方案",
        "抽签",
    ]
    assert [s.missing for s in steps] == [
        "名册中还没有可考核的单位，请先导入单位名册",
        "还没有考核人员的账号，请先添加或导入人员",
        "尚未指定审核人员",
        "尚未导入考核项目清单",
        "尚未建立考核组",
        "尚未确认抽查方案",
        "先分配考核对象",
    ]
    assert not any(s.done for s in steps)


def test_everything_done_leaves_nothing_pending():
    assert all(s.done and s.missing == "" for s in setup.steps(EVERYTHING))
    assert setup.pending(EVERYTHING) == []


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"targets": 0}, "考核组尚未分配考核对象"),
        ({"groups_without_leader": 1}, "1 个考核组没有组长"),
        ({"unassigned_units": 3}, "还有 3 个单位未分配考核组"),
    ],
)
def test_the_groups_step_says_what_is_missing(change, missing):
    facts = replace(EVERYTHING, **change)
    (groups,) = [s for s in setup.pending(facts) if s.key == "groups"]
    assert groups.missing == missing


def test_the_draw_step_counts_the_targets_not_drawn():
    facts = replace(EVERYTHING, **{"targets_to_draw": 2})
    assert [s.missing for s in setup.pending(facts)] == ["2 个考核对象尚未抽签"]


def pending_of(campaign) -> dict[str, str]:
    return {s.key: s.missing for s in setup_steps(campaign) if not s.done}


def test_the_facts_come_from_the_database_in_one_query(setup):
    campaign = setup["campaign"]
    with CaptureQueriesContext(connection) as queries:
        steps = setup_steps(campaign)
    assert len(queries) == 1
    # The fixture: two counties, both assigned; reviewers, people, a checklist; 第六组 has no leader;
    # no plan confirmed, nothing drawn.
    assert {s.key: s.missing for s in steps if not s.done} == {
        "groups": "1 个考核组没有组长",
        "plan": "尚未确认抽查方案",
        "draw": "2 个考核对象尚未抽签",
    }
    GroupMember.objects.filter(user=setup["other"]).update(role=GroupMember.Role.LEADER)
    sampling.sampling_plan_set(campaign=campaign, counts={"townships": 1}, user=setup["admin"])
    sampling.sample_draw(target=setup["qs_target"], seed=7, user=setup["admin"])
    assert pending_of(campaign) == {"draw": "1 个考核对象尚未抽签"}
    sampling.sample_draw(target=setup["lv_target"], seed=7, user=setup["admin"])
    assert pending_of(campaign) == {}


def test_an_empty_campaign_on_a_fresh_database_starts_from_the_roster():
    admin = AdminFactory(username="guanli")
    campaign = CampaignFactory(title="2022年度党建工作年终考核", year=2022)
    assert list(pending_of(campaign)) == [
        "roster",
        "people",
        "campaign",
        "checklist",
        "groups",
        "plan",
        "draw",
    ]
    GroupFactory(campaign=campaign, name="第一组")
    assert pending_of(campaign)["groups"] == "考核组尚未分配考核对象"
    assert admin.is_staff  # administrators are not counted as people to put on groups


def test_the_campaign_page_shows_the_steps_with_links_to_the_administrator_only(setup, login):
    campaign = setup["campaign"]
    html = login(setup["admin"]).get(campaign.get_absolute_url()).content.decode()
    steps = re.findall(r'data-step="(\w+)" data-done="(\d)"', html)
    assert steps == [
        ("roster", "1"),
        ("people", "1"),
        ("campaign", "1"),
        ("checklist", "1"),
        ("groups", "0"),
        ("plan", "0"),
        ("draw", "0"),
    ]
    assert "还有 3 步未完成" in html
    assert f'href="{reverse("campaigns:sampling", args=[campaign.pk])}"' in html
    assert f'href="{reverse("units:index")}"' in html and f'href="{reverse("people:index")}"' in html
    assert "：1 个考核组没有组长" in html
    reviewer = login(setup["reviewer"]).get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="setup-steps"' not in reviewer
    campaign.status = Campaign.Status.ACTIVE
    campaign.save()
    assert (
        'data-testid="setup-steps"'
        not in login(setup["admin"]).get(campaign.get_absolute_url()).content.decode()
    )


def test_the_administrators_to_do_list_names_the_steps_not_done(setup, login):
    html = login(setup["admin"]).get(reverse("home")).content.decode()
    (pending,) = re.findall(r'data-testid="todo-setup-pending">(.*?)</span>', html, re.S)
    assert pending.strip() == (
        "未完成：考核组和考核对象（1 个考核组没有组长）；抽查方案（尚未确认抽查方案）；抽签（2 个考核对象尚未抽签）"
    )


def test_forms_on_a_fresh_database_say_where_people_and_units_come_from(client):
    admin = AdminFactory(username="guanli")
    client.force_login(admin)
    html = client.get(reverse("campaigns:create")).content.decode()
    assert 'data-testid="no-people"' in html and f'href="{reverse("people:import")}"' in html
    campaign = CampaignFactory(title="2022年度党建工作年终考核", year=2022)
    html = client.get(reverse("campaigns:group_create", args=[campaign.pk])).content.decode()
    assert 'data-testid="no-people"' in html
    assert 'data-testid="no-target-units"' in html and f'href="{reverse("units:import")}"' in html


def test_forms_with_people_and_units_say_nothing_of_the_kind(setup, login):
    client = login(setup["admin"])
    html = client.get(reverse("campaigns:create")).content.decode()
    assert 'data-testid="no-people"' not in html
    html = client.get(reverse("campaigns:edit", args=[setup["campaign"].pk])).content.decode()
    assert 'data-testid="no-people"' not in html
    county(setup["qingshan"].parent, "白石区")
    html = client.get(reverse("campaigns:group_create", args=[setup["campaign"].pk])).content.decode()
    assert 'data-testid="no-target-units"' not in html and "白石区" in html
