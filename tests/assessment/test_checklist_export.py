"""The checklist template and export (assessment.exporting), and that an export imports back the same."""

from decimal import Decimal

import pytest

from assessment.exporting import checklist_export, checklist_template
from assessment.importing import checklist_as_json, checklist_import
from assessment.models import Campaign, ChecklistChange, ChecklistItem
from tests.assessment.test_checklist_import import EXPECTED, checklist_file, item_rows
from tests.factories import ChecklistItemFactory, CriterionFactory, UserFactory
from tests.xlsx_builder import open_xlsx, read_xlsx

pytestmark = pytest.mark.django_db

HEADER = ("序号", "考核项目", "分值", "考核内容及评分标准", "要点分值", "考核方式", "牵头单位", "备注")


def import_into(campaign, data: bytes, file_name: str = "导出.xlsx"):
    return checklist_import(
        data=data, file_name=file_name, campaign=campaign, user=UserFactory(username="daoru")
    )


@pytest.fixture
def campaign():
    return Campaign.objects.create(title="2021年度党建工作年终考核", year=2021)


@pytest.fixture
def checklist(campaign):
    """Items with what a checklist may hold: line breaks, decimals, blank points, a note, a leading "="."""
    first = ChecklistItemFactory(
        campaign=campaign,
        order=1,
        title="（一）落实全面从严治党主体责任",
        full_score=Decimal("15"),
        lead_department="市委组织部",
        note="重点项目\n年中已通报",
    )
    CriterionFactory(
        item=first,
        order=1,
        text="1.专题研究全面从严治党工作不少于2次；\n2.少1次扣1分",
        points=Decimal("4.5"),
        method="资料印证",
    )
    CriterionFactory(item=first, order=2, text="=未制定主体责任清单的扣2分", points=None, method="")
    CriterionFactory(
        item=first, order=3, text="“一岗双责”未落实的每人次扣0.25分", points=Decimal("3"), method="个别走访"
    )
    second = ChecklistItemFactory(
        campaign=campaign, order=2, title="（三）老干部工作", full_score=Decimal("7.5")
    )
    CriterionFactory(
        item=second, order=1, text="常委会专题研究老干部工作", points=Decimal("7.5"), method="资料印证"
    )
    return checklist_as_json(campaign)


# -- the template -------------------------------------------------------------------


def test_template_has_a_title_header_example_total_and_instructions():
    data = checklist_template()

    sheets = read_xlsx(data)
    assert list(sheets) == ["考核项目清单", "填写说明"]
    rows = sheets["考核项目清单"]
    assert rows[0][0] == "××年度党建工作年终考核项目清单"
    assert rows[1] == HEADER
    assert rows[2][:3] == (1, "落实全面从严治党主体责任", 10)
    assert [r[3] is not None for r in rows[2:5]] == [True, True, True]
    assert rows[5][:3] == ("合计", None, 10)
    workbook = open_xlsx(data)
    merged = {str(r) for r in workbook["考核项目清单"].merged_cells.ranges}
    assert merged == {"A1:H1", "A3:A5", "B3:B5", "C3:C5", "G3:G5", "H3:H5", "A6:B6"}
    assert workbook["考核项目清单"].freeze_panes == "A3"
    assert workbook["考核项目清单"]["B2"].font.bold


def test_template_imports_cleanly(campaign):
    plan = import_into(campaign, checklist_template(), "模板.xlsx")

    assert plan.ok, plan.error_messages()
    assert (len(plan.items), plan.criterion_count, plan.total, plan.total_row) == (1, 3, Decimal("10"), 6)
    item = ChecklistItem.objects.get(campaign=campaign)
    assert (item.title, item.full_score, item.lead_department) == (
        "落实全面从严治党主体责任",
        Decimal("10"),
        "市委组织部",
    )
    assert [(c.order, c.points, c.method) for c in item.criteria.order_by("order")] == [
        (1, Decimal("4"), "资料印证"),
        (2, Decimal("3"), "资料印证"),
        (3, Decimal("3"), "个别走访"),
    ]


# -- the export --------------------------------------------------------------------


def test_export_merges_item_cells_and_ends_with_the_total(campaign, checklist):
    data = checklist_export(campaign)

    rows = read_xlsx(data)["考核项目清单"]
    assert rows[0][0] == "2021年度党建工作年终考核项目清单"
    assert rows[1] == HEADER
    assert rows[2] == (
        1,
        "（一）落实全面从严治党主体责任",
        15,
        "1.专题研究全面从严治党工作不少于2次；\n2.少1次扣1分",
        4.5,
        "资料印证",
        "市委组织部",
        "重点项目\n年中已通报",
    )
    assert rows[3][:5] == (None, None, None, "=未制定主体责任清单的扣2分", None)
    assert rows[5] == (2, "（三）老干部工作", 7.5, "常委会专题研究老干部工作", 7.5, "资料印证", None, None)
    assert rows[6][:3] == ("合计", None, 22.5)
    workbook = open_xlsx(data)
    sheet = workbook["考核项目清单"]
    assert {str(r) for r in sheet.merged_cells.ranges} == {
        "A1:H1",
        "A3:A5",
        "B3:B5",
        "C3:C5",
        "G3:G5",
        "H3:H5",
        "A7:B7",
    }
    assert sheet["D4"].data_type == "s"  # text starting with "=" is not a formula
    assert "填写说明" in workbook.sheetnames


def test_export_imports_back_as_the_same_checklist(campaign, checklist):
    plan = import_into(campaign, checklist_export(campaign))

    assert plan.ok, plan.error_messages()
    assert plan.replaced_items == 2
    assert checklist_as_json(campaign) == checklist
    assert ChecklistChange.objects.get().before == ChecklistChange.objects.get().after == checklist


def test_export_imports_into_another_campaign(campaign, checklist):
    other = Campaign.objects.create(title="2022年度党建工作年终考核", year=2022)

    plan = import_into(other, checklist_export(campaign))

    assert plan.ok, plan.error_messages()
    assert checklist_as_json(other) == checklist


def test_an_imported_file_exports_and_imports_back_unchanged(campaign):
    assert import_into(campaign, checklist_file(*item_rows())).ok

    plan = import_into(campaign, checklist_export(campaign))

    assert plan.ok, plan.error_messages()
    assert checklist_as_json(campaign) == EXPECTED


def test_export_of_an_empty_checklist_has_header_and_total_only(campaign):
    rows = read_xlsx(checklist_export(campaign))["考核项目清单"]

    assert rows[1] == HEADER
    assert rows[2][:3] == ("合计", None, 0)
    assert len(rows) == 3
