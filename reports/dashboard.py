"""Reads for the organization department's dashboard: progress, comparison, problem analysis.

Scores come from reports.scores.campaign_scores — the same computation as the
Excel summary, so every number on the dashboard equals the spreadsheet's.
Each function takes a fixed number of queries whatever the campaign's size.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessment.models import (
    AuditEntry,
    Campaign,
    ChecklistItem,
    EvaluationPoint,
    ItemAssessment,
    Problem,
    Target,
)
from core.text import natural_key
from units.models import Unit

from .scores import ScoreTable, campaign_scores

UNIT_KIND_LABELS = dict(Unit.Kind.choices)
NO_UNIT = "未指定单位"
EDITABLE = (Target.Status.DRAFTING, Target.Status.RETURNED)


# --- progress ---------------------------------------------------------------------------


@dataclass
class ProgressRow:
    target: Target
    done: int
    total: int
    last_at: dt.datetime | None
    last_by: str
    overdue: bool

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


@dataclass
class GroupProgress:
    name: str
    start: dt.date | None
    end: dt.date | None
    rows: list[ProgressRow] = field(default_factory=list)


def campaign_progress(campaign: Campaign, *, today: dt.date | None = None) -> list[GroupProgress]:
    """Per group and target: the workflow state, items completed of total, the last change and by whom,
    and whether the group's end date has passed with the work not yet handed in. Three queries."""
    today = today or timezone.localdate()
    latest = AuditEntry.objects.filter(target=OuterRef("pk")).order_by("-at", "-pk")
    targets = list(
        Target.objects.filter(campaign=campaign)
        .select_related("unit", "group")
        .annotate(
            last_at=Subquery(latest.values("at")[:1]),
            last_by=Subquery(latest.values("actor__name")[:1]),
            last_by_username=Subquery(latest.values("actor__username")[:1]),
        )
    )
    total = campaign.items.count()
    complete = (
        ItemAssessment.objects.filter(target__campaign=campaign, score_decided_at__isnull=False)
        .filter(~Q(lead="") | Exists(EvaluationPoint.objects.filter(assessment=OuterRef("pk"))))
        .values("target")
        .annotate(n=Count("pk"))
    )
    done = {row["target"]: row["n"] for row in complete}
    groups: dict[int, GroupProgress] = {}
    for target in targets:
        group = target.group
        entry = groups.setdefault(group.pk, GroupProgress(group.name, group.start_date, group.end_date))
        entry.rows.append(
            ProgressRow(
                target=target,
                done=done.get(target.pk, 0),
                total=total,
                last_at=target.last_at,
                last_by=target.last_by or target.last_by_username or "",
                overdue=bool(group.end_date and group.end_date < today and target.status in EDITABLE),
            )
        )
    for entry in groups.values():
        entry.rows.sort(key=lambda r: r.target.unit.name)
    return sorted(groups.values(), key=lambda g: natural_key(g.name))


# --- comparison with the previous campaign ----------------------------------------------------


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The latest earlier campaign that assessed at least one of the same counties."""
    units = Target.objects.filter(campaign=campaign).values("unit_id")
    return (
        Campaign.objects.filter(year__lt=campaign.year, targets__unit_id__in=units)
        .distinct()
        .order_by("-year", "-pk")
        .first()
    )


@dataclass
class ItemDelta:
    title: str
    now: Decimal
    before: Decimal
    delta: Decimal


@dataclass
class TargetComparison:
    county: str
    now: Decimal
    before: Decimal
    delta: Decimal
    items: list[ItemDelta]

    @property
    def worst(self) -> ItemDelta | None:
        """The item where this county dropped most (None when nothing dropped)."""
        drops = [d for d in self.items if d.delta < 0]
        return min(drops, key=lambda d: d.delta) if drops else None


@dataclass
class Comparison:
    previous: Campaign
    rows: list[TargetComparison]
    item_titles: list[str]


def campaign_comparison(table: ScoreTable) -> Comparison | None:
    """Score deltas per county and per item against the previous campaign; items matched by title."""
    previous = previous_campaign(table.campaign)
    if previous is None:
        return None
    before = campaign_scores(previous)
    before_rows = {row.unit_name: row for row in before.rows}
    before_titles = {item.title: index for index, item in enumerate(before.items)}
    shared = [(i, item.title) for i, item in enumerate(table.items) if item.title in before_titles]
    rows = []
    for row in table.rows:
        old = before_rows.get(row.unit_name)
        if old is None:
            continue
        items = [
            ItemDelta(
                title=title,
                now=row.scores[i],
                before=old.scores[before_titles[title]],
                delta=row.scores[i] - old.scores[before_titles[title]],
            )
            for i, title in shared
        ]
        rows.append(TargetComparison(row.unit_name, row.total, old.total, row.total - old.total, items))
    rows.sort(key=lambda r: r.delta)
    return Comparison(previous=previous, rows=rows, item_titles=[t for _i, t in shared])


def problems_per_item(campaign: Campaign, items: list[ChecklistItem]) -> list[int]:
    """How many problems each item has, in the order of ``items``. One query."""
    counts = dict(
        Problem.objects.filter(target__campaign=campaign)
        .values("item")
        .annotate(n=Count("pk"))
        .values_list("item", "n")
    )
    return [counts.get(item.pk, 0) for item in items]


# --- problem analysis -----------------------------------------------------------------------------


@dataclass
class CommonProblem:
    """An item flagged in at least N counties, with each county's problems side by side."""

    item: ChecklistItem
    counties: list[tuple[str, list[str], int]]  # (county, texts shown, total count in that county)


@dataclass
class ProblemAnalysis:
    total: int
    by_item: list[tuple[ChecklistItem, int, int]]  # item, problems, counties with problems
    by_kind: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_rectification: list[tuple[str, int]]
    common: list[CommonProblem]
    min_counties: int


TEXTS_PER_COUNTY = 5


def problem_analysis(campaign: Campaign, *, min_counties: int = 2) -> ProblemAnalysis:
    """Counts of problems by item, by the kind of unit concerned and by category, and the common
    problems: items flagged in at least ``min_counties`` counties. Six queries."""
    problems = Problem.objects.filter(target__campaign=campaign)
    items = list(campaign.items.order_by("order"))
    per_item = {
        row["item"]: (row["n"], row["counties"])
        for row in problems.values("item").annotate(n=Count("pk"), counties=Count("target", distinct=True))
    }
    by_item = [(item, *per_item.get(item.pk, (0, 0))) for item in items]
    by_kind = Counter()
    for row in problems.values("unit__kind").annotate(n=Count("pk")):
        by_kind[UNIT_KIND_LABELS.get(row["unit__kind"], NO_UNIT)] += row["n"]
    by_category = [
        (row["category"] or "未分类", row["n"])
        for row in problems.values("category").annotate(n=Count("pk")).order_by("-n", "category")
    ]
    rectification_labels = dict(Problem.Rectification.choices)
    by_rectification = [
        (rectification_labels[row["rectification"]], row["n"])
        for row in problems.values("rectification").annotate(n=Count("pk")).order_by("rectification")
    ]
    common_items = [item for item, _n, counties in by_item if counties >= min_counties]
    common: list[CommonProblem] = []
    if common_items:
        # The first few problems per county and item (a window function), and how many there are.
        ranked = (
            problems.filter(item__in=common_items)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("item"), F("target")], order_by=[F("position"), F("pk")]
                ),
                county=F("target__unit__name"),
            )
            .filter(rank__lte=TEXTS_PER_COUNTY)
            .values_list("item", "county", "text")
        )
        counts = {
            (row["item"], row["target__unit__name"]): row["n"]
            for row in problems.filter(item__in=common_items)
            .values("item", "target__unit__name")
            .annotate(n=Count("pk"))
        }
        texts: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for item_id, county, text in ranked:
            texts[item_id][county].append(text)
        for item in common_items:
            counties = sorted(texts[item.pk].items())
            common.append(CommonProblem(item, [(c, t, counts[(item.pk, c)]) for c, t in counties]))
    return ProblemAnalysis(
        total=sum(n for _item, n, _c in by_item),
        by_item=by_item,
        by_kind=sorted(by_kind.items(), key=lambda kv: -kv[1]),
        by_category=by_category,
        by_rectification=by_rectification,
        common=common,
        min_counties=min_counties,
    )


__all__ = ["campaign_comparison", "campaign_progress", "campaign_scores", "problem_analysis"]
