from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment.models import Campaign, ChecklistChange, ChecklistItem, Criterion, Deduction
from assessment.services.checklist import CriterionInput, item_delete, item_move, item_save
from tests.factories import AdminFactory, CampaignFactory, GroupFactory, add_target, city, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return AdminFactory()


@pytest.fixture
def campaign():
    return CampaignFactory()


def make_item(campaign, admin, title="老干部工作", score="15", criteria=(("专题研究老干部工作", "4"),)):
    return item_save(
        campaign=campaign,
        title=title,
        full_score=Decimal(score),
        criteria=[CriterionInput(text=t, points=Decimal(p) if p else None) for t, p in criteria],
        user=admin,
    )


def deduct(item, admin, criterion=None):
    target = add_target(GroupFactory(campaign=item.campaign), county(city(), "青山县"))
    return Deduction.objects.create(
        target=target,
        item=item,
        criterion=criterion,
        points=Decimal("0.5"),
        reason="未更新",
        created_by=admin,
    )


def test_items_are_numbered_in_order_with_their_criteria(campaign, admin):
    first = make_item(campaign, admin, "落实全面从严治党主体责任", "40")
    second = make_item(campaign, admin, "老干部工作", "15", (("一", "4"), ("二", None)))
    assert (first.order, second.order) == (1, 2)
    assert list(second.criteria.values_list("order", "text", "points")) == [
        (1, "一", Decimal("4")),
        (2, "二", None),
    ]
    assert ChecklistChange.objects.filter(campaign=campaign, action="新增项目").count() == 2


def test_criterion_points_cannot_exceed_the_item_score(campaign, admin):
    with pytest.raises(ValidationError) as exc:
        make_item(campaign, admin, "老干部工作", "5", (("一", "4"), ("二", "1.5")))
    assert "各评分细则的分值合计5.5分，超过了项目分值5分。" in exc.value.messages
    assert not ChecklistItem.objects.exists()


def test_an_item_needs_a_criterion_and_a_positive_score(campaign, admin):
    with pytest.raises(ValidationError) as exc:
        make_item(campaign, admin, "老干部工作", "0", ())
    assert set(exc.value.message_dict) == {"full_score", "criteria"}


def test_titles_are_unique_in_a_campaign(campaign, admin):
    make_item(campaign, admin)
    with pytest.raises(ValidationError, match="清单中已有“老干部工作”"):
        make_item(campaign, admin)


def test_an_item_with_a_deduction_is_locked_until_a_reason_is_given(campaign, admin):
    item = make_item(campaign, admin)
    deduct(item, admin, criterion=item.criteria.get())
    with pytest.raises(ValidationError) as exc:
        item_save(
            campaign=campaign,
            item=item,
            title="老干部工作（调整）",
            full_score=Decimal("15"),
            criteria=[
                CriterionInput(text="专题研究老干部工作", points=Decimal("4"), pk=item.criteria.get().pk)
            ],
            user=admin,
        )
    assert exc.value.message_dict["reason"] == ["该项目已有扣分记录，修改须说明原因。"]
    assert ChecklistItem.objects.get(pk=item.pk).title == "老干部工作"

    item_save(
        campaign=campaign,
        item=item,
        title="老干部工作（调整）",
        full_score=Decimal("16"),
        criteria=[CriterionInput(text="专题研究老干部工作", points=Decimal("4"), pk=item.criteria.get().pk)],
        reason="市委组织部通知调整分值",
        user=admin,
    )
    change = ChecklistChange.objects.filter(action="修改项目").get()
    assert change.reason == "市委组织部通知调整分值"
    assert (change.before["full_score"], change.after["full_score"]) == ("15", "16")
    assert change.after["title"] == "老干部工作（调整）"


def test_a_criterion_with_deductions_cannot_be_removed(campaign, admin):
    item = make_item(campaign, admin, criteria=(("一", "4"), ("二", "4")))
    first = item.criteria.get(order=1)
    deduct(item, admin, criterion=first)
    with pytest.raises(ValidationError, match="评分细则“一”下已有扣分，不能删除"):
        item_save(
            campaign=campaign,
            item=item,
            title=item.title,
            full_score=item.full_score,
            criteria=[CriterionInput(text="二", points=Decimal("4"), pk=item.criteria.get(order=2).pk)],
            reason="合并细则",
            user=admin,
        )
    assert item.criteria.count() == 2


def test_criteria_can_be_reordered_and_edited_in_place(campaign, admin):
    item = make_item(campaign, admin, criteria=(("一", "4"), ("二", "4")))
    one, two = item.criteria.order_by("order")
    item_save(
        campaign=campaign,
        item=item,
        title=item.title,
        full_score=item.full_score,
        criteria=[
            CriterionInput(text="二（改）", points=Decimal("3"), pk=two.pk),
            CriterionInput(text="一", pk=one.pk),
        ],
        user=admin,
    )
    assert list(Criterion.objects.filter(item=item).order_by("order").values_list("pk", "text")) == [
        (two.pk, "二（改）"),
        (one.pk, "一"),
    ]


def test_delete_renumbers_and_is_refused_once_scored(campaign, admin):
    a, b, c = (make_item(campaign, admin, t) for t in ("甲", "乙", "丙"))
    item_delete(item=b, reason="合并到甲", user=admin)
    assert list(campaign.items.order_by("order").values_list("title", "order")) == [("甲", 1), ("丙", 2)]
    deduct(a, admin)
    with pytest.raises(ValidationError, match="“甲”已有扣分记录，不能删除"):
        item_delete(item=a, user=admin)


def test_move_swaps_neighbours(campaign, admin):
    make_item(campaign, admin, "甲")
    b = make_item(campaign, admin, "乙")
    item_move(item=b, up=True, user=admin)
    assert list(campaign.items.order_by("order").values_list("title", flat=True)) == ["乙", "甲"]
    item_move(item=ChecklistItem.objects.get(pk=b.pk), up=True, user=admin)  # already first: nothing happens
    assert list(campaign.items.order_by("order").values_list("title", flat=True)) == ["乙", "甲"]


def test_closed_campaign_checklist_is_frozen(campaign, admin):
    item = make_item(campaign, admin)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="考核工作已结束"):
        make_item(campaign, admin, "新项目")
    with pytest.raises(ValidationError, match="考核工作已结束"):
        item_delete(item=ChecklistItem.objects.select_related("campaign").get(pk=item.pk), user=admin)


def test_item_edit_page_saves_through_the_formset(client, campaign, admin):
    item = make_item(campaign, admin, criteria=(("一", "4"),))
    client.force_login(admin)
    criterion = item.criteria.get()
    response = client.post(
        reverse("campaigns:item_edit", args=[item.pk]),
        {
            "title": "老干部工作",
            "full_score": "15",
            "lead_department": "市委老干部局",
            "criteria-TOTAL_FORMS": "3",
            "criteria-INITIAL_FORMS": "1",
            "criteria-0-id": criterion.pk,
            "criteria-0-text": "一（修订）",
            "criteria-0-points": "5",
            "criteria-1-text": "新增的细则",
            "criteria-1-points": "",
            "criteria-2-text": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.lead_department == "市委老干部局"
    assert list(item.criteria.order_by("order").values_list("text", "points")) == [
        ("一（修订）", Decimal("5")),
        ("新增的细则", None),
    ]


def test_item_edit_page_shows_the_lock_and_keeps_input_on_error(client, campaign, admin):
    item = make_item(campaign, admin)
    deduct(item, admin)
    client.force_login(admin)
    html = client.get(reverse("campaigns:item_edit", args=[item.pk])).content.decode()
    assert "该项目已有扣分记录" in html
    response = client.post(
        reverse("campaigns:item_edit", args=[item.pk]),
        {
            "title": "改名",
            "full_score": "15",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-text": "专题研究老干部工作",
        },
    )
    html = response.content.decode()
    assert "该项目已有扣分记录，修改须说明原因。" in html and 'value="改名"' in html
