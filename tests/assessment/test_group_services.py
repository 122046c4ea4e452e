import pytest
from django.core.exceptions import ValidationError

from assessment.models import Campaign, Deduction, GroupMember, Target
from assessment.services.groups import RecusalRequired, group_save
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    ChecklistItemFactory,
    UnitFactory,
    UserFactory,
    city,
    county,
    township,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    c = city("云山市")
    qs, lv = county(c, "青山县"), county(c, "绿水县")
    finance = UnitFactory(name="青山县财政局", kind=Unit.Kind.COUNTY_ORGAN, parent=qs)
    return {
        "campaign": CampaignFactory(),
        "qingshan": qs,
        "lvshui": lv,
        "admin": AdminFactory(),
        "leader": UserFactory(name="钱组长"),
        "member": UserFactory(name="孙组员", home_unit=finance),
        "other": UserFactory(name="李组员"),
    }


def save(world, **overrides):
    fields = {
        "campaign": world["campaign"],
        "name": "市委第五考核组",
        "leader": world["leader"],
        "members": [world["other"]],
        "targets": [world["lvshui"]],
        "methods": ["document_check", "random_sampling"],
        "user": world["admin"],
    }
    return group_save(**{**fields, **overrides})


def test_group_is_saved_with_leader_members_targets_and_methods_in_report_order(world):
    group = save(world)
    roles = dict(GroupMember.objects.filter(group=group).values_list("user__name", "role"))
    assert roles == {"钱组长": "leader", "李组员": "member"}
    assert [t.unit.name for t in group.targets.all()] == ["绿水县"]
    assert group.method_labels() == ["随机抽样", "资料印证"]


def test_member_from_inside_a_target_county_needs_a_confirmed_reason(world):
    with pytest.raises(RecusalRequired) as exc:
        save(world, members=[world["member"]], targets=[world["qingshan"]])
    assert "孙组员 的所在单位“青山县财政局”位于考核对象“青山县”内" in str(exc.value)
    assert not GroupMember.objects.exists() and not Target.objects.exists()

    group = save(
        world, members=[world["member"]], targets=[world["qingshan"]], recusal_reason="仅负责资料汇总"
    )
    membership = GroupMember.objects.get(group=group, user=world["member"])
    assert membership.recusal_reason == "仅负责资料汇总"
    assert membership.recusal_confirmed_by == world["admin"] and membership.recusal_confirmed_at


def test_confirmed_recusal_is_not_asked_again(world):
    group = save(
        world, members=[world["member"]], targets=[world["qingshan"]], recusal_reason="仅负责资料汇总"
    )
    save(
        world,
        group=group,
        members=[world["member"]],
        targets=[world["qingshan"]],
        name="市委第五考核组（调整）",
    )
    assert GroupMember.objects.get(user=world["member"]).recusal_reason == "仅负责资料汇总"


def test_recusal_applies_to_the_leader_too(world):
    with pytest.raises(RecusalRequired):
        save(world, leader=world["member"], members=[], targets=[world["qingshan"]])


def test_a_county_belongs_to_one_group_per_campaign(world):
    save(world)
    with pytest.raises(ValidationError) as exc:
        save(world, name="市委第六考核组", leader=UserFactory(), members=[])
    assert "“绿水县”已由“市委第五考核组”负责考核。" in exc.value.messages


def test_a_person_sits_on_one_group_per_campaign(world):
    save(world)
    with pytest.raises(ValidationError) as exc:
        save(
            world,
            name="市委第六考核组",
            leader=UserFactory(),
            members=[world["other"]],
            targets=[world["qingshan"]],
        )
    assert "李组员 已在“市委第五考核组”中，同一次考核中每人只能参加一个考核组。" in exc.value.messages


def test_a_reviewer_cannot_join_a_group(world):
    from assessment.models import CampaignReviewer

    CampaignReviewer.objects.create(campaign=world["campaign"], user=world["other"])
    with pytest.raises(ValidationError, match="是本次考核的审核人员"):
        save(world)


def test_only_counties_can_be_targets(world):
    town = township(world["qingshan"], "城关镇")
    with pytest.raises(ValidationError, match="“城关镇”不能作为考核对象：本次考核的对象是在用县（区）。"):
        save(world, targets=[town])


def test_a_leader_is_required_and_names_unique(world):
    save(world)
    with pytest.raises(ValidationError) as exc:
        save(world, leader=None, targets=[world["qingshan"]], members=[])
    assert set(exc.value.message_dict) == {"name", "leader"}


def test_leader_and_member_can_swap(world):
    group = save(world)
    save(world, group=group, leader=world["other"], members=[world["leader"]])
    roles = dict(GroupMember.objects.filter(group=group).values_list("user__name", "role"))
    assert roles == {"李组员": "leader", "钱组长": "member"}


def test_a_target_with_records_cannot_be_removed(world):
    group = save(world)
    target = Target.objects.get(group=group)
    item = ChecklistItemFactory(campaign=world["campaign"])
    Deduction.objects.create(
        target=target, item=item, points=1, reason="未制定清单", created_by=world["admin"]
    )
    with pytest.raises(ValidationError, match="“绿水县”已有扣分 1 条，不能从考核组中移除"):
        save(world, group=group, targets=[world["qingshan"]])
    assert Target.objects.filter(group=group, unit=world["lvshui"]).exists()


def test_closed_campaign_groups_are_frozen(world):
    group = save(world)
    Campaign.objects.filter(pk=world["campaign"].pk).update(status=Campaign.Status.CLOSED)
    world["campaign"].refresh_from_db()
    with pytest.raises(ValidationError, match="考核工作已结束"):
        save(world, group=group, name="改名")


def test_people_elsewhere_are_labelled_in_the_form(world, client):
    from assessment.services.groups import people_elsewhere

    save(world)
    assert people_elsewhere(world["campaign"]) == {
        world["leader"].pk: "市委第五考核组",
        world["other"].pk: "市委第五考核组",
    }


def test_new_targets_are_announced_once_with_their_rows(world):
    from assessment import extensions

    heard = []

    def listener(sender, campaign, targets, user, **kwargs):
        heard.append((campaign.pk, sorted(t.unit.name for t in targets), all(t.pk for t in targets)))

    extensions.targets_added.connect(listener)
    try:
        group = save(world)
        save(world, group=group, targets=[world["lvshui"], world["qingshan"]], members=[world["other"]])
        save(world, group=group, targets=[world["lvshui"], world["qingshan"]], members=[world["other"]])
    finally:
        extensions.targets_added.disconnect(listener)
    pk = world["campaign"].pk
    assert heard == [(pk, ["绿水县"], True), (pk, ["青山县"], True)]
