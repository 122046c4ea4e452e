"""Which kind of unit may hang under which: the shape of the roster tree.

The same table serves the forms, the services and the Excel import, so a
village can never end up directly under a city, whichever door it came in by.
"""

from ..models import Unit

Kind = Unit.Kind

#: For each kind, the kinds its parent may have. ``None`` in the set means the
#: kind may also be a root (no parent): a city, or a county when a county
#: committee keeps its own roster.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str | None]] = {
    Kind.CITY: frozenset({None}),
    Kind.COUNTY: frozenset({None, Kind.CITY}),
    Kind.COUNTY_ORGAN: frozenset({Kind.COUNTY}),
    Kind.COUNTY_INSTITUTION: frozenset({Kind.COUNTY}),
    Kind.TOWNSHIP: frozenset({Kind.COUNTY}),
    Kind.VILLAGE: frozenset({Kind.TOWNSHIP}),
    Kind.TOWNSHIP_STATION: frozenset({Kind.TOWNSHIP}),
    Kind.SCHOOL: frozenset({Kind.COUNTY, Kind.TOWNSHIP, Kind.COUNTY_ORGAN, Kind.COUNTY_INSTITUTION}),
    Kind.HOSPITAL: frozenset({Kind.COUNTY, Kind.TOWNSHIP, Kind.COUNTY_ORGAN, Kind.COUNTY_INSTITUTION}),
    Kind.ENTERPRISE: frozenset({Kind.CITY, Kind.COUNTY, Kind.TOWNSHIP, Kind.VILLAGE}),
    Kind.SOCIAL_ORGANIZATION: frozenset({Kind.CITY, Kind.COUNTY, Kind.TOWNSHIP, Kind.VILLAGE}),
}

#: The order kinds are listed in (counts per kind, the form's select).
KIND_ORDER: list[str] = [k.value for k in Kind]


def kind_label(kind: str | None) -> str:
    return str(Kind(kind).label) if kind else ""


def parent_kind_error(kind: str, parent_kind: str | None) -> str | None:
    """Why a unit of ``kind`` cannot sit under a parent of ``parent_kind``; None when it can."""
    allowed = ALLOWED_PARENT_KINDS[kind]
    if parent_kind in allowed:
        return None
    labels = "或".join(kind_label(k) for k in KIND_ORDER if k in allowed)
    if None in allowed:
        labels += "，或不设上级单位"
    if parent_kind is None:
        return f"{kind_label(kind)}必须有上级单位（{labels}）"
    if allowed == frozenset({None}):
        return f"{kind_label(kind)}是最上级单位，不能有上级单位"
    return f"{kind_label(kind)}的上级单位应为{labels}，不能是{kind_label(parent_kind)}"


def allowed_child_kinds(parent_kind: str | None) -> list[str]:
    return [k for k in KIND_ORDER if parent_kind in ALLOWED_PARENT_KINDS[k]]
