"""综合评定's readings: the scheme as the rule sees it, each unit's facts, and the outcome.

Where each component comes from:

- 实地考核: the county's 得分率 on the campaign's score table (assessment.selectors.scores: total ÷ full
  marks × 100, as the dashboard shows it), known once every item is decided, final once the
  county's report is finalized (已定稿);
- 述职评议: the score the reviewers entered for the unit (final once entered), or, when the
  scheme says so, the 民主测评 source below;
- 民主测评: the ballot's score for the unit's secretary, from the sources registered by the
  app that counts ballots (``register_ballot_source``); unknown until a closed ballot gives one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from assessment.models import Campaign, Target
from assessment.selectors.scores import campaign_scores

from .domain import rules
from .models import Award, Band, Item, ManualGrade, MeetingScore, Scheme

FIELD, MEETING, BALLOT = "field", "meeting", "ballot"
LABELS = {FIELD: "实地考核", MEETING: "述职评议", BALLOT: "民主测评"}

# unit id → Value, for a campaign. Filled by the ballots app in its AppConfig.ready.
_ballot_sources: list[Callable[[Campaign], dict[int, rules.Value]]] = []

DEFAULT_BANDS = [("好", Decimal(90)), ("较好", Decimal(80)), ("一般", Decimal(60)), ("差", Decimal(0))]


def register_ballot_source(source: Callable[[Campaign], dict[int, rules.Value]]) -> None:
    if source not in _ballot_sources:
        _ballot_sources.append(source)


def ballot_values(campaign: Campaign) -> dict[int, rules.Value]:
    values: dict[int, rules.Value] = {}
    for source in _ballot_sources:
        values.update(source(campaign))
    return values


def scheme_of(campaign: Campaign) -> Scheme | None:
    return (
        Scheme.objects.filter(campaign=campaign)
        .prefetch_related(
            Prefetch("bands", queryset=Band.objects.order_by("position", "-minimum")),
            Prefetch("items", queryset=Item.objects.order_by("position", "pk")),
        )
        .first()
    )


def rule_scheme(scheme: Scheme) -> rules.Scheme:
    """The model's scheme as results.domain.rules reads it."""
    components = [
        rules.Component(FIELD, LABELS[FIELD], scheme.weight_field),
        rules.Component(MEETING, LABELS[MEETING], scheme.weight_meeting),
        rules.Component(BALLOT, LABELS[BALLOT], scheme.weight_ballot),
    ]
    items = list(scheme.items.all())
    return rules.Scheme(
        components=components,
        bands=[rules.Band(b.label, b.minimum) for b in scheme.bands.all()],
        adjustments=[
            rules.Adjustment(str(i.pk), i.label, i.kind, i.points, i.cap) for i in items if not i.is_veto
        ],
        vetoes=[rules.Veto(str(i.pk), i.label, i.veto_effect) for i in items if i.is_veto],
        quota=None if scheme.quota is None else scheme.quota / 100,
    )


@dataclass
class Row:
    """One unit on the results page: the rule's result and what it rests on."""

    target: Target
    result: rules.UnitResult
    awards: list[Award]
    manual: ManualGrade | None
    cells: list[tuple[rules.Component, rules.Value]]  # the weighted components, in the scheme's order


@dataclass
class Results:
    campaign: Campaign
    scheme: Scheme
    rule: rules.Scheme
    outcome: rules.Outcome
    rows: list[Row]  # ranked first (by rank, then name), then the unknown ones by name

    @property
    def components(self) -> list[rules.Component]:
        return self.rule.weighted

    @property
    def confirmed(self) -> bool:
        return self.scheme.is_confirmed

    @property
    def provisional(self) -> bool:
        return self.outcome.provisional or not self.confirmed

    def distribution(self) -> list[tuple[str, int]]:
        counts = {band.label: 0 for band in self.rule.bands}
        for row in self.rows:
            if row.result.grade in counts:
                counts[row.result.grade] += 1
        return list(counts.items())


def component_values(
    campaign: Campaign, scheme: Scheme, targets: list[Target]
) -> dict[int, dict[str, rules.Value]]:
    """unit id → component key → Value."""
    table = campaign_scores(campaign)
    field = {
        row.target.unit_id: rules.Value(row.percent, row.is_finalized)
        if row.complete
        else rules.Value(None, False)
        for row in table.rows
    }
    ballots = ballot_values(campaign)
    if scheme.meeting_source == Scheme.MeetingSource.BALLOT:
        meeting = ballots
    else:
        meeting = {
            s.unit_id: rules.Value(s.score, True) for s in MeetingScore.objects.filter(campaign=campaign)
        }
    unknown = rules.Value(None, False)
    return {
        t.unit_id: {
            FIELD: field.get(t.unit_id, unknown),
            MEETING: meeting.get(t.unit_id, unknown),
            BALLOT: ballots.get(t.unit_id, unknown),
        }
        for t in targets
    }


def meeting_scores(campaign: Campaign) -> dict[int, Decimal]:
    """unit id → the 述职评议 score entered for it."""
    return dict(MeetingScore.objects.filter(campaign=campaign).values_list("unit_id", "score"))


def campaign_results(campaign: Campaign) -> Results | None:
    """The campaign's results under its scheme; None while it has no scheme."""
    scheme = scheme_of(campaign)
    if scheme is None:
        return None
    rule = rule_scheme(scheme)
    targets = list(Target.objects.filter(campaign=campaign).select_related("unit").order_by("unit__name"))
    values = component_values(campaign, scheme, targets)
    awards: dict[int, list[Award]] = {}
    for award in Award.objects.filter(campaign=campaign).select_related("item", "created_by"):
        awards.setdefault(award.unit_id, []).append(award)
    manual = {m.unit_id: m for m in ManualGrade.objects.filter(campaign=campaign)}
    facts = []
    for target in targets:
        unit_awards = awards.get(target.unit_id, [])
        grade = manual.get(target.unit_id)
        facts.append(
            rules.UnitFacts(
                key=target.unit_id,
                name=target.unit.name,
                values=values[target.unit_id],
                awards=[
                    rules.Award(str(a.item_id), a.points, a.reason) for a in unit_awards if not a.item.is_veto
                ],
                vetoes=[str(a.item_id) for a in unit_awards if a.item.is_veto],
                manual_grade=grade.grade if grade else None,
                manual_reason=grade.reason if grade else "",
            )
        )
    outcome = rules.evaluate(rule, facts)
    rows = [
        Row(
            target,
            result,
            awards.get(target.unit_id, []),
            manual.get(target.unit_id),
            [(c, result.values[c.key]) for c in rule.weighted],
        )
        for target, result in zip(targets, outcome.units, strict=True)
    ]
    rows.sort(key=lambda r: (r.result.rank is None, r.result.rank or 0, r.target.unit.name))
    return Results(campaign, scheme, rule, outcome, rows)
