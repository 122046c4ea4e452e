"""Importing a roster workbook (单位名册) into the unit tree: all or nothing.

``roster_plan`` reads and checks a workbook against the current roster and says
what an import would create, update and leave unchanged, with every error at
once. ``roster_import`` plans and, when the plan has no errors, writes it in one
transaction. Units are matched by parent + name, so importing the same file
twice changes nothing.

A parent is named in 上级单位 by its name ("城关镇") or, where names repeat, by
a path ("青山县/城关镇"). It may be a unit already in the database or a row
anywhere in the file, before or after its children.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, model_audit
from core.text import clean_name, compact_key
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
    read_name,
    read_text,
    read_words,
)

from .domain.org_types import org_type_of, refusal
from .domain.tree import KIND_ORDER, kind_label, parent_kind_error
from .models import Unit
from .references import PATH_SEPARATORS

Kind = Unit.Kind
OrgType = Unit.OrgType

COLUMNS = [
    Column("serial", "序号", ("编号",)),
    Column("name", "单位名称", ("名称", "单位全称"), required=True),
    Column("kind", "单位类别", ("类别", "单位类型"), required=True),
    Column("parent", "上级单位", ("上级党组织", "所属单位"), required=True),
    Column("org_type", "党组织类型", ("组织类型",)),
    Column("secretary", "党组织书记", ("书记",)),
    Column("contact", "联系电话", ("电话",)),
    Column("note", "备注", ()),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DETAIL_FIELDS = ("org_type", "secretary", "contact", "note")
FIELD_LABELS = {"kind": "单位类别", **{k: COLUMN_BY_KEY[k].label for k in DETAIL_FIELDS}}

KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    # 地区, 盟 and 自治州 are prefecture-level like a city; 旗, 苏木 and 嘎查 are Inner Mongolia's
    # county, township and village (where 旗委 and 盟委 come from).
    Kind.CITY: ("市", "地级市", "市级", "地区", "盟", "自治州", "州"),
    Kind.COUNTY: (
        *("县（区）", "县", "区", "县区", "县（市、区）", "县（市区）", "县级", "县级市", "市辖区"),
        *("旗", "自治县", "自治旗", "县（旗）", "旗县", "县（市）", "县（市、区、旗）", "林区", "特区"),
    ),
    Kind.COUNTY_ORGAN: ("县直机关单位", "县直机关", "区直机关单位", "区直机关", "县直部门", "机关单位"),
    Kind.COUNTY_INSTITUTION: ("县直事业单位", "区直事业单位", "县直事业", "事业单位"),
    Kind.TOWNSHIP: (
        *("乡镇（街道）", "乡镇", "街道", "乡", "镇", "乡镇街道", "街道办事处"),
        *("街道办", "乡（镇）", "镇（乡）", "镇街", "乡镇（街道办事处）", "苏木", "民族乡", "乡镇（苏木）"),
    ),
    Kind.VILLAGE: (
        *("村（社区）", "村", "社区", "村社区", "行政村", "居委会"),
        *("村（居）", "村居", "社区（村）", "嘎查", "嘎查村", "村委会", "村民委员会", "社区居委会"),
    ),
    Kind.TOWNSHIP_STATION: (
        "乡镇机关事业单位",
        "乡镇站所",
        "站所",
        "乡镇机关",
        "乡镇事业单位",
        "街道机关事业单位",
    ),
    Kind.SCHOOL: ("学校", "中小学", "中学", "小学"),
    Kind.HOSPITAL: ("医院", "卫生院", "医疗机构"),
    Kind.ENTERPRISE: ("非公企业", "非公有制企业", "民营企业", "企业"),
    Kind.SOCIAL_ORGANIZATION: ("社会组织", "社团"),
}
_KIND_LOOKUP = {compact_key(s): kind for kind, synonyms in KIND_SYNONYMS.items() for s in synonyms}


@lru_cache(maxsize=1024)
def _kind_of(text: str) -> str | None:
    return _KIND_LOOKUP.get(compact_key(text))


# Parent references repeat thousands of times (every village of a township names it).
_clean_reference = lru_cache(maxsize=16384)(clean_name)

MAX_LENGTHS = {"name": 100, "secretary": 50, "contact": 50, "note": 500}


class Node:
    """A unit as the import sees it: one already in the database, or one a row will create."""

    __slots__ = ("unit_id", "name", "kind", "parent", "row", "fields", "is_active", "ancestry")

    def __init__(
        self, *, name, kind, parent, unit_id=None, row=None, fields=None, is_active=True, ancestry=""
    ):
        self.unit_id: int | None = unit_id
        self.name: str = name
        self.kind: str = kind
        self.parent: Node | None = parent
        self.row: int | None = row  # the row that creates it (new units only)
        self.fields: dict[str, str] = fields or {}
        self.is_active: bool = is_active
        self.ancestry: str = ancestry

    def path(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "/".join(reversed(names))

    def where(self) -> str:
        return _("第%(row)s行") % {"row": self.row} if self.unit_id is None else _("系统中已有")

    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    def matches_path(self, segments: list[str]) -> bool:
        node: Node | None = self
        for segment in reversed(segments):
            if node is None or node.name != segment:
                return False
            node = node.parent
        return True


@dataclass
class RosterRow:
    row: int
    name: str
    kind: str
    parent_ref: str
    fields: dict[str, str]  # the detail columns present in the file
    action: str = ""  # "create" | "update" | "unchanged"
    node: Node | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)

    def fields_after(self) -> dict[str, str]:
        """The detail fields after the import: the file's where it has the column, else the unit's."""
        return {k: self.fields.get(k, self.node.fields.get(k, "")) for k in DETAIL_FIELDS}


@dataclass
class RosterPlan:
    """What importing a workbook would do. Nothing here touches the database."""

    file_name: str
    table: Table | None = None
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[CellIssue] = field(default_factory=list)
    file_error: str = ""
    # Rows left unchecked because a row above them in the tree has an error, by that row (or rows).
    unchecked: dict[tuple[int, ...], list[int]] = field(default_factory=dict)
    # 党组织类型 written otherwise than its type's name: (text as written, OrgType value) -> rows.
    spellings: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def error_messages(self) -> list[str]:
        if self.file_error:
            return [self.file_error]
        return [str(e) for e in sorted(self.errors, key=CellIssue.sort_key)]

    def unchecked_messages(self) -> list[str]:
        """One line per broken row for all the rows below it: "另有232行因上级单位第6行有错误未检查"."""
        if self.file_error:
            return []
        messages = []
        for causes, rows in sorted(self.unchecked.items()):
            where = "、".join(_("第%(row)s行") % {"row": n} for n in causes)
            listed = (
                _("（%(rows)s）") % {"rows": "、".join(_("第%(row)s行") % {"row": n} for n in sorted(rows))}
                if len(rows) <= 5
                else ""
            )
            messages.append(
                _("另有%(count)s行%(listed)s因上级单位%(where)s有错误未检查")
                % {"count": len(rows), "listed": listed, "where": where}
            )
        return messages

    def spelling_groups(self, shown: int = 8) -> list[dict]:
        """How 党组织类型 written otherwise will be recorded, by type: 党委 ← 县委（1行）、镇党委（18行）;
        the ``shown`` most frequent spellings of each type, the rest counted (a roster that writes each
        unit's own organization, 中共青山县交通运输局党组, must not make the preview long)."""
        by_type: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for (text, org_type), count in self.spellings.items():
            by_type[org_type].append((text, count))
        order = ["", *OrgType.values]
        groups = []
        for t in sorted(by_type, key=order.index):
            spellings = sorted(by_type[t], key=lambda pair: (-pair[1], pair[0]))
            rest = spellings[shown:]
            groups.append(
                {
                    "label": str(OrgType(t).label) if t else _("（空）"),
                    "spellings": [{"text": text, "rows": count} for text, count in spellings[:shown]],
                    "more": len(rest),
                    "more_rows": sum(count for _text, count in rest),
                }
            )
        return groups

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def kind_counts(self) -> list[dict]:
        """Per kind: how many rows create, update and leave unchanged a unit of that kind."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for r in self.rows:
            if r.action:
                counts[r.kind][r.action] += 1
        return [
            {
                "kind": k,
                "label": kind_label(k),
                **{a: counts[k][a] for a in ("create", "update", "unchanged")},
            }
            for k in KIND_ORDER
            if k in counts
        ]

    def ignored_columns(self) -> list[str]:
        if self.table is None:
            return []
        ignored = [(letter, text) for letter, text in self.table.ignored]
        if "serial" in self.table.columns:
            ignored.insert(0, (self.table.letter("serial"), "序号"))
        return [_("%(letter)s列“%(text)s”") % {"letter": letter, "text": text} for letter, text in ignored]

    def summary(self) -> dict:
        """A JSON-able record of the plan, stored with the upload and shown on the preview."""
        return {
            "file_name": self.file_name,
            "sheet": self.table.sheet if self.table else "",
            "header_row": self.table.header_row if self.table else None,
            "other_sheets": self.table.other_sheets if self.table else [],
            "ignored_columns": self.ignored_columns(),
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "kinds": self.kind_counts(),
            **error_summary(self.error_messages()),
            "unchecked": self.unchecked_messages(),
            "org_type_spellings": self.spelling_groups(),
            "updates": [
                {"row": r.row, "path": r.node.path() if r.node else r.name, "changes": r.changes}
                for r in self.rows
                if r.action == "update"
            ][:500],
        }


class _Planner:
    def __init__(self, file_name: str):
        self.plan = RosterPlan(file_name=file_name)
        self.unreadable: dict[str, list[int]] = defaultdict(list)  # name -> rows with errors of their own
        self.spellings = self.plan.spellings

    def error(self, row: int | None, key: str | None, message: str) -> None:
        table = self.plan.table
        letter = table.letter(key) if table and key and key in table.columns else None
        column = COLUMN_BY_KEY[key].label if key else None
        self.plan.errors.append(
            CellIssue(
                row=row, sheet=table.sheet if table else None, column=column, letter=letter, message=message
            )
        )

    # -- reading ---------------------------------------------------------

    def read(self, data: bytes) -> list[RosterRow]:
        workbook = open_workbook(data)
        try:
            table, rows = find_table(workbook, COLUMNS, anchor="name", what=_("单位名册"))
            self.plan.table = table
            return [
                r
                for record in iter_records(table, rows, ignore_keys=("serial",), what=_("单位"))
                if (r := self.parse(record))
            ]
        finally:
            workbook.close()

    def cell(self, row: int, key: str, value, reader) -> str | None:
        """The cell's text read by ``reader`` (core.xlsx); None, with the error reported, if refused."""
        try:
            return reader(value)
        except CellValueError as exc:
            self.error(row, key, str(exc))
            return None

    def parse(self, record) -> RosterRow | None:
        values, row = record.values, record.row
        ok = True
        name = self.cell(row, "name", values.get("name"), read_name)
        if name is None:
            ok, name = False, ""
        else:
            name = clean_name(name)
            if not name:
                self.error(row, "name", _("单位名称为空（本行有其他内容，单位名称必须填写）"))
                ok = False
        kind_text = self.cell(row, "kind", values.get("kind"), read_text)
        kind = _kind_of(kind_text) if kind_text else None
        if kind_text is None:
            ok = False
        elif not kind_text:
            self.error(row, "kind", _("单位类别为空"))
            ok = False
        elif kind is None:
            allowed = "、".join(kind_label(k) for k in KIND_ORDER)
            self.error(
                row,
                "kind",
                _("无法识别“%(text)s”，可填写：%(allowed)s") % {"text": kind_text, "allowed": allowed},
            )
            ok = False
        fields: dict[str, str] = {}
        if "org_type" in values:
            org_text = self.cell(row, "org_type", values.get("org_type"), read_text)
            org_type = org_type_of(org_text) if org_text else ""
            if org_text is None:
                ok = False
            elif org_type is None:
                self.error(row, "org_type", refusal(org_text))
                ok = False
            else:
                fields["org_type"] = org_type
                if compact_key(org_text) != (str(OrgType(org_type).label) if org_type else ""):
                    self.spellings[(org_text, org_type)] += 1
        for key, reader in (("secretary", read_words), ("contact", read_text), ("note", read_text)):
            if key in values:
                text = self.cell(row, key, values.get(key), reader)
                if text is None:
                    ok = False
                fields[key] = text or ""
        for key, limit in MAX_LENGTHS.items():
            text = name if key == "name" else fields.get(key, "")
            if len(text) > limit:
                self.error(
                    row,
                    key,
                    _("内容过长（%(length)s个字），不能超过%(limit)s个字")
                    % {"length": len(text), "limit": limit},
                )
                ok = False
        parent_text = self.cell(row, "parent", values.get("parent"), read_name)
        if parent_text is None:
            ok = False
        if not ok:
            if name:
                self.unreadable[name].append(row)
            return None
        parent_ref = _clean_reference(parent_text)
        return RosterRow(row=row, name=name, kind=kind, parent_ref=parent_ref, fields=fields)

    # -- resolving parents -------------------------------------------------

    def load_existing(self) -> None:
        self.existing: dict[int, Node] = {}
        parents: dict[int, int | None] = {}
        columns = ("id", "name", "kind", "parent_id", "ancestry", "is_active", *DETAIL_FIELDS)
        for values in Unit.objects.values_list(*columns).iterator(chunk_size=5000):
            uid, name, kind, parent_id, ancestry, is_active, *details = values
            self.existing[uid] = Node(
                unit_id=uid,
                name=name,
                kind=kind,
                parent=None,
                fields=dict(zip(DETAIL_FIELDS, details, strict=True)),
                is_active=is_active,
                ancestry=ancestry,
            )
            parents[uid] = parent_id
        self.db_by_name: dict[str, list[Node]] = defaultdict(list)
        self.db_child: dict[tuple[int | None, str], Node] = {}
        self.db_children: dict[int, list[Node]] = defaultdict(list)
        for uid, node in self.existing.items():
            parent_id = parents[uid]
            node.parent = self.existing.get(parent_id) if parent_id else None
            self.db_by_name[node.name].append(node)
            self.db_child[(parent_id, node.name)] = node
            if parent_id:
                self.db_children[parent_id].append(node)

    def resolve(self, rows: list[RosterRow]) -> None:
        """Find every row's parent and identity, parents first, in as many passes as the tree is deep."""
        self.rows_by_name: dict[str, list[RosterRow]] = defaultdict(list)
        for r in rows:
            self.rows_by_name[r.name].append(r)
        self.resolved: dict[int, Node] = {}  # id(row) -> node
        self.failed: set[int] = set()
        self.blocked: dict[int, tuple[int, ...]] = {}  # id(row) -> the broken rows that keep it unchecked
        self.claimed: dict[tuple[int, str], RosterRow] = {}  # (id(parent node), name) -> first row
        pending = list(rows)
        while pending:
            still_pending = [r for r in pending if self.resolve_row(r) is None]
            if len(still_pending) == len(pending):
                break
            pending = still_pending
        for r in pending:  # rows whose parents wait on each other
            self.error(
                r.row,
                "parent",
                _("上级单位“%(parent)s”无法确定：有关的行互相作为上级，形成了循环")
                % {"parent": r.parent_ref},
            )

    def segments(self, reference: str) -> list[str]:
        """A parent reference as path segments. A name that itself contains "/" is taken whole."""
        if reference in self.rows_by_name or reference in self.db_by_name or reference in self.unreadable:
            return [reference]
        return [part for part in PATH_SEPARATORS.split(reference) if part]

    def fail(self, r: RosterRow, key: str, message: str) -> bool:
        self.error(r.row, key, message)
        self.failed.add(id(r))
        return False

    def skip(self, r: RosterRow, causes: tuple[int, ...]) -> bool:
        self.failed.add(id(r))
        self.blocked[id(r)] = causes
        self.plan.unchecked.setdefault(causes, []).append(r.row)
        return False

    def may_be(self, o: RosterRow, segments: list[str]) -> bool:
        """Whether row ``o`` (of the name a reference ends with) could be what the path names."""
        if len(segments) == 1:
            return True
        return bool(o.parent_ref) and self.segments(o.parent_ref)[-1] == segments[-2]

    def find_parent(self, r: RosterRow) -> Node | None | bool:
        """The row's parent node; None for a root; False when reported as an error; True to wait."""
        if not r.parent_ref:
            return None
        segments = self.segments(r.parent_ref)
        same_name = self.rows_by_name.get(segments[-1], [])
        if any(id(o) not in self.resolved and id(o) not in self.failed and o is not r for o in same_name):
            return True
        in_file = {
            id(n): n
            for n in (self.resolved[id(o)] for o in same_name if id(o) in self.resolved)
            if n.matches_path(segments)
        }
        # A parent whose own row has an error: this row is not checked, and is counted once
        # under the row that started it (its parent's, or the one above that).
        causes = set()
        for o in same_name:
            if id(o) in self.failed and self.may_be(o, segments):
                causes.update(self.blocked.get(id(o), (o.row,)))
        if len(segments) == 1:
            causes.update(self.unreadable.get(segments[-1], []))
        if causes:
            return self.skip(r, tuple(sorted(causes)))
        if len(in_file) == 1 and len(segments) == 1:
            # A county's roster names its own 城关镇 plainly, though other counties have one too:
            # a name the file itself defines once means that row.
            return next(iter(in_file.values()))
        candidates = {
            **in_file,
            **{id(n): n for n in self.db_by_name.get(segments[-1], []) if n.matches_path(segments)},
        }
        if not candidates:
            if unreadable := self.unreadable.get(segments[-1]):
                return self.skip(r, tuple(unreadable))
            hint = _("（路径写法如“青山县/城关镇”）") if len(segments) > 1 else ""
            return self.fail(
                r,
                "parent",
                _("找不到“%(parent)s”%(hint)s，请检查名称或先添加该单位")
                % {"parent": r.parent_ref, "hint": hint},
            )
        if len(candidates) > 1:
            listed = "、".join(f"{n.path()}（{n.where()}）" for n in candidates.values())
            example = next(iter(candidates.values())).path()
            return self.fail(
                r,
                "parent",
                _("“%(parent)s”对应多个单位：%(listed)s。请写出上级路径，如“%(example)s”")
                % {"parent": r.parent_ref, "listed": listed, "example": example},
            )
        return next(iter(candidates.values()))

    def resolve_row(self, r: RosterRow) -> bool | None:
        """Resolve one row's parent and identity. None: must wait for another row."""
        parent = self.find_parent(r)
        if parent is True:
            return None
        if parent is False:
            return False
        if message := parent_kind_error(r.kind, parent.kind if parent else None):
            where = (
                _("（“%(name)s”是%(kind)s）") % {"name": parent.name, "kind": kind_label(parent.kind)}
                if parent
                else ""
            )
            return self.fail(r, "kind", message + where)
        key = (id(parent), r.name)
        if key in self.claimed:
            under = _("“%(path)s”下的") % {"path": parent.path()} if parent else _("最上级的")
            return self.fail(
                r,
                "name",
                _("与第%(row)s行重复：%(under)s“%(name)s”只能出现一次")
                % {"row": self.claimed[key].row, "under": under, "name": r.name},
            )
        self.claimed[key] = r
        # A new parent has no children yet; an existing one (or the top level) may have this name already.
        existing = self.db_child.get((parent.unit_id if parent else None, r.name))
        if parent is not None and parent.unit_id is None:
            existing = None
        if parent is not None and not parent.is_active and (existing is None or not existing.is_active):
            # As in units.services: nothing new (or newly re-enabled) under a deactivated unit.
            return self.fail(
                r,
                "parent",
                _("上级单位“%(path)s”已停用。请先启用它，或把它也列在文件中以重新启用")
                % {"path": parent.path()},
            )
        if existing is not None:
            self.plan_update(r, existing)
        else:
            r.action = "create"
            r.node = Node(name=r.name, kind=r.kind, parent=parent, row=r.row, fields=dict(r.fields))
        self.resolved[id(r)] = r.node
        return True

    def plan_update(self, r: RosterRow, node: Node) -> None:
        changes = []
        if node.kind != r.kind:
            changes.append((FIELD_LABELS["kind"], kind_label(node.kind), kind_label(r.kind)))
        for key, value in r.fields.items():
            old = node.fields.get(key, "")
            if old != value:
                shown = (lambda v: str(OrgType(v).label) if v else "") if key == "org_type" else (lambda v: v)
                changes.append((FIELD_LABELS[key], shown(old), shown(value)))
        if not node.is_active:
            changes.append((_("状态"), _("停用"), _("在用")))
            node.is_active = True  # rows further down may sit under it
        r.node, r.changes = node, changes
        r.action = "update" if changes else "unchanged"
        if node.kind != r.kind:
            for child in self.db_children.get(node.unit_id, []):
                if parent_kind_error(child.kind, r.kind):
                    self.error(
                        r.row,
                        "kind",
                        _("系统中“%(name)s”下已有%(child_kind)s“%(child)s”，不能改为%(kind)s")
                        % {
                            "name": node.name,
                            "child_kind": kind_label(child.kind),
                            "child": child.name,
                            "kind": kind_label(r.kind),
                        },
                    )
                    break
        node.kind = r.kind  # children further down the file are checked against the new kind

    def run(self, data: bytes) -> RosterPlan:
        try:
            rows = self.read(data)
        except WorkbookError as exc:
            self.plan.file_error = str(exc)
            return self.plan
        self.load_existing()
        self.resolve(rows)
        self.plan.rows = rows
        return self.plan


def roster_plan(*, data: bytes, file_name: str) -> RosterPlan:
    """Read and check a roster workbook against the current roster. Writes nothing."""
    return _Planner(file_name).run(data)


def _ancestry(node: Node) -> str:
    parent = node.parent
    node.ancestry = f"{parent.ancestry}{parent.unit_id}/" if parent else "/"
    return node.ancestry


def _create_parents(rows: list[RosterRow]) -> None:
    """New units that other new units hang under: created level by level, to learn their ids."""
    by_depth: dict[int, list[RosterRow]] = defaultdict(list)
    for r in rows:
        by_depth[r.node.depth()].append(r)
    for depth in sorted(by_depth):
        batch = by_depth[depth]
        units = [
            Unit(
                name=r.name,
                kind=r.kind,
                parent_id=r.node.parent.unit_id if r.node.parent else None,
                ancestry=_ancestry(r.node),
                **{k: r.fields.get(k, "") for k in DETAIL_FIELDS},
            )
            for r in batch
        ]
        Unit.objects.bulk_create(units, batch_size=1000)
        for r, unit in zip(batch, units, strict=True):
            r.node.unit_id = unit.pk


def _insert_leaves(rows: list[RosterRow], now) -> None:
    """New units nothing else in the file hangs under (most of a roster: the villages).

    Their ids are not needed, so they go in as plain rows, hundreds to a
    statement, without the per-object work of bulk_create: a 20,000-unit roster
    imports in a fraction of the time. The cursor is Django's, so a unique
    constraint still surfaces as IntegrityError.
    """
    columns = [
        "name",
        "kind",
        "parent_id",
        "ancestry",
        *DETAIL_FIELDS,
        "is_active",
        "created_at",
        "updated_at",
    ]
    stamp = connection.ops.adapt_datetimefield_value(now)
    values = [
        (
            r.name,
            r.kind,
            r.node.parent.unit_id if r.node.parent else None,
            _ancestry(r.node),
            *(r.fields.get(k, "") for k in DETAIL_FIELDS),
            True,
            stamp,
            stamp,
        )
        for r in rows
    ]
    table = connection.ops.quote_name(Unit._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    row_placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, min(500, (connection.features.max_query_params or 100_000) // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(values), per_statement):
            batch = values[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([row_placeholder] * len(batch))}",
                [value for row in batch for value in row],
            )


def _apply(plan: RosterPlan) -> None:
    now = timezone.now()
    new_rows = [r for r in plan.rows if r.action == "create"]
    has_new_children = {id(r.node.parent) for r in new_rows if r.node.parent is not None}
    with model_audit.recorded_by_caller(Unit):  # by _record_created
        _create_parents([r for r in new_rows if id(r.node) in has_new_children])
        _insert_leaves([r for r in new_rows if id(r.node) not in has_new_children], now)
    _record_created(plan, new_rows)
    updated = [
        Unit(pk=r.node.unit_id, kind=r.kind, is_active=True, updated_at=now, **r.fields_after())
        for r in plan.rows
        if r.action == "update"
    ]
    if updated:
        with model_audit.tracked(Unit.objects.filter(pk__in=[u.pk for u in updated])):
            Unit.objects.bulk_update(
                updated, ["kind", "is_active", "updated_at", *DETAIL_FIELDS], batch_size=1000
            )


def _record_created(plan: RosterPlan, new_rows: list[RosterRow]) -> None:
    """The security audit trail's entry for the units just inserted in bulk: one for the import, its
    ``after`` listing every unit it created by path (unique: names are unique under a parent). One
    entry, not one per unit: a 20,000-unit roster took longer to record that way than to import
    (bench/import_units.py)."""
    if not new_rows:
        return
    paths: dict[int, str] = {}

    def path(node: Node) -> str:
        key = id(node)
        if key not in paths:
            paths[key] = f"{path(node.parent)}/{node.name}" if node.parent is not None else node.name
        return paths[key]

    listed = [path(r.node) for r in new_rows]
    audit.record(
        audit.Kind.CREATE,
        model=Unit._meta.label_lower,
        label=_("名册导入：新增 %(count)s 个单位") % {"count": f"{len(listed):,}"},
        after={_("新增单位"): listed},
        detail=_("导入文件 %(file)s") % {"file": plan.file_name},
    )


def roster_import(*, data: bytes, file_name: str, dry_run: bool = False) -> RosterPlan:
    """Plan and, unless there are errors or it is a dry run, apply — in one transaction.

    Planning inside the transaction means the plan is checked against the
    roster as it is at the moment of writing, not as it was at preview time.
    """
    try:
        with transaction.atomic():
            plan = roster_plan(data=data, file_name=file_name)
            if plan.ok and not dry_run:
                _apply(plan)
    except IntegrityError:
        plan = RosterPlan(file_name=file_name)
        plan.file_error = _("导入时名册正被其他人修改，未写入任何数据。请重新上传预览后再确认。")
    return plan
