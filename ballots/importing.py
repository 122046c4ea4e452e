"""Reading the paper ballots an office has typed into Excel (纸质测评票录入表).

The sheet offices already keep: a title row (or a few), then a header ``序号 | 测评人类别 |
<subject> …`` where each subject's column is headed by the subject's unit name (城关镇, 县教育局),
then one row per paper ballot: its serial number, its voter category, and in each subject's column
the option ticked (好 / 较好 / 一般 / 差, or the ballot's own options), blank (or 弃权) for 弃权, any other
text (two ticks typed as "好、较好", a question mark) 无效.

``read_paper_sheet`` reads a workbook against a ballot's shape (plain values: the subjects' names,
the categories, the options) and returns every row and every error at once, each error with its
sheet, row and column in Chinese. It writes nothing; ballots.services.paper stores a sheet without
errors as one batch, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.text import clean_text, compact_key
from core.xlsx import (
    CellIssue,
    CellValueError,
    Column,
    Table,
    WorkbookError,
    error_summary,
    find_table,
    iter_records,
    open_workbook,
    read_text,
)

from .domain.counting import ABSTAIN, INVALID

SERIAL = Column("serial", "序号", ("编号", "票号", "测评票编号"), required=True)
CATEGORY = Column(
    "category", "测评人类别", ("类别", "测评人员类别", "投票人类别", "参评人类别"), required=True
)
NOTE = Column("note", "备注", ("说明",))
MAX_SERIAL = 20
PREVIEW_ROWS = 500


@dataclass(frozen=True)
class Shape:
    """What a sheet must hold for one ballot: subjects (key, the names its column may be headed
    by, the first being the one shown), the categories' names and the options' labels."""

    subjects: list[tuple[str, tuple[str, ...]]]
    categories: list[str]
    options: list[str]


@dataclass
class PaperRow:
    row: int
    serial: str
    category: str
    marks: dict[str, str]  # subject key → option label, ABSTAIN or INVALID


@dataclass
class PaperSheet:
    file_name: str
    rows: list[PaperRow] = field(default_factory=list)
    errors: list[CellIssue] = field(default_factory=list)
    invalid_cells: list[str] = field(default_factory=list)  # "第5行 城关镇：“好、较好”", shown, not errors
    table: Table | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def error_messages(self) -> list[str]:
        return [str(issue) for issue in sorted(self.errors, key=CellIssue.sort_key)]

    def summary(self) -> dict:
        """A JSON-able record, stored with the upload and shown on the preview."""
        by_category: dict[str, int] = {}
        for row in self.rows:
            by_category[row.category] = by_category.get(row.category, 0) + 1
        return {
            "file_name": self.file_name,
            "sheet": self.table.sheet if self.table else "",
            "header_row": self.table.header_row if self.table else None,
            "ballots": len(self.rows) if self.ok else 0,
            "by_category": by_category if self.ok else {},
            "void": sum(1 for r in self.rows if is_void(r.marks)) if self.ok else 0,
            "invalid_cells": self.invalid_cells[:PREVIEW_ROWS],
            **error_summary(self.error_messages()),
            "rows": [
                {"row": r.row, "serial": r.serial, "category": r.category, "marks": r.marks}
                for r in self.rows[:PREVIEW_ROWS]
            ]
            if self.ok
            else [],
        }


def is_void(marks: dict[str, str]) -> bool:
    """A ballot with no valid mark at all (废票)."""
    return all(mark in (ABSTAIN, INVALID) for mark in marks.values())


def serial_text(value) -> str:
    """A 序号 cell as text: 12 (typed as a number, read as 12.0) → "12"."""
    return clean_text(read_text(value))


class _Reader:
    def __init__(self, shape: Shape, file_name: str):
        self.shape = shape
        self.sheet = PaperSheet(file_name=file_name)
        self.subject_columns = [
            Column(f"s{index}", names[0], tuple(names[1:]))
            for index, (_key, names) in enumerate(shape.subjects)
        ]
        self.subject_key = {f"s{index}": key for index, (key, _names) in enumerate(shape.subjects)}
        self.labels = {c.key: c.label for c in (SERIAL, CATEGORY, NOTE, *self.subject_columns)}
        self.categories = {compact_key(name): name for name in shape.categories}
        self.options = {compact_key(label): label for label in shape.options}

    def error(self, row: int | None, key: str | None, message: str) -> None:
        table = self.sheet.table
        letter = table.letter(key) if table and key and key in table.columns else None
        self.sheet.errors.append(
            CellIssue(
                row=row,
                sheet=table.sheet if table else None,
                column=self.labels.get(key) if key else None,
                letter=letter,
                message=message,
            )
        )

    def run(self, data: bytes) -> PaperSheet:
        try:
            workbook = open_workbook(data)
        except WorkbookError as exc:
            self.sheet.errors.append(CellIssue(row=None, message=str(exc)))
            return self.sheet
        try:
            table, rows = find_table(
                workbook, [SERIAL, CATEGORY, NOTE, *self.subject_columns], anchor="category", what=_("测评票")
            )
            self.sheet.table = table
            self.check_header(table)
            if self.sheet.errors:
                return self.sheet
            seen: dict[str, int] = {}
            for record in iter_records(table, rows, ignore_keys=("serial",), what=_("测评票")):
                parsed = self.parse(record.row, record.values, seen)
                if parsed is not None:
                    self.sheet.rows.append(parsed)
        except WorkbookError as exc:
            self.sheet.errors.append(CellIssue(row=None, message=str(exc)))
        finally:
            workbook.close()
        return self.sheet

    def check_header(self, table: Table) -> None:
        missing = [c.label for c in self.subject_columns if c.key not in table.columns]
        if missing:
            self.error(
                table.header_row,
                None,
                _("表头缺少测评对象的列：%(names)s。每个测评对象一列，列名为其单位名称。")
                % {"names": "、".join(missing)},
            )
        for letter, text in table.ignored:
            self.sheet.errors.append(
                CellIssue(
                    row=table.header_row,
                    sheet=table.sheet,
                    letter=letter,
                    column=text,
                    message=_(
                        "“%(text)s”不是本次测评的对象，也不是可识别的列。请核对列名（应为测评对象的单位名称）。"
                    )
                    % {"text": text},
                )
            )

    def parse(self, row: int, values: dict, seen: dict[str, int]) -> PaperRow | None:
        ok = True
        try:
            serial = serial_text(values.get("serial"))
        except CellValueError as exc:
            self.error(row, "serial", str(exc))
            serial, ok = "", False
        if ok and not serial:
            self.error(row, "serial", _("序号为空。每张纸质测评票都要有序号，复核时按序号查找。"))
            ok = False
        elif len(serial) > MAX_SERIAL:
            self.error(row, "serial", _("序号过长（最多 %(max)d 个字符）。") % {"max": MAX_SERIAL})
            ok = False
        elif serial in seen:
            self.error(
                row,
                "serial",
                _("序号“%(serial)s”与第%(row)d行重复。") % {"serial": serial, "row": seen[serial]},
            )
            ok = False
        elif serial:
            seen[serial] = row
        category = None
        try:
            category_text = clean_text(read_text(values.get("category")))
        except CellValueError as exc:
            self.error(row, "category", str(exc))
            category_text, ok = "", False
        if category_text:
            category = self.categories.get(compact_key(category_text))
            if category is None:
                self.error(
                    row,
                    "category",
                    _("测评人类别“%(text)s”不是本次测评的类别（%(names)s）。")
                    % {"text": category_text, "names": "、".join(self.shape.categories)},
                )
                ok = False
        elif ok:
            self.error(row, "category", _("测评人类别为空。请填写测评票上勾选的类别。"))
            ok = False
        marks = {}
        for column in self.subject_columns:
            try:
                text = clean_text(read_text(values.get(column.key)))
            except CellValueError as exc:
                self.error(row, column.key, str(exc))
                ok = False
                continue
            if not text or text == ABSTAIN:  # a typed "弃权" means what a blank does
                mark = ABSTAIN
            else:
                mark = self.options.get(compact_key(text), INVALID)
                if mark == INVALID:
                    self.sheet.invalid_cells.append(
                        _("第%(row)d行 %(subject)s：“%(text)s”")
                        % {"row": row, "subject": column.label, "text": text}
                    )
            marks[self.subject_key[column.key]] = mark
        if not ok:
            return None
        return PaperRow(row=row, serial=serial, category=category, marks=marks)


def read_paper_sheet(*, data: bytes, file_name: str, shape: Shape) -> PaperSheet:
    """Every paper ballot of the workbook ``data`` for a ballot of ``shape``, and every error."""
    return _Reader(shape, file_name).run(data)
