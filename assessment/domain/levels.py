"""Campaigns at every level: who issues a campaign and which units it assesses.

A city committee (市委) assesses its counties; a county committee (县委) assesses its
townships, county organs and county institutions (seed 001: 各乡镇党委书记及县教育局、
文旅体局党组书记). A campaign names its issuer (a unit of the roster) and the kinds of
unit below it that are its targets. What a target's sample is drawn from follows from
the target's kind: a county's organs, institutions and townships (and in each sampled
township its villages and stations); a township's own villages and stations; a county
organ or institution is checked itself, with no sample.

Pure: kinds are ``units.models.UnitKind`` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from units.models import UnitKind as Kind

#: The kinds of unit that may issue a campaign → the kinds it may assess, in listing order.
TARGET_KINDS_UNDER: dict[str, tuple[str, ...]] = {
    Kind.CITY: (Kind.COUNTY,),
    Kind.COUNTY: (Kind.TOWNSHIP, Kind.COUNTY_ORGAN, Kind.COUNTY_INSTITUTION),
}

ISSUER_KINDS: tuple[str, ...] = tuple(TARGET_KINDS_UNDER)

#: Every kind some campaign may assess.
TARGET_KINDS: tuple[str, ...] = tuple(
    dict.fromkeys(k for kinds in TARGET_KINDS_UNDER.values() for k in kinds)
)

#: The order pages list targets in: counties, then townships (seed 001 calls them first), organs,
#: institutions.
LISTING_ORDER: tuple[str, ...] = (Kind.COUNTY, Kind.TOWNSHIP, Kind.COUNTY_ORGAN, Kind.COUNTY_INSTITUTION)

#: The sampling plan's count fields that apply to a target of each kind (none: no sample).
PLAN_FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    Kind.COUNTY: (
        "county_organs",
        "county_institutions",
        "townships",
        "villages_per_township",
        "stations_per_township",
    ),
    Kind.TOWNSHIP: ("villages_per_township", "stations_per_township"),
}

SEPARATOR = ","


def parse_kinds(text: str | None) -> list[str]:
    """The stored "township,county_organ" → ["township", "county_organ"] (unknown values kept out)."""
    return [k for k in (text or "").split(SEPARATOR) if k in TARGET_KINDS]


def join_kinds(kinds: Iterable[str]) -> str:
    """The kinds in listing order, as stored."""
    chosen = set(kinds)
    return SEPARATOR.join(k for k in TARGET_KINDS if k in chosen)


def default_target_kinds(issuer_kind: str | None) -> list[str]:
    """Every kind the issuer may assess; a campaign without an issuer unit assesses counties."""
    return list(TARGET_KINDS_UNDER.get(issuer_kind or Kind.CITY, (Kind.COUNTY,)))


def kinds_refusal(issuer_kind: str | None, kinds: Sequence[str]) -> str:
    """Why ``kinds`` cannot be the targets of a campaign issued by a unit of ``issuer_kind``, or ""."""
    if issuer_kind is not None and issuer_kind not in TARGET_KINDS_UNDER:
        return _("考核工作只能由市或县（区）部署，“%(kind)s”不能部署考核工作。") % {
            "kind": Kind(issuer_kind).label
        }
    if not kinds:
        return _("请至少选择一类考核对象。")
    allowed = TARGET_KINDS_UNDER[issuer_kind or Kind.CITY]
    if wrong := [k for k in kinds if k not in allowed]:
        return _("%(issuer)s部署的考核工作不能考核“%(kinds)s”，可选：%(allowed)s。") % {
            "issuer": Kind(issuer_kind or Kind.CITY).label,
            "kinds": "、".join(str(Kind(k).label) if k in Kind.values else k for k in wrong),
            "allowed": "、".join(str(Kind(k).label) for k in allowed),
        }
    return ""


def target_word(kinds: Sequence[str]) -> str:
    """How pages name a campaign's targets: 县（区）; 乡镇（部门）; 乡镇; 县直单位."""
    chosen = set(kinds) or {Kind.COUNTY}
    if chosen == {Kind.COUNTY}:
        return _("县（区）")
    if chosen == {Kind.TOWNSHIP}:
        return _("乡镇")
    if Kind.TOWNSHIP not in chosen and Kind.COUNTY not in chosen:
        return _("县直单位")
    return _("乡镇（部门）")


def is_sampled(kind: str) -> bool:
    """Whether a target of this kind has a sample drawn below it."""
    return kind in PLAN_FIELDS_OF_KIND


def plan_fields(kinds: Iterable[str]) -> list[str]:
    """The sampling plan's count fields that apply to some target kind of the campaign, in order."""
    fields: dict[str, None] = {}
    for kind in kinds:
        fields.update(dict.fromkeys(PLAN_FIELDS_OF_KIND.get(kind, ())))
    order = PLAN_FIELDS_OF_KIND[Kind.COUNTY]
    return [f for f in order if f in fields]


def unsampled_sentence(unit_name: str, *, manual: int = 0) -> str:
    """What the report says was checked at a target with no sample, e.g.
    考核组直接对县教育局本级党建工作进行了检查。"""
    sentence = _("考核组直接对%(unit)s本级党建工作进行了检查") % {"unit": unit_name}
    if manual:
        sentence += _("，另专项抽查了%(n)s个下属单位") % {"n": manual}
    return sentence + "。"
