"""Applying a checklist import: it replaces the campaign's checklist all or nothing, is refused
once findings exist or the campaign is closed, and keeps a JSON summary. Reading and checking the
file is tested in test_checklist_import.py, whose helpers these tests share."""

import json
from decimal import Decimal

import pytest
from django.db import IntegrityError

from assessment.importing import checklist_as_json
from assessment.models import Campaign, ChecklistChange, ChecklistItem, Deduction, Problem
from tests.assessment.test_checklist_import import (
    EXPECTED,
    SHEET,
    assert_nothing_written,
    campaign,
    checklist_file,
    import_into,
    item_rows,
    old_checklist,
    plan_of,
)
from tests.factories import ChecklistItemFactory, GroupFactory, UserFactory, add_target, city, county

pytestmark = pytest.mark.django_db
__all__ = ["campaign", "old_checklist"]  # fixtures, used by name


def test_import_replaces_the_existing_checklist(campaign, old_checklist):
    other = ChecklistItemFactory(
        campaign=Campaign.objects.create(title="2022年度党建工作年终考核", year=2022),
        title="别的考核工作的项目",
    )  # another campaign's checklist stays
    user = UserFactory(username="wangwu")

    plan = import_into(campaign, checklist_file(*item_rows()), user=user)

    assert plan.ok, plan.error_messages()
    assert plan.replaced_items == 2
    assert plan.summary()["replaces_existing"] is True
    assert checklist_as_json(campaign) == EXPECTED
    assert ChecklistItem.objects.filter(pk=other.pk).exists()
    change = ChecklistChange.objects.get()
    assert (change.before, change.after, change.changed_by) == (old_checklist, EXPECTED, user)


def test_importing_the_same_file_twice_gives_the_same_checklist(campaign):
    data = checklist_file(*item_rows())
    import_into(campaign, data)

    plan = import_into(campaign, data)

    assert plan.ok, plan.error_messages()
    assert plan.replaced_items == 4
    assert checklist_as_json(campaign) == EXPECTED
    assert ChecklistChange.objects.count() == 2


def _target(campaign):
    """A target of the campaign and an inspector, to record a deduction or a problem against."""
    group = GroupFactory(campaign=campaign)
    target = add_target(group, county(city()))
    return target, UserFactory(username="kaohe")


def test_a_campaign_with_deductions_is_refused(campaign, old_checklist):
    item = ChecklistItem.objects.get(campaign=campaign, order=1)
    target, inspector = _target(campaign)
    Deduction.objects.create(
        target=target, item=item, points=Decimal("1"), reason="未落实", created_by=inspector
    )

    plan = import_into(campaign, checklist_file(*item_rows()))

    assert plan.error_messages() == [
        "考核工作“2021年度党建工作年终考核”的考核项目已有扣分记录，不能整体替换考核项目清单。"
        "请在考核项目清单页面逐项修改。"
    ]
    assert_nothing_written(campaign, old_checklist)


def test_a_campaign_with_problems_is_refused(campaign, old_checklist):
    item = ChecklistItem.objects.get(campaign=campaign, order=2)
    target, inspector = _target(campaign)
    Problem.objects.create(target=target, item=item, text="台账不全", created_by=inspector)

    plan = import_into(campaign, checklist_file(*item_rows()))

    assert plan.file_error == (
        "考核工作“2021年度党建工作年终考核”的考核项目下已有问题记录，不能整体替换考核项目清单。"
        "请在考核项目清单页面逐项修改。"
    )
    assert_nothing_written(campaign, old_checklist)


def test_a_closed_campaign_is_refused(campaign, old_checklist):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    campaign.refresh_from_db()

    plan = import_into(campaign, checklist_file(*item_rows()))

    assert plan.file_error == "考核工作已结束，考核项目清单不能修改；如需修改请先由管理员重新开启考核工作。"
    assert_nothing_written(campaign, old_checklist)


def test_a_failure_while_writing_rolls_everything_back(campaign, old_checklist, monkeypatch):
    def interrupted(**kwargs):
        raise IntegrityError("a deduction was recorded meanwhile")

    monkeypatch.setattr(ChecklistChange.objects, "create", interrupted)

    plan = import_into(campaign, checklist_file(*item_rows()))

    assert plan.file_error == "导入时考核项目清单正被其他人修改，未写入任何数据。请重新上传预览后再确认。"
    assert_nothing_written(campaign, old_checklist)


def test_a_deleted_campaign_is_reported(campaign):
    gone = Campaign.objects.get(pk=campaign.pk)
    campaign.delete()

    plan = import_into(gone, checklist_file(*item_rows()))

    assert plan.file_error == "考核工作“2021年度党建工作年终考核”已被删除，未写入任何数据。"
    assert not ChecklistItem.objects.exists()


# -- the preview ------------------------------------------------------------------------


def test_summary_is_json_and_shows_every_item_with_its_criteria(campaign, old_checklist):
    data = checklist_file(*item_rows(), ["合计", None, 40], ["注：……"], [], ["填表人："])

    summary = plan_of(data, campaign).summary()

    assert json.loads(json.dumps(summary)) == summary
    assert {k: v for k, v in summary.items() if k != "items"} == {
        "file_name": "清单.xlsx",
        "campaign": "2021年度党建工作年终考核",
        "sheet": SHEET,
        "header_row": 2,
        "other_sheets": [],
        "ignored_columns": ["A列“序号”"],
        "replaces_existing": True,
        "replaced_items": 2,
        "item_count": 4,
        "criterion_count": 8,
        "total": "40",
        "total_row": 11,
        "stated_total": "40",
        "errors": [],
        "error_count": 0,
        "errors_hidden": 0,
        "notes": ["第11行是合计行，其后第12行至第14行的2行内容未读取。"],
    }
    assert summary["items"][1] == {
        "row": 6,
        "order": 2,
        "title": "党的统一战线工作和民族宗教工作",
        "full_score": "10",
        "lead_department": "市委统战部",
        "note": "",
        "points_total": "4",
        "criteria": [
            {
                "row": 6,
                "order": 1,
                "text": "学习宣传贯彻《中国共产党统一战线工作条例》，未开展的扣2分",
                "points": "4",
                "method": "资料印证",
            },
            {
                "row": 7,
                "order": 2,
                "text": "党外代表人士队伍建设，未按规定安排的扣1分",
                "points": None,
                "method": "座谈了解",
            },
        ],
    }
