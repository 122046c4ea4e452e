import pytest
from django.core.exceptions import ValidationError

from assessment.models import Campaign, CampaignReviewer, SamplingPlan
from assessment.services.campaigns import (
    campaign_create,
    campaign_set_reviewers,
    campaign_set_status,
    campaign_update,
)
from tests.factories import CampaignFactory, ChecklistItemFactory, GroupFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


def test_a_new_campaign_starts_in_preparation_with_a_default_plan():
    campaign = campaign_create(title=" 2021年度党建工作年终考核 ", year=2021)
    assert campaign.title == "2021年度党建工作年终考核"
    assert campaign.status == Campaign.Status.PREPARING
    assert SamplingPlan.objects.get(campaign=campaign, target=None).counts()["townships"] == 4


def test_titles_are_unique_with_a_clear_message():
    CampaignFactory(title="2021年度党建工作年终考核")
    with pytest.raises(ValidationError) as exc:
        campaign_create(title="2021年度党建工作年终考核", year=2021)
    assert exc.value.message_dict["title"] == ["已有名为“2021年度党建工作年终考核”的考核工作。"]
    assert Campaign.objects.count() == 1


def test_period_must_be_in_order_and_year_sane():
    import datetime as dt

    with pytest.raises(ValidationError) as exc:
        campaign_create(
            title="x", year=1900, period_start=dt.date(2022, 1, 20), period_end=dt.date(2022, 1, 10)
        )
    assert set(exc.value.message_dict) == {"year", "period_end"}
    assert not Campaign.objects.exists()


def test_update_changes_fields():
    campaign = CampaignFactory()
    campaign_update(campaign=campaign, issuer="县委", note="说明")
    campaign.refresh_from_db()
    assert (campaign.issuer, campaign.note) == ("县委", "说明")


def test_starting_needs_a_checklist():
    campaign = CampaignFactory()
    with pytest.raises(ValidationError, match="请先导入或填写考核项目清单"):
        campaign_set_status(campaign=campaign, status=Campaign.Status.ACTIVE)
    ChecklistItemFactory(campaign=campaign)
    campaign_set_status(campaign=campaign, status=Campaign.Status.ACTIVE)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.ACTIVE


def test_preparation_cannot_jump_to_closed():
    campaign = CampaignFactory()
    with pytest.raises(ValidationError, match="不能从“筹备中”改为“已结束”"):
        campaign_set_status(campaign=campaign, status=Campaign.Status.CLOSED)


def test_reviewers_are_set_exactly():
    campaign = CampaignFactory()
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    campaign_set_reviewers(campaign=campaign, users=[a, b])
    campaign_set_reviewers(campaign=campaign, users=[b, c])
    assert set(CampaignReviewer.objects.filter(campaign=campaign).values_list("user", flat=True)) == {
        b.pk,
        c.pk,
    }


def test_a_group_member_cannot_also_review_the_campaign():
    group = GroupFactory()
    person = UserFactory(name="孙组员")
    add_member(group, person)
    with pytest.raises(ValidationError) as exc:
        campaign_set_reviewers(campaign=group.campaign, users=[person])
    assert f"孙组员 已是“{group.name}”的成员，不能同时担任审核人员。" in exc.value.messages
    assert not CampaignReviewer.objects.exists()


def test_roles_are_per_campaign():
    person = UserFactory()
    group_2021 = GroupFactory()
    add_member(group_2021, person)
    campaign_2022 = CampaignFactory()
    campaign_set_reviewers(campaign=campaign_2022, users=[person])  # a member in one, a reviewer in another
    assert CampaignReviewer.objects.filter(campaign=campaign_2022, user=person).exists()
