"""A unit named in text — a cell of a workbook, a box of a form — found in the roster.

A unit is named by its name ("青山县财政局") or, where names repeat, by a path of names ending with
it ("青山县/城关镇", "云山市/青山县/城关镇"), as the roster import names a parent. Only units in use
(not deactivated) are found; a name that only a deactivated unit has is said to be so.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.text import clean_name

from .models import Unit

PATH_SEPARATORS = re.compile(r"\s*[/／›>＞\\]\s*")
LISTED = 5  # candidates named in an "ambiguous" message


def path_segments(reference: str) -> list[str]:
    """ "青山县 / 城关镇" → ["青山县", "城关镇"]; each segment cleaned as names are."""
    return [clean_name(part) for part in PATH_SEPARATORS.split(clean_name(reference)) if part.strip()]


@dataclass(frozen=True)
class Found:
    """What a reference names: ``unit``, or ``error`` saying why none (in Chinese)."""

    unit: Unit | None = None
    error: str = ""


def _path(unit: Unit, units: dict[int, Unit]) -> list[str]:
    return [units[i].name for i in unit.ancestor_ids if i in units] + [unit.name]


def _shortest_path(unit: Unit, others: list[Unit], units: dict[int, Unit]) -> str:
    """The shortest path ending with ``unit`` that none of ``others`` also ends with."""
    own = _path(unit, units)
    other_paths = [_path(o, units) for o in others if o.pk != unit.pk]
    for length in range(1, len(own) + 1):
        if all(path[-length:] != own[-length:] for path in other_paths):
            return "/".join(own[-length:])
    return "/".join(own)


def resolve_units(references: Iterable[str]) -> dict[str, Found]:
    """Each reference (as given) → the unit in use it names, or the reason it names none.
    Three queries, however many references."""
    wanted = {ref: path_segments(ref) for ref in set(references) if clean_name(ref)}
    if not wanted:
        return {}
    names = {segments[-1] for segments in wanted.values()} | {clean_name(ref) for ref in wanted}
    candidates = list(Unit.objects.filter(name__in=names))
    ancestor_ids = {i for u in candidates for i in u.ancestor_ids}
    units = {u.pk: u for u in candidates} | Unit.objects.in_bulk(ancestor_ids - {u.pk for u in candidates})
    by_name: dict[str, list[Unit]] = defaultdict(list)
    for unit in candidates:
        by_name[unit.name].append(unit)
    found: dict[str, Found] = {}
    for ref, segments in wanted.items():
        whole = clean_name(ref)
        if whole in by_name:  # a name that itself holds "/" is taken whole
            segments = [whole]
        matches = [u for u in by_name.get(segments[-1], []) if _path(u, units)[-len(segments) :] == segments]
        active = [u for u in matches if u.is_active]
        if len(active) == 1:
            found[ref] = Found(unit=active[0])
        elif len(active) > 1:
            paths = [_shortest_path(u, active, units) for u in active]
            listed = "、".join(paths[:LISTED]) + (
                _("等%(n)d个") % {"n": len(paths)} if len(paths) > LISTED else ""
            )
            found[ref] = Found(
                error=_("“%(ref)s”对应多个单位：%(listed)s。请写出上级路径，如“%(example)s”")
                % {"ref": whole, "listed": listed, "example": paths[0]}
            )
        elif matches:
            found[ref] = Found(error=_("“%(ref)s”已停用，请选择在用的单位") % {"ref": whole})
        else:
            hint = _("（路径写法如“青山县/城关镇”）") if len(segments) > 1 else ""
            found[ref] = Found(
                error=_("单位名册中找不到“%(ref)s”%(hint)s，请检查名称，或先在单位名册中添加该单位")
                % {"ref": whole, "hint": hint}
            )
    return found


def references_for(units: Iterable[Unit]) -> dict[int, str]:
    """How to write each unit so that ``resolve_units`` finds it: its name where no other unit in use
    has it, else the shortest path that only it ends with ("青山县/城关镇"). Two queries."""
    units = [u for u in units if u is not None]
    if not units:
        return {}
    namesakes: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(name__in={u.name for u in units}, is_active=True):
        namesakes[unit.name].append(unit)
    everyone = [*units, *(u for group in namesakes.values() for u in group)]
    known = {u.pk: u for u in everyone}
    known |= Unit.objects.in_bulk({i for u in everyone for i in u.ancestor_ids} - set(known))
    return {u.pk: _shortest_path(u, namesakes.get(u.name, []), known) for u in units}
