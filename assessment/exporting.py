"""Writing checklist workbooks: the blank template and an export of a campaign's checklist.

Both have the import's columns, an item's cells merged over the rows of its
criteria, and a closing 合计 row, so an export imports back as the same checklist.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.xlsx import export_text, protect_formulas

from .importing import COLUMNS, checklist_as_json
from .models import Campaign

SHEET_NAME = "考核项目清单"
WIDTHS = {
    "serial": 6,
    "title": 24,
    "score": 8,
    "criterion": 60,
    "points": 10,
    "method": 16,
    "lead": 16,
    "note": 20,
}
ITEM_KEYS = ("serial", "title", "score", "lead", "note")  # merged over the item's criteria rows
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# In the shape of checklist_as_json.
EXAMPLE_ITEMS = [
    {
        "order": 1,
        "title": "落实全面从严治党主体责任",
        "full_score": "10.00",
        "lead_department": "市委组织部",
        "note": "示例，请改为实际内容",
        "criteria": [
            {
                "order": 1,
                "text": "党委（党组）每年专题研究全面从严治党工作不少于2次，少1次扣1分。",
                "points": "4.00",
                "method": "资料印证",
            },
            {
                "order": 2,
                "text": "结合本地本单位实际制定落实全面从严治党主体责任清单，未制定的扣2分，照搬照抄的扣1分。",
                "points": "3.00",
                "method": "资料印证",
            },
            {
                "order": 3,
                "text": "领导班子成员履行“一岗双责”，抽查发现未落实的每人次扣0.5分。",
                "points": "3.00",
                "method": "个别走访",
            },
        ],
    }
]


def _number(text: str | None) -> int | Decimal | None:
    """A stored "15.00" as the number 15 in the cell, "2.50" as 2.5."""
    if text is None:
        return None
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else number.normalize()


def _text(cell, value: str) -> None:
    cell.value = export_text(value) or None


def _checklist_sheet(workbook: Workbook, title: str, items: list[dict]) -> None:
    sheet = workbook.active
    sheet.title = SHEET_NAME
    keys = [c.key for c in COLUMNS]
    col = {key: index for index, key in enumerate(keys, start=1)}
    width = len(COLUMNS)
    sheet.cell(row=1, column=1, value=export_text(title))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    for column in COLUMNS:
        cell = sheet.cell(row=2, column=col[column.key], value=column.label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col[column.key])].width = WIDTHS[column.key]

    row = 3
    merges: list[tuple[int, int]] = []
    total = Decimal(0)
    for index, item in enumerate(items, start=1):
        criteria = item["criteria"] or [{"text": "", "points": None, "method": ""}]
        first = row
        sheet.cell(row=row, column=col["serial"], value=index)
        _text(sheet.cell(row=row, column=col["title"]), item["title"])
        sheet.cell(row=row, column=col["score"], value=_number(item["full_score"]))
        _text(sheet.cell(row=row, column=col["lead"]), item["lead_department"])
        _text(sheet.cell(row=row, column=col["note"]), item["note"])
        total += Decimal(item["full_score"])
        for criterion in criteria:
            _text(sheet.cell(row=row, column=col["criterion"]), criterion["text"])
            sheet.cell(row=row, column=col["points"], value=_number(criterion["points"]))
            _text(sheet.cell(row=row, column=col["method"]), criterion["method"])
            row += 1
        if row - first > 1:
            merges.append((first, row - 1))

    sheet.cell(row=row, column=col["serial"], value="合计")
    sheet.cell(row=row, column=col["score"], value=_number(str(total)))
    for cells in sheet.iter_rows(min_row=3, max_row=row, max_col=width):
        for cell in cells:
            cell.border = _BORDER
            centered = keys[cell.column - 1] in ("serial", "score", "points")
            cell.alignment = Alignment(
                horizontal="center" if centered else None, vertical="center", wrap_text=True
            )
    for cell in sheet[row]:
        cell.font = Font(bold=True)
    for first, last in merges:
        for key in ITEM_KEYS:
            sheet.merge_cells(start_row=first, start_column=col[key], end_row=last, end_column=col[key])
    sheet.merge_cells(start_row=row, start_column=col["serial"], end_row=row, end_column=col["title"])

    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _instructions_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("填写说明")
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    sheet.append(["考核项目清单填写说明"])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([])
    lines = [
        ("表头", "请保留“考核项目清单”工作表第2行的表头；表头上方可以有标题行，列的顺序可以调整。"),
        ("", "列名也可写作：考核项目——项目、考核指标；分值——分数、标准分；"),
        ("", "考核内容及评分标准——评分标准、评分细则、考核要点、考核内容；要点分值——细则分值；"),
        ("", "考核方式——检查方式；牵头单位——责任单位。"),
        ("考核项目", "必填。一个考核项目占若干行，每行写一条评分标准；同一考核项目只能出现一处，不能重复。"),
        (
            "",
            "考核项目、分值、牵头单位、备注可以合并单元格（纵向跨该项目的各行），"
            "也可以只填在该项目的第一行，或者每行都重复填写，三种写法效果相同。",
        ),
        ("分值", "必填，大于0的数字，最多两位小数，如 15 或 15分。"),
        (
            "考核内容及评分标准",
            "必填。每个考核项目至少一条；单元格内可以换行。",
        ),
        ("要点分值", "选填，该条评分标准的分值；同一考核项目各条的要点分值之和不能超过该项目的分值。"),
        ("考核方式", "选填，按每条评分标准填写，如 资料印证、实地调研、个别走访。"),
        ("牵头单位", "选填。"),
        ("备注", "选填。"),
        ("序号", "可有可无，导入时忽略；其他无法识别的列也会被忽略，并在预览中列出。"),
        (
            "合计行",
            "选填。最后一行可在“序号”或“考核项目”列写“合计”，其分值必须等于各考核项目分值之和；"
            "合计行以下的内容不会读取。",
        ),
        ("导入规则", "导入会整体替换该考核工作现有的考核项目清单（考核项目及其评分标准）。"),
        ("", "考核项目已有扣分记录，或者考核工作已结束的，不能整体替换，请在清单页面逐项修改。"),
        ("", "导入前会先预览全部考核项目和全部错误；只要有一个错误，就不会写入任何数据。"),
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


def checklist_template() -> bytes:
    """A checklist workbook with one example item over three criteria rows, a 合计 row and instructions."""
    workbook = Workbook()
    _checklist_sheet(workbook, "××年度党建工作年终考核项目清单", EXAMPLE_ITEMS)
    _instructions_sheet(workbook)
    return _to_bytes(workbook)


def checklist_export(campaign: Campaign) -> bytes:
    """The campaign's checklist in the template's format; importing it back gives the same checklist."""
    items = checklist_as_json(campaign)
    workbook = Workbook()
    # "2021年度党建工作年终考核" + "项目清单", not "…考核考核项目清单".
    suffix = "项目清单" if campaign.title.endswith("考核") else "考核项目清单"
    _checklist_sheet(workbook, f"{campaign.title}{suffix}", items)
    _instructions_sheet(workbook)
    return _to_bytes(workbook)
