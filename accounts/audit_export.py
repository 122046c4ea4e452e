"""The security audit trail as an Excel workbook: the entries an administrator filtered, newest
first, one row each, ready to print.

As every exporter: text cleaned for the file and never a formula (core.xlsx.export_text,
protect_formulas); each row as tall as its wrapped text (core.cell_size), since LibreOffice and WPS
do not fit stored rows; the header repeated on every printed page; A4 landscape, fitted to width.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.cell_size import row_height, wrap_lines
from core.xlsx import export_text, protect_formulas

from .audit_log import changes_text, model_name
from .models import AuditLog

# The newest this many entries at most: a wider filter is asked to narrow down.
EXPORT_LIMIT = 10_000
# Excel refuses a cell longer than 32,767 characters.
CELL_LIMIT = 32_000

COLUMNS = (  # (header, width): A4 landscape fitted to the width prints at about three quarters
    ("时间", 11),
    ("人员", 14),
    ("地址", 14),
    ("类型", 8),
    ("结果", 6),
    ("对象", 24),
    ("修改内容", 50),
    ("说明", 24),
    ("请求地址", 20),
)
BODY_SIZE = 10
TITLE_SIZE = 14
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def file_name() -> str:
    return _("安全审计日志") + f"_{timezone.localtime():%Y%m%d_%H%M}.xlsx"


def _cell(text) -> str:
    text = "" if text is None else str(text)
    if len(text) > CELL_LIMIT:
        text = text[:CELL_LIMIT] + _("…（共 %(count)s 字，已截断）") % {"count": f"{len(text):,}"}
    return export_text(text)


def _row(entry: AuditLog) -> list[str]:
    """Who: the name and the username (a failed sign-in has only the username typed); what: the kind
    of object and its number above its name."""
    actor = str(entry.actor) if entry.actor_id else ""
    who = "\n".join(part for part in (actor, entry.username if entry.username != actor else "") if part)
    kind_of = model_name(entry.model) + (f" #{entry.object_id}" if entry.object_id else "")
    return [
        timezone.localtime(entry.at).strftime("%Y-%m-%d\n%H:%M:%S"),
        who,
        entry.ip or "",
        entry.get_kind_display(),
        entry.get_result_display(),
        "\n".join(part for part in (kind_of.strip(), entry.label) if part),
        changes_text(entry),
        entry.detail,
        entry.path,
    ]


def audit_workbook(entries, *, total: int, filters: str) -> bytes:
    """``entries``: the newest first, at most EXPORT_LIMIT of them; ``total``: how many matched."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("安全审计日志")
    now = timezone.localtime()
    title = _("安全审计日志（%(when)s导出，%(filters)s，共 %(total)s 条%(cut)s）") % {
        "when": f"{now.year}年{now.month}月{now.day}日 {now:%H:%M}",
        "filters": filters or _("全部记录"),
        "total": f"{total:,}",
        "cut": _("，仅含最新的 %(limit)s 条，请缩小筛选范围") % {"limit": f"{EXPORT_LIMIT:,}"}
        if total > EXPORT_LIMIT
        else "",
    }
    widths = [width for _header, width in COLUMNS]
    sheet.append([export_text(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(name="黑体", size=TITLE_SIZE)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = row_height(
        wrap_lines(title, sum(widths) * BODY_SIZE / TITLE_SIZE), TITLE_SIZE
    )
    sheet.append([header for header, _width in COLUMNS])
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(name="黑体", size=BODY_SIZE)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[2].height = row_height(1, BODY_SIZE)
    body_font = Font(name="宋体", size=BODY_SIZE)
    wrap = Alignment(wrap_text=True, vertical="top")
    row_number = 2
    for entry in entries:
        values = [_cell(value) for value in _row(entry)]
        sheet.append(values)
        row_number += 1
        lines = 1
        for index, value in enumerate(values):
            cell = sheet.cell(row=row_number, column=index + 1)
            cell.font = body_font
            cell.alignment = wrap
            cell.border = _BORDER
            cell.number_format = "@"
            if value:
                lines = max(lines, wrap_lines(value, widths[index]))
        sheet.row_dimensions[row_number].height = min(row_height(lines, BODY_SIZE), 409)
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{max(row_number, 2)}"
    sheet.print_title_rows = "2:2"
    sheet.print_area = f"A1:{get_column_letter(len(COLUMNS))}{max(row_number, 2)}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")
    workbook.properties.title = title
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
