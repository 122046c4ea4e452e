"""Importing the organization department's list of speakers (述职人名单: 序号, 单位, 姓名, 职务,
述职方式) into a meeting: all or nothing, every error at once with its row and column.

单位 is found in the roster as every import finds a unit: a name, or a path where names repeat
("青山县/城关镇"); unknown, ambiguous and deactivated units are errors. A unit twice in the file, or
already on the meeting's list, is an error. 职务 left blank is made from the roster
(城关镇党委书记); 述职方式 left blank is 口头述职; "书面" / "书面述职" is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import Workbook

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
    protect_formulas,
    read_name,
    read_text,
)
from units.models import Unit
from units.references import resolve_units

from .domain.names import person_name
from .models import Meeting, Speaker
from .services.meetings import require_preparing, speaker_title

COLUMNS = [
    Column("serial", "序号", ("编号", "顺序", "述职顺序")),
    Column("unit", "单位", ("单位名称", "述职单位", "所在单位"), required=True),
    Column("name", "姓名", ("述职人", "述职人姓名", "书记姓名"), required=True),
    Column("title", "职务", ("现任职务", "职位")),
    Column("mode", "述职方式", ("方式", "述职形式")),
]
MODES = {
    "": Speaker.Mode.ORAL,
    "口头": Speaker.Mode.ORAL,
    "口头述职": Speaker.Mode.ORAL,
    "现场述职": Speaker.Mode.ORAL,
    "现场": Speaker.Mode.ORAL,
    "书面": Speaker.Mode.WRITTEN,
    "书面述职": Speaker.Mode.WRITTEN,
}


@dataclass
class SpeakerRow:
    row: int
    unit_ref: str
    name: str
    title: str
    mode: str
    unit: Unit | None = None


@dataclass
class SpeakerPlan:
    file_name: str
    table: Table | None = None
    rows: list[SpeakerRow] = field(default_factory=list)
    errors: list[CellIssue] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def error_messages(self) -> list[str]:
        if self.file_error:
            return [f"{self.file_name}：{self.file_error}"]
        return [f"{self.file_name} {e}" for e in sorted(self.errors, key=CellIssue.sort_key)]

    def summary(self) -> dict:
        ok = self.ok
        return {
            "file_name": self.file_name,
            "sheet": self.table.sheet if self.table else "",
            "created": len(self.rows) if ok else 0,
            **error_summary(self.error_messages()),
            "speakers": [
                {
                    "row": r.row,
                    "unit": r.unit.name if r.unit else r.unit_ref,
                    "name": r.name,
                    "title": r.title,
                    "mode": str(Speaker.Mode(r.mode).label),
                }
                for r in self.rows
            ]
            if ok
            else [],
        }


ORG_PREFIXES = ("中国共产党", "中共")
ORG_SUFFIXES = ("机关委员会", "委员会", "机关党委", "党工委", "党总支", "党支部", "党委", "党组")


def org_stripped(reference: str) -> str:
    """The unit a party organization's name names: 中共城关镇委员会 / 城关镇党委 → 城关镇, 县教育局党组 →
    县教育局 (lists often name the organization, the roster the unit)."""
    text = reference.strip()
    for prefix in ORG_PREFIXES:
        text = text.removeprefix(prefix)
    for suffix in ORG_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text.removesuffix(suffix)
    return text


def _resolve(references) -> dict:
    """units.references.resolve_units, then, for what it cannot find, the unit the party
    organization's name names."""
    references = list(references)
    found = resolve_units(references)
    retry = {ref: org_stripped(ref) for ref, result in found.items() if result.unit is None}
    retry = {ref: stripped for ref, stripped in retry.items() if stripped != ref.strip()}
    if retry:
        again = resolve_units(retry.values())
        for ref, stripped in retry.items():
            if again[stripped].unit is not None:
                found[ref] = again[stripped]
    return found


def speakers_plan(*, meeting: Meeting, data: bytes, file_name: str) -> SpeakerPlan:
    """Read and check a list of speakers against the roster and the meeting. Writes nothing."""
    plan = SpeakerPlan(file_name=file_name)

    def error(row: int, key: str, message: str) -> None:
        column = next(c for c in COLUMNS if c.key == key)
        letter = plan.table.letter(key) if plan.table and key in plan.table.columns else None
        plan.errors.append(
            CellIssue(row=row, sheet=plan.table.sheet, column=column.label, letter=letter, message=message)
        )

    try:
        workbook = open_workbook(data)
        plan.table, rows = find_table(workbook, COLUMNS, anchor="unit", what=_("述职人名单"))
        records = list(iter_records(plan.table, rows, ignore_keys=("serial",), what=_("述职人")))
    except WorkbookError as exc:
        plan.file_error = str(exc)
        return plan
    for record in records:
        values = {}
        for key, reader in (
            ("unit", read_name),
            ("name", read_name),
            ("title", read_text),
            ("mode", read_text),
        ):
            try:
                values[key] = reader(record.values.get(key)) if key in plan.table.columns else ""
            except CellValueError as exc:
                error(record.row, key, str(exc))
                values[key] = None
        row = SpeakerRow(
            row=record.row,
            unit_ref=values["unit"] or "",
            name=person_name(values["name"] or ""),
            title=values["title"] or "",
            mode=Speaker.Mode.ORAL,
        )
        if values["unit"] == "":
            error(record.row, "unit", _("单位不能为空。"))
        if values["name"] == "":
            error(record.row, "name", _("姓名不能为空。"))
        if values["mode"] is not None:
            mode = values["mode"].replace(" ", "")
            if mode in MODES:
                row.mode = MODES[mode]
            else:
                error(
                    record.row,
                    "mode",
                    _("“%(text)s”不是述职方式：请写“口头述职”或“书面述职”（空白为口头述职）。")
                    % {"text": mode},
                )
        plan.rows.append(row)
    found = _resolve(r.unit_ref for r in plan.rows if r.unit_ref)
    present = set(meeting.speakers.values_list("unit_id", flat=True))
    first_row: dict[int, int] = {}
    for row in plan.rows:
        if not row.unit_ref:
            continue
        result = found[row.unit_ref]
        row.unit = result.unit
        if result.unit is None:
            error(row.row, "unit", result.error)
            continue
        if result.unit.pk in present:
            error(row.row, "unit", _("%(unit)s已在本次会议的述职人名单中。") % {"unit": result.unit.name})
        elif result.unit.pk in first_row:
            error(
                row.row,
                "unit",
                _("%(unit)s与第%(first)d行重复。")
                % {"unit": result.unit.name, "first": first_row[result.unit.pk]},
            )
        else:
            first_row[result.unit.pk] = row.row
        row.title = speaker_title(result.unit, row.title)
    return plan


def speakers_import(*, meeting: Meeting, data: bytes, file_name: str, user) -> SpeakerPlan:
    """Plan and, unless there are errors, add the speakers after those already on the list, in the
    file's order — in one transaction, checked against the meeting as it is at that moment."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require_preparing(meeting)
        plan = speakers_plan(meeting=meeting, data=data, file_name=file_name)
        if plan.ok:
            start = (meeting.speakers.aggregate(n=Max("position"))["n"] or 0) + 1
            for offset, row in enumerate(plan.rows):
                Speaker.objects.create(
                    meeting=meeting,
                    unit=row.unit,
                    name=row.name,
                    title=row.title,
                    mode=row.mode,
                    position=start + offset,
                )
    return plan


def template_xlsx() -> bytes:
    """A blank list to fill in: the header row and two example rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "述职人名单"
    sheet.append([c.label for c in COLUMNS])
    sheet.append([1, "城关镇", "张三", "城关镇党委书记", "口头述职"])
    sheet.append([2, "县教育局", "李四", "县教育局党组书记", "书面述职"])
    for letter, width in zip("ABCDE", (8, 24, 12, 28, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    protect_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
