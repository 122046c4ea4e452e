"""Roster workbooks and small helpers shared by the import tests."""

from tests.xlsx_builder import make_xlsx
from units.importing import roster_import, roster_plan
from units.models import Unit

HEADER = ["序号", "单位名称", "单位类别", "上级单位", "党组织类型", "党组织书记", "联系电话", "备注"]
SHORT_HEADER = ["单位名称", "单位类别", "上级单位"]

# A small tree, parents first: 红山市 › 红山县 › 红旗镇 › 东村 / 西村.
TREE = [
    [1, "红山市", "市", "", "党委", "", "", ""],
    [2, "红山县", "县（区）", "红山市", "党委", "", "", ""],
    [3, "红旗镇", "乡镇（街道）", "红山县", "党委", "王五", "0791-86000000", ""],
    [4, "东村", "村（社区）", "红旗镇", "党支部", "张三", "13800000000", ""],
    [5, "西村", "村（社区）", "红旗镇", "党总支", "李四", "", "新建"],
]


def roster_file(*rows, header=HEADER, **kwargs) -> bytes:
    return make_xlsx([header, *rows], **kwargs)


def plan_of(data: bytes):
    return roster_plan(data=data, file_name="名册.xlsx")


def import_file(data: bytes, **kwargs):
    return roster_import(data=data, file_name="名册.xlsx", **kwargs)


def snapshot() -> list[tuple]:
    """Every unit with every field the import may touch, to prove nothing changed."""
    return sorted(
        Unit.objects.values_list(
            "id",
            "name",
            "kind",
            "parent_id",
            "ancestry",
            "org_type",
            "secretary",
            "contact",
            "note",
            "is_active",
            "updated_at",
        )
    )


def unit_at(path: str) -> Unit:
    """The unit at a path such as "红山市/红山县/红旗镇"."""
    unit = None
    for name in path.split("/"):
        unit = Unit.objects.get(name=name, parent=unit)
    return unit


def only_error(plan) -> str:
    messages = plan.error_messages()
    assert len(messages) == 1, messages
    return messages[0]
