"""The random sample (随机抽查) of a target county: a draw anyone can re-run by hand.

This module is pure: no database. It takes the county's name, the candidate
units of each stratum, the seed and the plan's counts, and returns the sample.
``assessment.services.sampling`` loads the candidates from the roster and saves
the result.

The algorithm (version 1)
-------------------------

Python's ``random`` module is not used: its algorithms are not promised to stay
the same across Python versions. Instead every candidate gets a score:

    score = SHA-256( "{seed}|{county}|{stratum}|{key}" encoded as UTF-8 ), as 64 lowercase hex digits

* ``seed`` — the integer announced at the draw meeting, in decimal, e.g. ``20240115``;
* ``county`` — the target county's name, e.g. ``青山县``;
* ``stratum`` — the stratum's code: ``county_organ``, ``county_institution``,
  ``township``, ``village`` or ``township_station``;
* ``key`` — the candidate's path of names below the county, joined by ``/``:
  ``县委办公室`` for a county organ, ``城关镇`` for a township,
  ``城关镇/新村`` for a village or township station.

Within a stratum the k candidates with the smallest scores are drawn (scores
compared as strings, which for hex digits of equal length is numeric order; ties
— never seen in practice — are broken by the key). They are listed in draw
order, smallest score first. Only active units are candidates.

Strata, in this order:

1. county organs (县直机关单位): the county's direct children of that kind;
2. county institutions (县直事业单位): likewise;
3. townships (乡镇（街道）): likewise;
4. for each sampled township, in draw order: its villages (村（社区）) and its
   township stations (乡镇机关事业单位), the township's direct children of those kinds.

A township assessed by its county (a county-level campaign) is the target itself:
its own villages and stations are drawn directly (``own_villages``, ``own_stations``,
with the plan's per-township counts), the ``county`` in the score is the township's
name and the key is the unit's name (``新村``). A county organ has no sample.

A stratum with fewer candidates than asked takes all of them, and the shortfall
is recorded. Nothing here depends on database ids, database order, set or dict
order or hash randomization, so the same seed over the same roster gives the
same sample on any machine. To check a draw by hand, list the candidates'
keys, compute the digests (e.g. ``printf '%s' '20240115|青山县|township|城关镇' |
sha256sum``) and sort.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessment.models.sampling import SamplingPlan, Stratum

ALGORITHM = "sha256-v1"

#: The plan's count fields, in the order the strata are drawn.
COUNT_FIELDS: tuple[str, ...] = SamplingPlan.COUNT_FIELDS

#: Which count field sets the size of which stratum.
COUNT_FIELD_OF_STRATUM: dict[str, str] = {
    Stratum.COUNTY_ORGAN: "county_organs",
    Stratum.COUNTY_INSTITUTION: "county_institutions",
    Stratum.TOWNSHIP: "townships",
    Stratum.VILLAGE: "villages_per_township",
    Stratum.TOWNSHIP_STATION: "stations_per_township",
}

#: The random strata in draw (and listing) order.
RANDOM_STRATA: tuple[str, ...] = tuple(COUNT_FIELD_OF_STRATUM)

#: The short labels the report's work-overview sentence uses.
SHORT_LABELS: dict[str, str] = {
    Stratum.COUNTY_ORGAN: "县直机关单位",
    Stratum.COUNTY_INSTITUTION: "县直事业单位",
    Stratum.TOWNSHIP: "乡镇",
    Stratum.VILLAGE: "村",
    Stratum.TOWNSHIP_STATION: "机关事业单位",
}

KEY_SEPARATOR = "/"


def stratum_label(stratum: str) -> str:
    """The stratum's full label, e.g. 村（社区）."""
    return str(Stratum(stratum).label)


@dataclass(frozen=True)
class Candidate:
    """A unit that may be drawn. ``key`` is its path of names below the county; ``ref``
    is whatever the caller wants back (a Unit) and plays no part in the draw."""

    name: str
    key: str
    ref: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Pick:
    """A drawn candidate, with the score that drew it."""

    candidate: Candidate
    stratum: str
    score: str
    township: Candidate | None = None

    @property
    def name(self) -> str:
        return self.candidate.name

    @property
    def key(self) -> str:
        return self.candidate.key

    @property
    def ref(self) -> Any:
        return self.candidate.ref


@dataclass
class TownshipSample:
    """A sampled township and what was drawn inside it."""

    pick: Pick
    villages: list[Pick] = field(default_factory=list)
    stations: list[Pick] = field(default_factory=list)


@dataclass
class Draw:
    """The outcome of a draw: the picks per stratum in draw order, and the shortfalls."""

    county: str
    seed: int
    counts: dict[str, int]
    county_organs: list[Pick]
    county_institutions: list[Pick]
    townships: list[TownshipSample]
    shortfalls: list[dict]
    algorithm: str = ALGORITHM
    #: A township target's own villages and stations (drawn directly, not in a sampled township).
    own_villages: list[Pick] = field(default_factory=list)
    own_stations: list[Pick] = field(default_factory=list)

    def by_stratum(self) -> dict[str, list[Pick]]:
        """Every random stratum (empty ones too) → its picks; villages and stations
        grouped by township, townships in draw order."""
        return {
            Stratum.COUNTY_ORGAN: list(self.county_organs),
            Stratum.COUNTY_INSTITUTION: list(self.county_institutions),
            Stratum.TOWNSHIP: [t.pick for t in self.townships],
            Stratum.VILLAGE: [*self.own_villages, *(p for t in self.townships for p in t.villages)],
            Stratum.TOWNSHIP_STATION: [*self.own_stations, *(p for t in self.townships for p in t.stations)],
        }

    def picks(self) -> list[Pick]:
        """All picks in position order: stratum by stratum, as ``by_stratum`` lists them."""
        return [p for picks in self.by_stratum().values() for p in picks]

    def sentence(self, *, manual: int = 0) -> str:
        return sentence_text(
            county_organs=len(self.county_organs),
            county_institutions=len(self.county_institutions),
            townships=len(self.townships),
            villages=[len(t.villages) for t in self.townships],
            stations=[len(t.stations) for t in self.townships],
            own_villages=len(self.own_villages),
            own_stations=len(self.own_stations),
            manual=manual,
        )

    def shortfall_messages(self) -> list[str]:
        return [shortfall_text(s, county=self.county) for s in self.shortfalls]


def score(*, seed: int, county: str, stratum: str, key: str) -> str:
    """The SHA-256 hex digest that orders a candidate in the draw."""
    return hashlib.sha256(f"{seed}|{county}|{stratum}|{key}".encode()).hexdigest()


def choose(
    candidates: Sequence[Candidate], k: int, *, seed: int, county: str, stratum: str
) -> list[tuple[str, Candidate]]:
    """The k candidates with the smallest scores, smallest first (all of them if fewer)."""
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.key in seen:
            raise ValueError(f"duplicate candidate key in stratum {stratum}: {candidate.key!r}")
        seen.add(candidate.key)
    scored = sorted(
        ((score(seed=seed, county=county, stratum=stratum, key=c.key), c) for c in candidates),
        key=lambda pair: (pair[0], pair[1].key),
    )
    return scored[:k]


def _check_counts(counts: Mapping[str, int]) -> dict[str, int]:
    cleaned = {}
    for name in COUNT_FIELDS:
        value = counts.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"count {name!r} must be a non-negative integer, got {value!r}")
        cleaned[name] = value
    return cleaned


def compute_draw(
    *,
    county: str,
    seed: int,
    counts: Mapping[str, int],
    county_organs: Sequence[Candidate] = (),
    county_institutions: Sequence[Candidate] = (),
    townships: Sequence[Candidate] = (),
    villages: Mapping[str, Sequence[Candidate]] | None = None,
    stations: Mapping[str, Sequence[Candidate]] | None = None,
    own_villages: Sequence[Candidate] | None = None,
    own_stations: Sequence[Candidate] | None = None,
) -> Draw:
    """Draw a target's sample. ``villages`` and ``stations`` map a township's key to the
    candidates directly under it (their keys include the township: "城关镇/新村");
    ``own_villages`` and ``own_stations`` are a township target's own (keys: "新村"; None: the
    target is not a township)."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    counts = _check_counts(counts)
    villages = villages or {}
    stations = stations or {}
    shortfalls: list[dict] = []

    def pick(candidates, stratum, township: Candidate | None = None) -> list[Pick]:
        asked = counts[COUNT_FIELD_OF_STRATUM[stratum]]
        if asked == 0:
            return []
        chosen = choose(candidates, asked, seed=seed, county=county, stratum=stratum)
        if len(candidates) < asked:
            shortfalls.append(
                {
                    "stratum": str(stratum),
                    "township": township.name if township else None,
                    "asked": asked,
                    "available": len(candidates),
                }
            )
        return [Pick(candidate=c, stratum=str(stratum), score=s, township=township) for s, c in chosen]

    organs = pick(county_organs, Stratum.COUNTY_ORGAN)
    institutions = pick(county_institutions, Stratum.COUNTY_INSTITUTION)
    sampled = [TownshipSample(pick=p) for p in pick(townships, Stratum.TOWNSHIP)]
    # Villages first for every township, then stations, so the shortfalls read stratum by stratum.
    for sample in sampled:
        town = sample.pick.candidate
        sample.villages = pick(villages.get(town.key, ()), Stratum.VILLAGE, town)
    for sample in sampled:
        town = sample.pick.candidate
        sample.stations = pick(stations.get(town.key, ()), Stratum.TOWNSHIP_STATION, town)
    mine_villages = pick(own_villages, Stratum.VILLAGE) if own_villages is not None else []
    mine_stations = pick(own_stations, Stratum.TOWNSHIP_STATION) if own_stations is not None else []
    return Draw(
        county=county,
        seed=seed,
        counts=counts,
        county_organs=organs,
        county_institutions=institutions,
        townships=sampled,
        shortfalls=shortfalls,
        own_villages=mine_villages,
        own_stations=mine_stations,
    )


# --- words ------------------------------------------------------------------------


def shortfall_text(shortfall: Mapping, *, county: str = "") -> str:
    """E.g. 城关镇只有2个村（社区），已全部抽取（方案为3个）."""
    where = shortfall.get("township") or county
    label = stratum_label(shortfall["stratum"])
    values = {
        "where": where,
        "label": label,
        "asked": shortfall["asked"],
        "available": shortfall["available"],
    }
    if shortfall["available"] == 0:
        return _("%(where)s没有%(label)s，未能抽取（方案为%(asked)s个）") % values
    return _("%(where)s只有%(available)s个%(label)s，已全部抽取（方案为%(asked)s个）") % values


def _per_township(counts: Sequence[int], noun: str) -> str | None:
    if not counts or max(counts) == 0:
        return None
    low, high = min(counts), max(counts)
    if low == high:
        return _("%(n)s个%(noun)s") % {"n": high, "noun": noun}
    if low == 0:
        return _("最多%(n)s个%(noun)s") % {"n": high, "noun": noun}
    return _("%(low)s至%(high)s个%(noun)s") % {"low": low, "high": high, "noun": noun}


def sentence_text(
    *,
    county_organs: int,
    county_institutions: int,
    townships: int,
    villages: Sequence[int] = (),
    stations: Sequence[int] = (),
    own_villages: int = 0,
    own_stations: int = 0,
    manual: int = 0,
) -> str:
    """The report's work-overview sentence, from the numbers actually drawn.

    ``villages`` and ``stations`` hold one count per sampled township. Strata with
    nothing drawn are left out; differing per-township counts (a shortfall) read
    "2至3个村"; hand-picked units add "另专项抽查了N个单位". Nothing at all → "".
    """
    head = [
        _("%(n)s个%(noun)s") % {"n": n, "noun": SHORT_LABELS[stratum]}
        for stratum, n in (
            (Stratum.COUNTY_ORGAN, county_organs),
            (Stratum.COUNTY_INSTITUTION, county_institutions),
            (Stratum.TOWNSHIP, townships),
            (Stratum.VILLAGE, own_villages),
            (Stratum.TOWNSHIP_STATION, own_stations),
        )
        if n
    ]
    per_township = []
    if townships:
        per_township = [
            part
            for part in (
                _per_township(villages, SHORT_LABELS[Stratum.VILLAGE]),
                _per_township(stations, SHORT_LABELS[Stratum.TOWNSHIP_STATION]),
            )
            if part
        ]
    if not head:
        if manual:
            return _("考核组专项抽查了%(n)s个单位。") % {"n": manual}
        return ""
    clauses = [_("考核组抽查了") + "、".join(head)]
    if per_township:
        clauses.append(_("每个乡镇抽查") + "、".join(per_township))
    if manual:
        clauses.append(_("另专项抽查了%(n)s个单位") % {"n": manual})
    return "，".join(clauses) + "。"
