"""Building (and reading back) small workbooks in memory for tests.

    data = make_xlsx(
        [["单位名称", "单位类别", "上级单位"], ["云山市", "市", ""]],
        title_rows=["单位名册"],
        extra_sheets_before={"说明": [["请按模板填写"]]},
    )

``rows`` are written from the first row after the title rows; ``None`` leaves a
cell empty and ``[]`` leaves a whole row empty.
"""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

Rows = Iterable[Sequence[Any]]


def _write(sheet, rows: Rows) -> None:
    for row in rows:
        sheet.append(list(row))


def make_xlsx(
    rows: Rows,
    *,
    sheet: str = "名册",
    title_rows: Sequence[str | Sequence[Any]] = (),
    merge_title: bool = True,
    extra_sheets_before: dict[str, Rows] | None = None,
    extra_sheets_after: dict[str, Rows] | None = None,
) -> bytes:
    """An .xlsx with ``rows`` on ``sheet``, under optional title rows, among optional other sheets.

    A title given as a string fills the first cell of its row and, with
    ``merge_title``, is merged across the width of the table (as people do).
    """
    rows = [list(r) for r in rows]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, other in (extra_sheets_before or {}).items():
        _write(workbook.create_sheet(name), other)
    data_sheet = workbook.create_sheet(sheet)
    width = max((len(r) for r in rows), default=1)
    for title in title_rows:
        values = [title] if isinstance(title, str) else list(title)
        data_sheet.append(values)
        if merge_title and isinstance(title, str) and width > 1:
            row = data_sheet.max_row
            data_sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    _write(data_sheet, rows)
    for name, other in (extra_sheets_after or {}).items():
        _write(workbook.create_sheet(name), other)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows as tuples of values, by sheet name, in workbook order."""
    workbook = load_workbook(io.BytesIO(data))
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}
    finally:
        workbook.close()


def open_xlsx(data: bytes) -> Workbook:
    """The workbook itself (not read-only), for checking styles, merges and data validation."""
    return load_workbook(io.BytesIO(data))


def store_formula_results(data: bytes, results: dict[str, str], *, sheet: int = 1) -> bytes:
    """The workbook with the results of some formula cells stored beside their formulas, as Excel
    and WPS save them (openpyxl writes formulas without results). ``results``: {"B2": "城关镇"}."""
    import re
    import zipfile
    from xml.sax.saxutils import escape

    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    name = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                xml = content.decode()
                for ref, result in results.items():
                    xml, count = re.subn(
                        rf'<c r="{ref}"([^>]*)>(<f>.*?</f>)<v\s*/?>(?:</v>)?</c>',
                        rf'<c r="{ref}"\1 t="str">\2<v>{escape(result)}</v></c>',
                        xml,
                    )
                    assert count == 1, f"no formula cell {ref} in {name}"
                content = xml.encode()
            out.writestr(info, content)
    return target.getvalue()
