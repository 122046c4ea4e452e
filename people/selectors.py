"""Reads for the user management pages: the filtered list, the person picker's search, locks."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from accounts.lockout import Lockout, current_lockouts
from accounts.models import User
from assessment.selectors.roles import NONE, ROLE_LABELS, with_role
from units.models import Unit

ACTIVE, INACTIVE, ALL = "active", "inactive", "all"
STATUS_CHOICES = ((ACTIVE, "在用"), (INACTIVE, "已停用"), (ALL, "全部"))


@dataclass(frozen=True)
class PeopleFilter:
    """What the list is narrowed to (the page's GET parameters, already parsed)."""

    query: str = ""
    unit: Unit | None = None  # the unit and everything under it
    role: str = ""  # assessment.selectors.roles: reviewer, leader, member or none
    campaign: object | None = None  # the role in this campaign, else in any
    status: str = ACTIVE
    locked_only: bool = False

    @property
    def narrowed(self) -> bool:
        """Whether anything but the default (everyone in use) is asked for."""
        return bool(self.query or self.unit or self.role or self.campaign or self.locked_only) or (
            self.status != ACTIVE
        )


def people_matching(query: str) -> Q:
    """Name, user name or unit containing ``query``."""
    return Q(name__icontains=query) | Q(username__icontains=query) | Q(home_unit__name__icontains=query)


def people_list(filters: PeopleFilter, *, locked: set[str] | None = None) -> QuerySet[User]:
    """The people the filters select, by user name. ``locked``: the user names locked now (the
    caller has them from ``locks()``; asked for only when filtering by them)."""
    people = User.objects.select_related("home_unit")
    if filters.status == ACTIVE:
        people = people.filter(is_active=True)
    elif filters.status == INACTIVE:
        people = people.filter(is_active=False)
    if filters.query:
        people = people.filter(people_matching(filters.query))
    if filters.unit is not None:
        unit = filters.unit
        people = people.filter(Q(home_unit=unit) | Q(home_unit__ancestry__startswith=unit.descendant_prefix))
    if filters.role in ROLE_LABELS or filters.role == NONE:
        people = with_role(people, filters.role, campaign=filters.campaign)
    if filters.locked_only:
        people = people.filter(username__in=sorted(locked or ()))
    return people.order_by("username")


@dataclass(frozen=True)
class Locks:
    """The sign-in locks in force: per user name (this person, from some address) and per address
    (every user name from it)."""

    by_username: dict[str, list[Lockout]]
    addresses: list[Lockout]

    @property
    def usernames(self) -> set[str]:
        return set(self.by_username)


def locks(*, username: str | None = None) -> Locks:
    by_username: dict[str, list[Lockout]] = {}
    addresses = []
    for lock in current_lockouts(username=username):
        if lock.is_address:
            addresses.append(lock)
        else:
            by_username.setdefault(lock.username, []).append(lock)
    return Locks(by_username=by_username, addresses=addresses)


SEARCH_LIMIT = 20


def person_search(query: str, *, limit: int = SEARCH_LIMIT) -> tuple[list[User], bool]:
    """What the person picker lists for ``query``: active people whose name, user name or unit
    contains it — names beginning with it first, then user names, then the rest — and whether
    there are more than ``limit``. One query."""
    if not query:
        return [], False
    closeness = Case(
        When(name__startswith=query, then=Value(0)),
        When(username__istartswith=query, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    found = list(
        User.objects.filter(people_matching(query), is_active=True)
        .select_related("home_unit")
        .annotate(closeness=closeness)
        .order_by("closeness", "username")[: limit + 1]
    )
    return found[:limit], len(found) > limit
