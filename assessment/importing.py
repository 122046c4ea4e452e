"""Importing a checklist workbook (考核项目清单) into a campaign: all or nothing.

``checklist_plan`` reads and checks a workbook and says what the campaign's
checklist would become, with every error at once. ``checklist_import`` plans
and, when the plan has no errors, replaces the campaign's whole checklist
(items and criteria) in one transaction, recording a ChecklistChange.

Real checklists put an item's cells (序号, 考核项目, 分值, 牵头单位) in merged
cells spanning the rows of its criteria, or fill them on the first row only, or
repeat them on every row; all three read the same. Read-only openpyxl shows a
merged cell's value in its top-left cell only, which is the first-row-only case.
A closing 合计 row ends the table and must agree with the sum of the items.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import model_audit
from core.numbers import points_text
from core.text import clean_text, compact_key
from core.xlsx import (
    CellIssue,
    CellValueError,
    Column,
    Record,
    Table,
    WorkbookError,
    cell_text,
    error_summary,
    find_table,
    iter_records,
    open_workbook,
    read_name,
    read_text,
    read_words,
)

from .models import (
    AuditEntry,
    Campaign,
    ChecklistChange,
    ChecklistItem,
    Criterion,
    Deduction,
    Problem,
    Target,
)
from .services import locks
from .services.checklist import checklist_line, checklist_refusal, item_snapshot
from .services.editing import audit_each

COLUMNS = [
    Column("serial", "序号", ("编号",)),
    Column("title", "考核项目", ("项目", "考核指标"), required=True),
    Column("score", "分值", ("分数", "标准分"), required=True),
    Column(
        "criterion",
        "考核内容及评分标准",
        ("评分标准", "评分细则", "考核要点", "考核内容"),
        required=True,
    ),
    Column("points", "要点分值", ("细则分值",)),
    Column("method", "考核方式", ("检查方式",)),
    Column("lead", "牵头单位", ("责任单位",)),
    Column("note", "备注", ()),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
TOTAL_WORDS = frozenset({"合计", "总计", "合计分值", "总分"})
MAX_LENGTHS = {"title": 200, "lead": 100, "method": 200}
MAX_POINTS = Decimal("9999.99")  # DecimalField(max_digits=6, decimal_places=2)
MAX_ROWS = 5000  # a checklist is a few dozen items; more rows than this is the wrong file
CENT = Decimal("0.01")

_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)分?$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def multiline_text(value: Any, reader=read_text) -> str:
    """Criterion text keeps its line breaks ("1.…" / "2.…"); each line is cleaned, empty lines dropped.
    ``reader`` (core.xlsx) reads the cell, and raises CellValueError for what it refuses."""
    text = reader(value)
    if isinstance(value, str):
        lines = (clean_text(line) for line in _LINE_BREAK.split(value))
        return "\n".join(line for line in lines if line)
    return text


def _words_text(value: Any) -> str:
    return multiline_text(value, read_words)


def parse_points(value: Any, label: str) -> tuple[Decimal | None, str]:
    """A positive score with at most two decimals: 15, 15.5, "15", "15分", "15 分". Returns (value, problem)."""
    try:
        text = read_text(value)
    except CellValueError as exc:
        return None, str(exc)
    values = {"label": label, "text": text}
    not_a_number = _("%(label)s“%(text)s”不是有效的数字，请填写如 10 或 10分") % values
    if isinstance(value, bool | dt.date | dt.time):
        return None, not_a_number
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
            rounded = number.quantize(CENT) if number.is_finite() and abs(number) <= MAX_POINTS else number
            if abs(number - rounded) < Decimal("1e-9"):
                number = rounded  # binary noise from a formula, such as 0.30000000000000004
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        else:
            match = _NUMBER.match(unicodedata.normalize("NFKC", text).replace(" ", ""))
            if match is None:
                return None, not_a_number
            number = Decimal(match.group(1) + match.group(2))
    except (InvalidOperation, ValueError):
        return None, not_a_number
    if not number.is_finite():
        return None, not_a_number
    if number <= 0:
        return None, _("%(label)s必须大于0（填写的是“%(text)s”）") % values
    if number > MAX_POINTS:
        return None, _("%(label)s“%(text)s”过大，不能超过%(max)s") % {**values, "max": MAX_POINTS}
    if number != number.quantize(CENT):
        return None, _("%(label)s“%(text)s”最多保留两位小数") % values
    return number.quantize(CENT), ""


@dataclass
class ParsedCriterion:
    row: int
    order: int
    text: str
    points: Decimal | None = None
    method: str = ""

    def as_json(self) -> dict:
        return {
            "order": self.order,
            "text": self.text,
            "points": points_text(self.points),
            "method": self.method,
        }


@dataclass
class ParsedItem:
    row: int  # the item's first row
    order: int
    title: str
    full_score: Decimal | None = None
    lead_department: str = ""
    note: str = ""
    criteria: list[ParsedCriterion] = field(default_factory=list)
    score_row: int | None = None
    score_text: str = ""
    score_invalid: bool = False
    points_invalid: bool = False
    criterion_invalid: bool = False  # a criterion cell refused: "no criteria" would only confuse
    lead_row: int | None = None
    duplicate: bool = False  # a title seen before: reported once, never imported

    @property
    def points_total(self) -> Decimal | None:
        points = [c.points for c in self.criteria if c.points is not None]
        return sum(points, Decimal(0)) if points else None

    def as_json(self) -> dict:
        """The shape of checklist_as_json (and of the item editor's snapshots)."""
        return {
            "order": self.order,
            "title": self.title,
            "full_score": points_text(self.full_score),
            "lead_department": self.lead_department,
            "note": self.note,
            "criteria": [c.as_json() for c in self.criteria],
        }


@dataclass
class ChecklistPlan:
    """What importing a workbook would make of a campaign's checklist. Nothing here touches the database."""

    file_name: str
    campaign_title: str = ""
    table: Table | None = None
    items: list[ParsedItem] = field(default_factory=list)
    errors: list[CellIssue] = field(default_factory=list)
    file_error: str = ""
    total_row: int | None = None  # the 合计 row
    stated_total: Decimal | None = None  # the 合计 row's 分值
    notes: list[str] = field(default_factory=list)
    replaced_items: int = 0  # items the campaign has now, which the import replaces

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def error_messages(self) -> list[str]:
        if self.file_error:
            return [self.file_error]
        return [str(e) for e in sorted(self.errors, key=CellIssue.sort_key)]

    @property
    def total(self) -> Decimal:
        return sum((i.full_score for i in self.items if i.full_score is not None), Decimal(0))

    @property
    def criterion_count(self) -> int:
        return sum(len(i.criteria) for i in self.items)

    def ignored_columns(self) -> list[str]:
        if self.table is None:
            return []
        ignored = list(self.table.ignored)
        if "serial" in self.table.columns:
            ignored.insert(0, (self.table.letter("serial"), "序号"))
        return [_("%(letter)s列“%(text)s”") % {"letter": letter, "text": text} for letter, text in ignored]

    def as_json(self) -> list[dict]:
        return [i.as_json() for i in self.items]

    def summary(self) -> dict:
        """A JSON-able record of the plan, stored with the upload and shown on the preview."""
        return {
            "file_name": self.file_name,
            "campaign": self.campaign_title,
            "sheet": self.table.sheet if self.table else "",
            "header_row": self.table.header_row if self.table else None,
            "other_sheets": self.table.other_sheets if self.table else [],
            "ignored_columns": self.ignored_columns(),
            "replaces_existing": self.replaced_items > 0,
            "replaced_items": self.replaced_items,
            "item_count": len(self.items),
            "criterion_count": self.criterion_count,
            "total": points_text(self.total),
            "total_row": self.total_row,
            "stated_total": None if self.stated_total is None else points_text(self.stated_total),
            "items": [
                {
                    "row": i.row,
                    "order": i.order,
                    "title": i.title,
                    "full_score": "" if i.full_score is None else points_text(i.full_score),
                    "lead_department": i.lead_department,
                    "note": i.note,
                    "points_total": None if i.points_total is None else points_text(i.points_total),
                    "criteria": [
                        {
                            "row": c.row,
                            "order": c.order,
                            "text": c.text,
                            "points": None if c.points is None else points_text(c.points),
                            "method": c.method,
                        }
                        for c in i.criteria
                    ],
                }
                for i in self.items
            ],
            **error_summary(self.error_messages()),
            "notes": self.notes,
        }


def _is_total(record: Record) -> bool:
    for key in ("serial", "title"):
        text = compact_key(cell_text(record.values.get(key))).rstrip("：:")
        if text in TOTAL_WORDS:
            return True
    return False


class _Reader:
    def __init__(self, plan: ChecklistPlan):
        self.plan = plan
        self.current: ParsedItem | None = None
        self.current_key = ""
        self.seen: dict[str, ParsedItem] = {}  # compact title -> item

    def error(self, row: int | None, key: str | None, message: str) -> None:
        table = self.plan.table
        letter = table.letter(key) if table and key and key in table.columns else None
        column = COLUMN_BY_KEY[key].label if key else None
        self.plan.errors.append(
            CellIssue(
                row=row, sheet=table.sheet if table else None, column=column, letter=letter, message=message
            )
        )

    def cell(self, row: int, key: str, value: Any, reader) -> str | None:
        """The cell read by ``reader`` (core.xlsx, or multiline_text); None, reported, if refused."""
        try:
            return reader(value)
        except CellValueError as exc:
            self.error(row, key, str(exc))
            return None

    def read(self, data: bytes) -> None:
        workbook = open_workbook(data)
        try:
            table, rows = find_table(workbook, COLUMNS, anchor="title", what=_("考核项目清单"))
            self.plan.table = table
            records = iter_records(table, rows, what=_("考核项目"))
            for count, record in enumerate(records, start=1):
                if _is_total(record):
                    self.total(record)
                    after = [r.row for r in records]
                    if after:
                        rows_after = _("第%(row)s行") % {"row": after[0]} + (
                            _("至第%(row)s行") % {"row": after[-1]} if len(after) > 1 else ""
                        )
                        self.plan.notes.append(
                            _("第%(row)s行是合计行，其后%(rows)s的%(count)s行内容未读取。")
                            % {"row": record.row, "rows": rows_after, "count": len(after)}
                        )
                    break
                if count > MAX_ROWS:
                    raise WorkbookError(
                        _("工作表 %(sheet)s 的考核项目清单超过 %(max)s 行，请检查是否选错了文件。")
                        % {"sheet": table.sheet, "max": f"{MAX_ROWS:,}"}
                    )
                self.row(record)
            self.finish_item()
        finally:
            workbook.close()
        if not self.plan.items and not self.plan.errors:
            raise WorkbookError(
                _("工作表 %(sheet)s 第%(row)s行的表头下面没有考核项目，请填写后再导入。")
                % {"sheet": table.sheet, "row": table.header_row}
            )
        self.check_total()

    def row(self, record: Record) -> None:
        values, row = record.values, record.row
        title = self.cell(row, "title", values.get("title"), read_name)
        if title is None:
            # The row's item is unknown: its cells are checked, the item is never imported.
            self.finish_item()
            self.current, self.current_key = ParsedItem(row=row, order=0, title="", duplicate=True), ""
            title = ""
        elif title := clean_text(title):
            key = compact_key(title)
            if self.current is None or key != self.current_key:
                self.finish_item()
                self.current_key = key
                if key in self.seen:
                    first = self.seen[key].row
                    self.error(
                        row,
                        "title",
                        _(
                            "考核项目“%(title)s”与第%(row)s行重复：同一考核项目只能填写一处，"
                            "它的各条评分标准应写在紧接着的行中"
                        )
                        % {"title": title, "row": first},
                    )
                    # Rows continuing the duplicate are read (their cells checked) but never imported.
                    self.current = ParsedItem(row=row, order=0, title=title, duplicate=True)
                elif len(title) > MAX_LENGTHS["title"]:
                    self.error(
                        row,
                        "title",
                        _("内容过长（%(length)s个字），不能超过%(limit)s个字")
                        % {"length": len(title), "limit": MAX_LENGTHS["title"]},
                    )
                if key not in self.seen:
                    self.current = ParsedItem(row=row, order=len(self.plan.items) + 1, title=title)
                    self.seen[key] = self.current
                    self.plan.items.append(self.current)
        elif self.current is None:
            if any(
                not _blank(values.get(k)) for k in ("score", "criterion", "points", "method", "lead", "note")
            ):
                self.error(row, "title", _("考核项目为空：本行之前还没有考核项目，请填写本行所属的考核项目"))
            return
        self.item_cells(self.current, values, row)
        self.criterion_cells(self.current, values, row)

    def item_cells(self, item: ParsedItem, values: dict, row: int) -> None:
        raw = values.get("score")
        if not _blank(raw):
            score, problem = parse_points(raw, "分值")
            if problem:
                self.error(row, "score", problem)
                item.score_invalid = True
            elif item.score_row is None:
                item.full_score, item.score_row, item.score_text = score, row, cell_text(raw)
            elif score != item.full_score:
                self.error(
                    row,
                    "score",
                    _("分值“%(value)s”与本考核项目第%(row)s行的“%(first)s”不一致，一个考核项目只能有一个分值")
                    % {"value": cell_text(raw), "row": item.score_row, "first": item.score_text},
                )
        lead = clean_text(self.cell(row, "lead", values.get("lead"), read_name) or "")
        if lead:
            if item.lead_row is None:
                item.lead_department, item.lead_row = lead, row
                if len(lead) > MAX_LENGTHS["lead"]:
                    self.error(
                        row,
                        "lead",
                        _("内容过长（%(length)s个字），不能超过%(limit)s个字")
                        % {"length": len(lead), "limit": MAX_LENGTHS["lead"]},
                    )
            elif compact_key(lead) != compact_key(item.lead_department):
                self.error(
                    row,
                    "lead",
                    _(
                        "牵头单位“%(value)s”与本考核项目第%(row)s行的“%(first)s”不一致，"
                        "一个考核项目只能有一个牵头单位"
                    )
                    % {"value": lead, "row": item.lead_row, "first": item.lead_department},
                )
        note = self.cell(row, "note", values.get("note"), multiline_text) or ""
        if note and note not in item.note.split("\n"):
            item.note = f"{item.note}\n{note}" if item.note else note

    def criterion_cells(self, item: ParsedItem, values: dict, row: int) -> None:
        text = self.cell(row, "criterion", values.get("criterion"), _words_text)
        raw_points = values.get("points")
        method = clean_text(self.cell(row, "method", values.get("method"), read_words) or "")
        if text is None:
            item.criterion_invalid = True
            return
        if not text:
            filled = [COLUMN_BY_KEY[k].label for k in ("points", "method") if not _blank(values.get(k))]
            if filled:
                names = "、".join(f"“{label}”" for label in filled)
                self.error(
                    row, "criterion", _("本行填写了%(names)s，但考核内容及评分标准为空") % {"names": names}
                )
            return
        points = None
        if not _blank(raw_points):
            points, problem = parse_points(raw_points, "要点分值")
            if problem:
                self.error(row, "points", problem)
                item.points_invalid = True
        if len(method) > MAX_LENGTHS["method"]:
            self.error(
                row,
                "method",
                _("内容过长（%(length)s个字），不能超过%(limit)s个字")
                % {"length": len(method), "limit": MAX_LENGTHS["method"]},
            )
        item.criteria.append(
            ParsedCriterion(row=row, order=len(item.criteria) + 1, text=text, points=points, method=method)
        )

    def finish_item(self) -> None:
        item, self.current = self.current, None
        if item is None or item.duplicate:
            return
        if not item.criteria and not item.criterion_invalid:
            self.error(
                item.row, "criterion", _("考核项目“%(title)s”没有考核内容及评分标准") % {"title": item.title}
            )
        if item.full_score is None and not item.score_invalid:
            self.error(item.row, "score", _("考核项目“%(title)s”的分值为空") % {"title": item.title})
        points = item.points_total
        if (
            item.full_score is not None
            and points is not None
            and not item.points_invalid
            and points > item.full_score
        ):
            self.error(
                item.row,
                "points",
                _("考核项目“%(title)s”各条评分标准的要点分值合计%(points)s分，超过了该项目的分值%(full)s分")
                % {"title": item.title, "points": points_text(points), "full": points_text(item.full_score)},
            )

    def total(self, record: Record) -> None:
        self.plan.total_row = record.row
        raw = record.values.get("score")
        if _blank(raw):
            self.plan.notes.append(_("合计行（第%(row)s行）没有填写分值，未核对总分。") % {"row": record.row})
            return
        stated, problem = parse_points(raw, "合计分值")
        if problem:
            self.error(record.row, "score", problem)
        else:
            self.plan.stated_total = stated

    def check_total(self) -> None:
        plan = self.plan
        if plan.stated_total is None:
            return
        if any(i.full_score is None or i.score_invalid for i in plan.items):
            return  # the item's own error says what is wrong; a sum without it would only confuse
        if plan.stated_total != plan.total:
            self.error(
                plan.total_row,
                "score",
                _("合计分值%(stated)s分与各考核项目分值之和%(total)s分不一致")
                % {"stated": points_text(plan.stated_total), "total": points_text(plan.total)},
            )


def _campaign_problem(campaign: Campaign) -> str:
    if refusal := checklist_refusal(campaign):
        return refusal
    if Deduction.objects.filter(item__campaign=campaign).exists():
        return _(
            "考核工作“%(title)s”的考核项目已有扣分记录，不能整体替换考核项目清单。"
            "请在考核项目清单页面逐项修改。"
        ) % {"title": campaign.title}
    if Problem.objects.filter(item__campaign=campaign).exists():
        return _(
            "考核工作“%(title)s”的考核项目下已有问题记录，不能整体替换考核项目清单。"
            "请在考核项目清单页面逐项修改。"
        ) % {"title": campaign.title}
    return ""


def checklist_plan(*, data: bytes, file_name: str, campaign: Campaign | None) -> ChecklistPlan:
    """Read and check a checklist workbook for a campaign (None: one yet to be created). Writes nothing."""
    plan = ChecklistPlan(file_name=file_name, campaign_title=campaign.title if campaign else "")
    if campaign is not None:
        plan.file_error = _campaign_problem(campaign)
        if plan.file_error:
            return plan
        plan.replaced_items = campaign.items.count()
    try:
        _Reader(plan).read(data)
    except WorkbookError as exc:
        plan.file_error = str(exc)
    return plan


def checklist_as_json(campaign: Campaign) -> list[dict]:
    """The campaign's checklist, items in order with their criteria (as ChecklistChange records it)."""
    items = campaign.items.order_by("order").prefetch_related("criteria")
    return [item_snapshot(item) for item in items]


def _apply(plan: ChecklistPlan, campaign: Campaign, user) -> None:
    locks.require_open(campaign=campaign, what=locks.CHECKLIST)  # and every county's row locked
    before = checklist_as_json(campaign)
    line_before = checklist_line(campaign)
    # Deductions and problems protect their items: a late one makes this raise, and nothing is written.
    ChecklistItem.objects.filter(campaign=campaign).delete()
    items = model_audit.bulk_create(
        ChecklistItem,
        [
            ChecklistItem(
                campaign=campaign,
                order=i.order,
                title=i.title,
                full_score=i.full_score,
                lead_department=i.lead_department,
                note=i.note,
            )
            for i in plan.items
        ],
    )
    model_audit.bulk_create(
        Criterion,
        [
            Criterion(item=item, order=c.order, text=c.text, points=c.points, method=c.method)
            for item, parsed in zip(items, plan.items, strict=True)
            for c in parsed.criteria
        ],
        batch_size=500,
    )
    ChecklistChange.objects.create(
        campaign=campaign,
        action=_("导入清单"),
        reason=_("导入文件 %(file)s") % {"file": plan.file_name},
        before=before,
        after=plan.as_json(),
        changed_by=user,
    )
    audit_each(
        Target.objects.filter(campaign=campaign),
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=campaign,
        before=line_before,
        after={**checklist_line(campaign), "原因": _("导入文件 %(file)s") % {"file": plan.file_name}},
        title=_("考核项目清单：导入"),
    )


def checklist_import(
    *, data: bytes, file_name: str, campaign: Campaign, user, dry_run: bool = False
) -> ChecklistPlan:
    """Plan and, unless there are errors or it is a dry run, replace the checklist — in one transaction.

    The campaign row is locked while planning and writing, so two imports into
    the same campaign run one after the other, each checked against what the
    other left.
    """
    try:
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
            if locked is None:
                plan = ChecklistPlan(file_name=file_name, campaign_title=campaign.title)
                plan.file_error = _("考核工作“%(title)s”已被删除，未写入任何数据。") % {
                    "title": campaign.title
                }
                return plan
            plan = checklist_plan(data=data, file_name=file_name, campaign=locked)
            if plan.ok and not dry_run:
                try:
                    _apply(plan, locked, user)
                except locks.Locked as exc:  # a county handed in since the check above
                    plan.file_error = exc.messages[0]
    except IntegrityError:  # ProtectedError included: a deduction recorded meanwhile
        plan = ChecklistPlan(file_name=file_name, campaign_title=campaign.title)
        plan.file_error = _("导入时考核项目清单正被其他人修改，未写入任何数据。请重新上传预览后再确认。")
    return plan
