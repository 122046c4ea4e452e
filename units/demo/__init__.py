"""Loading the demo roster and demo accounts (``manage.py load_demo``).

``load_demo()`` is idempotent: units are matched by parent + name and users by
username, and whatever already exists is left as it is. The secretaries, phone
numbers and notes come from ``random.Random(2021)``, drawn in a fixed order for
every unit whether or not it already exists, so the roster is the same on every
database.
"""

import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from core.demo import DemoPart

from ..models import Unit
from ..services import unit_create
from . import data
from .data import DEMO_ACCOUNTS, DemoAccount

__all__ = ["DEMO_ACCOUNTS", "DemoAccount", "load_demo"]

SEED = 2021

Kind = Unit.Kind

#: Kinds whose contact is the secretary's mobile rather than an office line.
_MOBILE_KINDS = {Kind.VILLAGE, Kind.ENTERPRISE, Kind.SOCIAL_ORGANIZATION}
_MOBILE_PREFIXES = ("139", "138", "137", "135", "158", "187")


class _RosterLoader:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.units: dict[tuple[str, ...], Unit] = {}  # path of names from the city → unit
        self.created = Counter()
        self.total = Counter()

    def _person_fields(self, kind: str) -> dict[str, str]:
        """Secretary, contact and note; always the same number of draws, in the same order."""
        rng = self.rng
        surname = rng.choice(data.SURNAMES)
        given = "".join(rng.choice(data.GIVEN_NAME_CHARS) for _ in range(rng.choice((1, 2, 2, 2))))
        if kind in _MOBILE_KINDS:
            contact = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
        else:
            contact = f"0791-8{rng.randrange(10**7):07d}"
        roll = rng.random()
        note = rng.choice(data.VILLAGE_NOTES if kind == Kind.VILLAGE else data.NOTES)
        if roll < 0.015:
            return {"secretary": "", "contact": contact, "note": data.VACANT_NOTE}
        return {"secretary": surname + given, "contact": contact, "note": note if roll < 0.07 else ""}

    def ensure(self, path: tuple[str, ...], *, kind: str, org_type: str) -> Unit:
        """The unit at ``path`` (names from the city down), created if missing."""
        fields = self._person_fields(kind)
        parent = self.units[path[:-1]] if len(path) > 1 else None
        name = path[-1]
        unit = Unit.objects.filter(parent=parent, name=name).first()
        if unit is None:
            try:
                unit = unit_create(name=name, kind=kind, parent=parent, org_type=org_type, **fields)
            except ValidationError as exc:
                raise ValidationError(f"无法创建单位“{'/'.join(path)}”：{'；'.join(exc.messages)}") from exc
            self.created[kind] += 1
        elif unit.kind != kind:
            raise ValidationError(
                f"已有单位“{'/'.join(path)}”，但其类别为“{unit.get_kind_display()}”，"
                f"而演示数据中应为“{Kind(kind).label}”。"
            )
        self.total[kind] += 1
        self.units[path] = unit
        return unit

    def load(self) -> None:
        city = (data.CITY_NAME,)
        self.ensure(city, kind=Kind.CITY, org_type=data.CITY_ORG_TYPE)
        for county in data.COUNTIES:
            self._load_county(city + (county.name,), county)
        for parent_path, name, kind, org_type in data.EXTRA_UNITS:
            self.ensure(city + parent_path + (name,), kind=kind, org_type=org_type)

    def _load_county(self, path: tuple[str, ...], county: data.DemoCounty) -> None:
        self.ensure(path, kind=Kind.COUNTY, org_type="committee")
        for suffix, org_type in data.COUNTY_ORGANS:
            if suffix not in county.organ_skip:
                self.ensure(path + (county.name + suffix,), kind=Kind.COUNTY_ORGAN, org_type=org_type)
        for suffix, org_type in data.COUNTY_INSTITUTIONS:
            if suffix not in county.institution_skip:
                self.ensure(path + (county.name + suffix,), kind=Kind.COUNTY_INSTITUTION, org_type=org_type)
        for suffix, kind, org_type in data.COUNTY_DIRECT_UNITS:
            self.ensure(path + (county.name + suffix,), kind=kind, org_type=org_type)
        for index, (township, villages) in enumerate(county.townships):
            self._load_township(path + (township,), villages, index)

    def _load_township(self, path: tuple[str, ...], villages: tuple[str, ...], index: int) -> None:
        township = path[-1]
        is_subdistrict = township.endswith("街道")
        self.ensure(path, kind=Kind.TOWNSHIP, org_type="working_committee" if is_subdistrict else "committee")
        for village in villages:
            # Communities are larger: some have a general branch (党总支).
            big = village.endswith("社区") and self.rng.random() < 0.5
            self.ensure(path + (village,), kind=Kind.VILLAGE, org_type="general_branch" if big else "branch")
        stations = data.SUBDISTRICT_STATIONS if is_subdistrict else data.TOWNSHIP_STATIONS
        for station in stations[: 2 + index % 2]:
            self.ensure(path + (township + station,), kind=Kind.TOWNSHIP_STATION, org_type="branch")


def _ensure_account(account: DemoAccount, units: dict[tuple[str, ...], Unit], *, reset_password: bool) -> str:
    """Create the account if missing; returns "created", "reset" or "kept"."""
    User = get_user_model()
    user = User.objects.filter(username=account.username).first()
    if user is not None:
        if not reset_password:
            return "kept"
        user.set_password(account.password)
        user.save(update_fields=["password"])
        return "reset"
    home_unit = units[account.home_unit] if account.home_unit else None
    create = User.objects.create_superuser if account.is_superuser else User.objects.create_user
    create(username=account.username, password=account.password, name=account.name, home_unit=home_unit)
    return "created"


def load_demo(*, reset_passwords: bool = False) -> dict:
    """Create the demo roster and accounts where missing, in one transaction.

    Returns a summary: ``units`` / ``units_created`` (totals over the demo
    roster), ``units_by_kind`` / ``units_created_by_kind`` (kind value → count),
    ``accounts`` / ``accounts_created`` / ``passwords_reset`` and ``usernames``.
    Raises ValidationError (nothing is written) when an existing unit is in the
    way, e.g. a demo name already used by a unit of another kind.
    """
    loader = _RosterLoader()
    with transaction.atomic():
        loader.load()
        outcomes = Counter(
            _ensure_account(account, loader.units, reset_password=reset_passwords)
            for account in DEMO_ACCOUNTS
        )
    return {
        "units": sum(loader.total.values()),
        "units_created": sum(loader.created.values()),
        "units_by_kind": {k: loader.total[k] for k in Kind.values if loader.total[k]},
        "units_created_by_kind": {k: loader.created[k] for k in Kind.values if loader.created[k]},
        "accounts": len(DEMO_ACCOUNTS),
        "accounts_created": outcomes["created"],
        "passwords_reset": outcomes["reset"],
        "usernames": [account.username for account in DEMO_ACCOUNTS],
    }


def load(*, reset_passwords: bool = False) -> DemoPart:
    """This app's part of ``manage.py load_demo`` (core.demo): the roster and the accounts."""
    summary = load_demo(reset_passwords=reset_passwords)
    details = [
        f"{Unit.Kind(kind).label}：{count} 个（新增 {summary['units_created_by_kind'].get(kind, 0)}）"
        for kind, count in summary["units_by_kind"].items()
    ]
    details += [f"账户 {a.username}（{a.name}），密码 {a.password}" for a in DEMO_ACCOUNTS]
    phrase = (
        f"单位 {summary['units']} 个（新增 {summary['units_created']}），"
        f"账户 {summary['accounts']} 个（新增 {summary['accounts_created']}）"
    )
    if reset_passwords:
        phrase += f"，重置密码 {summary['passwords_reset']} 个"
    return DemoPart(summary=phrase, details=details)
