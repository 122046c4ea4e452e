"""Importing a list of people (人员名单) into new accounts: all or nothing.

``people_plan`` reads and checks a workbook against the accounts and the roster and says whom an
import would create, with every error at once; ``people_import`` plans and, when the plan has no
errors, creates the accounts in one transaction, each with a one-time password.

The import only creates: a person already in the system is edited on their page. So a 用户名
already taken is an error, and so is a row without 用户名 whose 姓名 and 所在单位 are those of an
existing account (most likely the same person, from an earlier import of the same list): a new
namesake is told apart by giving a 用户名. A blank 用户名 is made from the name's pinyin
(accounts.usernames: 张三 → zhangsan, then zhangsan2 …).

所在单位 is found in the roster as the roster import finds a parent: a name, or a path where names
repeat ("青山县/财政局"); unknown, ambiguous and deactivated units are errors (units.references).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import users
from accounts.models import User
from accounts.usernames import (
    NoPinyin,
    normalize_username,
    unique_username,
    username_error,
    username_from_name,
)
from core.text import clean_text
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
from units.models import Unit
from units.references import resolve_units

COLUMNS = [
    Column("serial", "序号", ("编号",)),
    Column("name", "姓名", ("名字", "人员姓名"), required=True),
    Column("username", "用户名", ("登录名", "账号", "帐号", "登录账号", "用户账号")),
    Column("unit", "所在单位", ("单位", "工作单位", "单位名称", "所在单位名称")),
    Column("title", "职务", ("职位", "现任职务")),
    Column("phone", "手机", ("手机号", "手机号码", "移动电话", "联系电话", "电话")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
PREVIEW_ROWS = 500


@dataclass
class PersonRow:
    row: int
    name: str
    username: str  # as written (normalized), or the one made from the name
    generated: bool  # the user name was made from the name
    unit_ref: str
    title: str
    phone: str
    unit: Unit | None = None
    unit_path: str = ""
    broken: bool = False  # a cell of the row has an error of its own
    username_ok: bool = True  # the user name written (if any) could be read and is well formed


@dataclass
class PeoplePlan:
    """What importing a workbook would do. Nothing here touches the database."""

    file_name: str
    table: Table | None = None
    rows: list[PersonRow] = field(default_factory=list)
    errors: list[CellIssue] = field(default_factory=list)
    file_error: str = ""
    # After a successful import: (user, one-time password) per row, in the file's order. Never in
    # the summary (which is stored): the caller shows the passwords once.
    created: list[tuple[User, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def error_messages(self) -> list[str]:
        if self.file_error:
            return [self.file_error]
        return [str(e) for e in sorted(self.errors, key=CellIssue.sort_key)]

    def ignored_columns(self) -> list[str]:
        if self.table is None:
            return []
        ignored = list(self.table.ignored)
        if "serial" in self.table.columns:
            ignored.insert(0, (self.table.letter("serial"), "序号"))
        return [_("%(letter)s列“%(text)s”") % {"letter": letter, "text": text} for letter, text in ignored]

    def summary(self) -> dict:
        """A JSON-able record of the plan, stored with the upload and shown on the preview."""
        ok = self.ok
        return {
            "file_name": self.file_name,
            "sheet": self.table.sheet if self.table else "",
            "header_row": self.table.header_row if self.table else None,
            "other_sheets": self.table.other_sheets if self.table else [],
            "ignored_columns": self.ignored_columns(),
            "created": len(self.rows) if ok else 0,
            "generated": sum(1 for r in self.rows if r.generated) if ok else 0,
            **error_summary(self.error_messages()),
            "people": [
                {
                    "row": r.row,
                    "name": r.name,
                    "username": r.username,
                    "generated": r.generated,
                    "unit": r.unit_path,
                    "title": r.title,
                    "phone": r.phone,
                }
                for r in self.rows[:PREVIEW_ROWS]
            ]
            if ok
            else [],
        }


class _Planner:
    def __init__(self, file_name: str):
        self.plan = PeoplePlan(file_name=file_name)

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

    def read(self, data: bytes) -> list[PersonRow]:
        workbook = open_workbook(data)
        try:
            table, rows = find_table(workbook, COLUMNS, anchor="name", what=_("人员名单"))
            self.plan.table = table
            return [
                self.parse(record.row, record.values)
                for record in iter_records(table, rows, ignore_keys=("serial",), what=_("人员"))
            ]
        finally:
            workbook.close()

    def cell(self, row: int, key: str, values: dict, reader) -> str | None:
        """The cell's text read by ``reader`` (core.xlsx); None, with the error reported, if refused.
        A column the table does not have reads as empty."""
        if key not in values:
            return ""
        try:
            return clean_text(reader(values[key]))
        except CellValueError as exc:
            self.error(row, key, str(exc))
            return None

    def parse(self, row: int, values: dict) -> PersonRow:
        """The row as far as it can be read: a cell with an error of its own is reported and left
        empty, and the row's other cells are still checked (every error of a file at once)."""
        name = self.cell(row, "name", values, read_name)
        username = self.cell(row, "username", values, read_text)
        unit_ref = self.cell(row, "unit", values, read_name)
        title = self.cell(row, "title", values, read_words)
        phone = self.cell(row, "phone", values, read_text)
        person = PersonRow(
            row=row,
            name=name or "",
            username=normalize_username(username or ""),
            generated=username == "",
            unit_ref=unit_ref or "",
            title=title or "",
            phone=phone or "",
            broken=None in (name, username, unit_ref, title, phone),
            username_ok=username is not None,
        )
        if name == "":
            self.error(row, "name", _("姓名为空（本行有其他内容，姓名必须填写）"))
            person.broken = True
        elif len(person.name) > users.NAME_MAX:
            self.error(
                row,
                "name",
                _("姓名过长（%(n)d个字），不能超过%(max)d个字")
                % {"n": len(person.name), "max": users.NAME_MAX},
            )
            person.broken = True
        if person.username and (message := username_error(person.username)):
            self.error(row, "username", message.rstrip("。"))
            person.broken, person.username_ok = True, False
        if len(person.title) > users.TITLE_MAX:
            self.error(
                row,
                "title",
                _("职务过长（%(n)d个字），不能超过%(max)d个字")
                % {"n": len(person.title), "max": users.TITLE_MAX},
            )
            person.broken = True
        if person.phone:
            try:
                person.phone = users.normalize_phone(person.phone)
            except ValidationError as exc:
                self.error(row, "phone", " ".join(exc.messages).rstrip("。"))
                person.broken = True
        return person

    # -- checking against the file and the system -----------------------------------------

    def check_units(self, rows: list[PersonRow]) -> None:
        found = resolve_units(r.unit_ref for r in rows if r.unit_ref)
        for r in rows:
            if r.unit_ref:
                result = found[r.unit_ref]
                r.unit = result.unit
                if result.unit is None:
                    self.error(r.row, "unit", result.error)
        units = [r.unit for r in rows if r.unit is not None]
        ancestors = Unit.objects.in_bulk({i for u in units for i in u.ancestor_ids})
        for r in rows:
            if r.unit is not None:
                names = [ancestors[i].name for i in r.unit.ancestor_ids if i in ancestors]
                r.unit_path = " › ".join([*names[-2:], r.unit.name])  # enough to tell it apart on the page

    def check_usernames(self, rows: list[PersonRow], existing: dict[str, User]) -> None:
        first_row: dict[str, int] = {}
        for r in rows:
            if r.generated or not r.username_ok:
                continue
            if r.username in first_row:
                self.error(
                    r.row,
                    "username",
                    _("用户名“%(username)s”与第%(row)s行重复（用户名不区分大小写）")
                    % {"username": r.username, "row": first_row[r.username]},
                )
            else:
                first_row[r.username] = r.row
            owner = existing.get(r.username)
            if owner is not None:
                self.error(
                    r.row,
                    "username",
                    _("用户名“%(username)s”已被系统中的%(owner)s使用")
                    % {"username": r.username, "owner": users.person_label(owner)},
                )

    def check_same_people(self, rows: list[PersonRow]) -> None:
        """A row without 用户名 naming someone already listed (above, or in the system)."""
        in_system: dict[tuple, User] = {}
        names = {r.name for r in rows if r.generated}
        for user in User.objects.filter(name__in=names).select_related("home_unit"):
            in_system.setdefault((user.name, user.home_unit_id), user)
        seen: dict[tuple, int] = {}
        for r in rows:
            if r.broken or (r.unit_ref and r.unit is None):
                continue  # the row has an error already
            key = (r.name, r.unit.pk if r.unit else None)
            if r.generated and key in seen:
                self.error(
                    r.row,
                    "name",
                    _(
                        "与第%(row)s行的姓名、所在单位相同：如为同一人，请删除其中一行；如确为两人，请分别填写用户名"
                    )
                    % {"row": seen[key]},
                )
            elif r.generated and key in in_system:
                user = in_system[key]
                self.error(
                    r.row,
                    "name",
                    _(
                        "系统中已有%(person)s（用户名 %(username)s）：如为同一人，请删除此行；如确为另一人，请填写用户名以示区分"
                    )
                    % {"person": users.person_label(user), "username": user.username},
                )
            seen.setdefault(key, r.row)

    def make_usernames(self, rows: list[PersonRow], taken: set[str]) -> None:
        taken |= {r.username for r in rows if not r.generated}
        for r in rows:
            if not r.generated or not r.name:
                continue
            try:
                base = username_from_name(r.name)
            except NoPinyin as exc:
                self.error(r.row, "username", _("用户名为空，%(reason)s") % {"reason": exc})
                continue
            r.username = unique_username(base, lambda name: name in taken)
            taken.add(r.username)

    def run(self, data: bytes) -> PeoplePlan:
        try:
            rows = self.read(data)
        except WorkbookError as exc:
            self.plan.file_error = str(exc)
            return self.plan
        accounts = {name.lower(): pk for pk, name in User.objects.values_list("pk", "username")}
        clashing = [accounts[r.username] for r in rows if r.username_ok and r.username in accounts]
        owners = User.objects.select_related("home_unit").in_bulk(clashing)
        self.check_units(rows)
        self.check_usernames(rows, {owner.username.lower(): owner for owner in owners.values()})
        self.check_same_people(rows)
        self.make_usernames(rows, set(accounts))
        self.plan.rows = rows
        return self.plan


def people_plan(*, data: bytes, file_name: str) -> PeoplePlan:
    """Read and check a list of people against the accounts and the roster. Writes nothing."""
    return _Planner(file_name).run(data)


def people_import(*, data: bytes, file_name: str, actor, request=None) -> PeoplePlan:
    """Plan and, unless there are errors, create the accounts — in one transaction, so the plan
    is checked against the accounts as they are at the moment of writing. On success
    ``plan.created`` holds each new account with its one-time password."""
    try:
        with transaction.atomic():
            plan = people_plan(data=data, file_name=file_name)
            if plan.ok:
                plan.created = users.users_create_imported(
                    actor=actor,
                    people=[
                        users.NewPerson(
                            name=r.name, username=r.username, home_unit=r.unit, title=r.title, phone=r.phone
                        )
                        for r in plan.rows
                    ],
                    request=request,
                )
    except IntegrityError:
        plan = PeoplePlan(file_name=file_name)
        plan.file_error = _(
            "导入时有人同时新建了账户，用户名发生冲突，未写入任何数据。请重新上传预览后再确认。"
        )
    return plan
