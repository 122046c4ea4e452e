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


# A county's organs and institutions with their 党组织类型 as county rosters write them.
ORGANS = [
    ("县委办公室", "机关党支部"),
    ("县委组织部", "党支部"),
    ("县发展和改革局", "党组"),
    ("县财政局", "党组（党委）"),
    ("县教育局", "党委（党组）"),
    ("县交通运输局", "机关党委"),
    ("县直机关工委", "县直机关工委"),
]
INSTITUTIONS = [("县融媒体中心", "党总支部委员会"), ("县人民医院", "党委"), ("县档案馆", "联合党支部")]
TOWN_TYPES = ["镇党委", "乡党委", "街道党工委"]
VILLAGE_TYPES = ["党支部委员会", "联合党支部", "党总支", "党支部", "临时党支部", "功能型党支部"]


def county_roster(
    *, townships: int = 4, villages: int = 5, broken_town_villages: int = 0, county: str = "青山县"
) -> list[list]:
    """A county roster as it arrives (HEADER columns, 序号 numbered): the city as 市委 and the county
    as 县委, organs and institutions, towns (镇党委, 乡党委, 街道党工委) with their villages
    (党支部委员会, 联合党支部…) and a station each. With ``broken_town_villages``, one more town
    whose 上级单位 has a typo ("清山县") and that many villages under it."""
    rows: list[list] = [["云山市", "市", "", "市委"], [county, "县（区）", "云山市", "县委"]]
    rows += [[name, "县直机关单位", county, org] for name, org in ORGANS]
    rows += [[name, "县直事业单位", county, org] for name, org in INSTITUTIONS]
    for t in range(townships):
        town = f"第{t + 1}镇" if t % 3 != 2 else f"第{t + 1}街道"
        rows.append([town, "乡镇（街道）", county, TOWN_TYPES[t % 3]])
        rows += [
            [f"{town}{v + 1}村", "村（社区）", town, VILLAGE_TYPES[(t + v) % len(VILLAGE_TYPES)]]
            for v in range(villages)
        ]
        rows.append([f"{town}便民服务中心", "乡镇机关事业单位", town, "党支部"])
    if broken_town_villages:
        rows.append(["城关镇", "乡镇（街道）", "清山县", "镇党委"])
        rows += [[f"城关{v + 1}村", "村（社区）", "城关镇", "党支部"] for v in range(broken_town_villages)]
    return [[n, *row, "", "", ""] for n, row in enumerate(rows, start=1)]


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
