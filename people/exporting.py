"""Writing people workbooks: the blank template, an export of the list, and a sheet of initial
passwords. They share the import's columns (people.importing.COLUMNS) and the roster's look."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from accounts.usernames import USERNAME_MAX, USERNAME_MIN
from core.xlsx import export_text, protect_formulas
from units.references import references_for

from .importing import COLUMNS

SHEET_NAME = "人员名单"
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WIDTHS = {"序号": 6, "姓名": 12, "用户名": 16, "初始密码": 18, "所在单位": 30, "职务": 18, "手机": 15}
TEXT_COLUMNS = {"用户名", "初始密码", "手机"}  # typed as text: no 1.38E+10, no lost leading zeros

EXAMPLE_ROWS = [
    ["1", "张三", "", "青山县财政局", "办公室主任", "13800000000"],
    ["2", "李四", "lisi2022", "青山县/城关镇", "组织委员", ""],
]


def _sheet(workbook: Workbook, name: str, title: str, headers: list[str], rows: list[list], *, room: int = 0):
    """The data sheet: a title over the table, the header, ``rows``, and ``room`` more rows formatted
    for typing in (the template's)."""
    sheet = workbook.active  # the workbook's first sheet: the notes come after it
    sheet.title = name
    sheet.append([export_text(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append(headers)
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, 14)
    for row in rows:
        sheet.append([export_text(value) for value in row])
    last = len(rows) + 2 + room
    for index, header in enumerate(headers, start=1):
        if header in TEXT_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=3, max_row=last, min_col=index, max_col=index):
                cell.number_format = "@"
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet


def _notes(workbook: Workbook, name: str, title: str, lines: list[tuple[str, str]]) -> None:
    sheet = workbook.create_sheet(name)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 90
    sheet.append([title])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([])
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


INSTRUCTIONS = [
    ("表头", "请保留“人员名单”工作表第2行的表头；表头上方可以有标题行，列的顺序可以调整。"),
    ("姓名", "必填。"),
    (
        "用户名",
        f"选填，登录时输入。只能使用英文字母、数字和 . _ -，{USERNAME_MIN}至{USERNAME_MAX}个字符，不区分大小写。"
        "不能与本文件其他行或系统中已有的用户名相同。",
    ),
    (
        "",
        "留空时按姓名的拼音自动生成（张三 → zhangsan；已被使用时为 zhangsan2、zhangsan3……），预览中可以看到。",
    ),
    (
        "",
        "用户名留空的行，如果姓名和所在单位与系统中已有的人员相同，会被当作重复导入而报错；"
        "确为同名同单位的另一人时，请为其填写用户名。",
    ),
    (
        "所在单位",
        "选填。填写单位名册中的单位名称；名称有重复时写出路径，如“青山县/城关镇”。"
        "找不到、对应多个或已停用的单位都会报错。所在单位用于考核组的回避提示。",
    ),
    ("职务", "选填。"),
    ("手机", "选填。11位手机号码，如 13800000000；可带空格或“-”。请按文本填写。"),
    ("序号", "可有可无，导入时忽略；其他无法识别的列也会被忽略，并在预览中列出。"),
    ("导入规则", "导入只新增人员，不修改系统中已有的人员（已有人员请在“用户管理”中逐个编辑）。"),
    ("", "导入前会先预览将新增的人员和全部错误；只要有一个错误，就不会写入任何数据。"),
    (
        "初始密码",
        "每位新增人员由系统生成一个初始密码，确认导入后显示一次，并可下载一次密码表；本人首次登录后须修改密码。",
    ),
]


def people_template() -> bytes:
    """A blank list of people: title, header, two example rows, and an instructions sheet."""
    workbook = Workbook()
    headers = [c.label for c in COLUMNS]
    _sheet(workbook, SHEET_NAME, _("人员名单（示例行导入前请删除）"), headers, EXAMPLE_ROWS, room=500)
    _notes(workbook, _("填写说明"), _("人员名单填写说明"), INSTRUCTIONS)
    return _to_bytes(workbook)


EXPORT_HEADERS = [*(c.label for c in COLUMNS), "状态", "系统管理员", "最近登录"]


def people_export(people) -> tuple[bytes, int]:
    """The people given (the list page's selection), in the import's columns and a few more.
    所在单位 is written so that an import finds the same unit. Returns (xlsx, row count)."""
    people = list(people)
    references = references_for(u.home_unit for u in people if u.home_unit_id)
    rows = [
        [
            str(index),
            user.name,
            user.username,
            references.get(user.home_unit_id, "") if user.home_unit_id else "",
            user.title,
            user.phone,
            _("在用") if user.is_active else _("已停用"),
            _("是") if user.is_staff else "",
            timezone.localtime(user.last_login).strftime("%Y-%m-%d %H:%M") if user.last_login else "",
        ]
        for index, user in enumerate(people, start=1)
    ]
    today = timezone.localdate()
    workbook = Workbook()
    title = _("人员名单（%(y)d年%(m)d月%(d)d日导出）") % {"y": today.year, "m": today.month, "d": today.day}
    _sheet(workbook, SHEET_NAME, title, EXPORT_HEADERS, rows)
    return _to_bytes(workbook), len(rows)


PASSWORD_HEADERS = ["序号", "姓名", "用户名", "初始密码", "所在单位", "手机"]


def passwords_sheet(people: list[dict], *, source: str) -> bytes:
    """The one-time passwords of the accounts an import created: each person's name, user name and
    password, to hand out. ``people``: dicts with name, username, password, unit, phone."""
    rows = [
        [str(index), p["name"], p["username"], p["password"], p["unit"], p["phone"]]
        for index, p in enumerate(people, start=1)
    ]
    workbook = Workbook()
    sheet = _sheet(
        workbook, _("初始密码"), _("初始密码（%(source)s）") % {"source": source}, PASSWORD_HEADERS, rows
    )
    for (cell,) in sheet.iter_rows(min_row=3, max_row=len(rows) + 2, min_col=4, max_col=4):
        cell.font = Font(name="Consolas", size=12)
    _notes(
        workbook,
        _("说明"),
        _("初始密码说明"),
        [
            ("分发", "请把用户名和初始密码分别告知本人（如当面或短信），不要群发本表。"),
            ("首次登录", "本人用初始密码登录后，系统会要求立即设置自己的新密码；初始密码随即失效。"),
            ("保管", "本表只能下载一次，系统中不保存初始密码。分发完毕后请删除或销毁本表。"),
            ("遗失", "初始密码遗失或泄露的，请在“用户管理”中为该人员重置密码。"),
        ],
    )
    return _to_bytes(workbook)
