"""Writing roster workbooks: the blank template and an export of the current roster.

Both use the import's columns, so an export imported again changes nothing.
"""

import io
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.xlsx import export_text, protect_formulas

from .domain.org_types import accepted_text
from .domain.tree import ALLOWED_PARENT_KINDS, KIND_ORDER, kind_label
from .importing import COLUMNS, KIND_SYNONYMS
from .models import Unit

SHEET_NAME = "名册"
WIDTHS = {
    "serial": 6,
    "name": 30,
    "kind": 16,
    "parent": 24,
    "org_type": 12,
    "secretary": 12,
    "contact": 16,
    "note": 30,
}
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

EXAMPLE_ROW = [
    "1",
    "城关镇新村",
    "村（社区）",
    "青山县/城关镇",
    "党支部",
    "张三",
    "13800000000",
    "示例行，导入前请删除",
]


def _roster_sheet(workbook: Workbook, title: str, rows: list[list[str]]):
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append([export_text(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([c.label for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column.key]
    for row in rows:
        sheet.append([export_text(value) for value in row])
    sheet.freeze_panes = "A3"
    last = max(len(rows) + 2, 2) + 1000
    keys = [c.key for c in COLUMNS]
    for key, options in (
        ("kind", [kind_label(k) for k in KIND_ORDER]),
        ("org_type", [str(t.label) for t in Unit.OrgType]),
    ):
        letter = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        validation.error = _("请从下拉列表中选择")
        validation.errorTitle = _("输入无效")
        validation.showErrorMessage = False  # synonyms such as 乡镇 or 社区 are accepted too
        sheet.add_data_validation(validation)
        validation.add(f"{letter}3:{letter}{last}")
    # Contact numbers are text: keep leading zeros of 0791-… and stop Excel writing 1.38E+10.
    contact_letter = get_column_letter(keys.index("contact") + 1)
    for (cell,) in sheet.iter_rows(
        min_row=3, min_col=keys.index("contact") + 1, max_col=keys.index("contact") + 1
    ):
        cell.number_format = "@"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    del contact_letter
    return sheet


def _instructions_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("填写说明")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    sheet.append(["单位名册填写说明"])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([])
    lines = [
        ("表头", "请保留“名册”工作表第2行的表头；表头上方可以有标题行，列的顺序可以调整。"),
        ("单位名称", "必填。同一上级单位下名称不能重复；不同乡镇下可以有同名的村。"),
        (
            "",
            "单位名称和上级单位请填写文字：日期、数字、“是/否”不能作为名称；"
            "用公式生成的单元格请先复制并“选择性粘贴”为数值。",
        ),
        ("单位类别", "必填。可填写：" + "、".join(kind_label(k) for k in KIND_ORDER) + "。"),
        (
            "",
            "也可使用简称："
            + "；".join(
                f"{kind_label(k)}：{'、'.join(KIND_SYNONYMS[k][1:])}"
                for k in KIND_ORDER
                if len(KIND_SYNONYMS[k]) > 1
            )
            + "。",
        ),
        (
            "上级单位",
            "必填列（市等最上级单位留空）。填写上级单位的名称；名称有重复时写出路径，如“青山县/城关镇”。",
        ),
        ("", "上级单位可以写在本文件中（前后均可），也可以是系统中已有的单位。"),
        (
            "",
            "本文件中只出现一次的名称指本文件中的那个单位，即使系统中其他县（区）也有同名单位"
            "（如各县都有“城关镇”）；要指系统中另一个同名单位，请写出路径。",
        ),
        (
            "",
            "上级关系："
            + "；".join(
                f"{kind_label(k)}的上级为{'或'.join(kind_label(p) if p else '无（最上级）' for p in KIND_ORDER + [None] if p in ALLOWED_PARENT_KINDS[k])}"
                for k in KIND_ORDER
            )
            + "。",
        ),
        (
            "党组织类型",
            "选填。可填写：" + accepted_text() + "。导入时按规范类型记录，预览中列出各种写法；"
            "没有党组织的留空或填“无”。",
        ),
        ("党组织书记", "选填。"),
        ("联系电话", "选填，按文本填写，如 0791-86000000 或 13800000000。"),
        ("备注", "选填。"),
        ("序号", "可有可无，导入时忽略；其他无法识别的列也会被忽略，并在预览中列出。"),
        (
            "导入规则",
            "按“上级单位 + 单位名称”匹配：系统中已有的单位更新其信息，没有的新增；文件中没有列出的单位保持不变。",
        ),
        ("", "导入前会先预览将新增、更新、不变的单位数量和全部错误；只要有一个错误，就不会写入任何数据。"),
        ("", "同一个文件重复导入不会产生任何变化。"),
    ]
    for label, text in lines:
        sheet.append([label, text])
    for row in sheet.iter_rows(min_row=3):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _to_bytes(workbook: Workbook) -> bytes:
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_template() -> bytes:
    """A blank roster workbook: title, header, one example row, and an instructions sheet."""
    workbook = Workbook()
    _roster_sheet(workbook, "单位名册", [EXAMPLE_ROW])
    _instructions_sheet(workbook)
    return _to_bytes(workbook)


def _parent_references(units: list[Unit], all_units: dict[int, tuple[str, int | None]]) -> dict[int, str]:
    """How each parent is written in 上级单位: its name, or the shortest path that is unambiguous."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for uid, (name, _parent) in all_units.items():
        by_name[name].append(uid)

    def path(uid: int) -> list[str]:
        names: list[str] = []
        while uid is not None:
            name, parent_id = all_units[uid]
            names.append(name)
            uid = parent_id
        return names[::-1]

    references: dict[int, str] = {}
    for unit in units:
        parent_id = unit.parent_id
        if parent_id is None or parent_id in references:
            continue
        name = all_units[parent_id][0]
        namesakes = by_name[name]
        if len(namesakes) == 1:
            references[parent_id] = name
            continue
        own = path(parent_id)
        others = [path(u) for u in namesakes if u != parent_id]
        for length in range(2, len(own) + 1):
            suffix = own[-length:]
            if all(other[-length:] != suffix for other in others):
                references[parent_id] = "/".join(suffix)
                break
        else:
            references[parent_id] = "/".join(own)
    return references


def roster_export() -> tuple[bytes, int]:
    """The active roster in the template's format, parents before children. Returns (xlsx, row count)."""
    all_units = {
        uid: (name, parent_id) for uid, name, parent_id in Unit.objects.values_list("id", "name", "parent_id")
    }
    units = list(Unit.objects.filter(is_active=True))
    children: dict[int | None, list[Unit]] = defaultdict(list)
    active_ids = {u.pk for u in units}
    for unit in units:
        # An active unit under an inactive one is listed with the roots; its parent is written by name.
        children[unit.parent_id if unit.parent_id in active_ids else None].append(unit)
    order_key = {k: i for i, k in enumerate(KIND_ORDER)}
    ordered: list[Unit] = []
    stack = sorted(children[None], key=lambda u: (order_key[u.kind], u.name), reverse=True)
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(sorted(children[unit.pk], key=lambda u: (order_key[u.kind], u.name), reverse=True))
    references = _parent_references(ordered, all_units)
    rows = [
        [
            str(index),
            unit.name,
            kind_label(unit.kind),
            references.get(unit.parent_id, "") if unit.parent_id else "",
            unit.get_org_type_display() if unit.org_type else "",
            unit.secretary,
            unit.contact,
            unit.note,
        ]
        for index, unit in enumerate(ordered, start=1)
    ]
    today = timezone.localdate()
    workbook = Workbook()
    _roster_sheet(workbook, f"单位名册（{today.year}年{today.month}月{today.day}日导出）", rows)
    _instructions_sheet(workbook)
    return _to_bytes(workbook), len(rows)
