"""Reads for the organization department's dashboard: progress, comparison, problem analysis.

Scores come from assessment.selectors.scores.campaign_scores — the same computation as the
Excel summary, so every number on the dashboard equals the spreadsheet's; the
items counted done are assessment.domain.completeness.item_done's (in SQL:
assessment.done_assessments).
Each function takes a fixed number of queries whatever the campaign's size.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessment.models import (
    AuditEntry,
    Campaign,
    ChecklistItem,
    Problem,
    Target,
)
from assessment.selectors.scores import ScoreTable, campaign_scores, score_tables
from assessment.selectors.workspace import done_assessments
from core.text import natural_key
from meetings.selectors import comment_problems
from units.models import Unit

UNIT_KIND_LABELS = dict(Unit.Kind.choices)
NO_UNIT = "未指定单位"
ZERO = Decimal(0)
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
    status_label: str

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
        .only("status", "unit__name", "group__name", "group__start_date", "group__end_date")
        .annotate(
            last_at=Subquery(latest.values("at")[:1]),
            last_by=Subquery(latest.values("actor__name")[:1]),
            last_by_username=Subquery(latest.values("actor__username")[:1]),
        )
    )
    total = campaign.items.count()
    complete = done_assessments().filter(target__campaign=campaign).values("target").annotate(n=Count("pk"))
    done = {row["target"]: row["n"] for row in complete}
    labels = {value: str(label) for value, label in Target.Status.choices}  # once, not a row at a time
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
                status_label=labels[target.status],
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
    deltas: list[Decimal]  # per item, in the order of Comparison.item_titles
    worst: ItemDelta | None  # the item where this county dropped most (None when nothing dropped)


@dataclass
class Comparison:
    previous: Campaign
    rows: list[TargetComparison]
    item_titles: list[str]
    # Counties in both campaigns left out because a score is not known yet: this year's (or last
    # year's) targets with undecided items. Only complete totals are compared.
    pending: list[str] = field(default_factory=list)


def comparison_with_previous(campaign: Campaign) -> tuple[ScoreTable, Comparison | None]:
    """The campaign's scores and, when there is a previous campaign, the comparison with it: both
    score tables read together (assessment.selectors.scores.score_tables)."""
    previous = previous_campaign(campaign)
    if previous is None:
        return campaign_scores(campaign), None
    table, before = score_tables([campaign, previous])
    return table, campaign_comparison(table, before)


def campaign_comparison(table: ScoreTable, before: ScoreTable) -> Comparison:
    """Score deltas per county and per item against ``before``; counties matched by name, items by
    title. Only counties complete in both campaigns are compared (a total not yet known has no
    change); the others are listed in ``pending``."""
    before_rows = {row.unit_name: row for row in before.rows}
    before_titles = {item.title: index for index, item in enumerate(before.items)}
    # (title, column now, column before) of the items both campaigns have
    shared = [
        (item.title, i, before_titles[item.title])
        for i, item in enumerate(table.items)
        if item.title in before_titles
    ]
    rows, pending = [], []
    for row in table.rows:
        old = before_rows.get(row.unit_name)
        if old is None:
            continue
        if not (row.complete and old.complete):
            pending.append(row.unit_name)
            continue
        deltas = [row.scores[i] - old.scores[j] for _title, i, j in shared]
        worst = None
        lowest = min(deltas, default=ZERO)
        if lowest < 0:
            title, i, j = shared[deltas.index(lowest)]  # the first of equal drops
            worst = ItemDelta(title=title, now=row.scores[i], before=old.scores[j], delta=lowest)
        rows.append(
            TargetComparison(row.unit_name, row.total, old.total, row.total - old.total, deltas, worst)
        )
    rows.sort(key=lambda r: r.delta)
    return Comparison(
        previous=before.campaign,
        rows=rows,
        item_titles=[title for title, _i, _j in shared],
        pending=sorted(pending),
    )


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
    """An item flagged in at least N counties: how many counties and problems. Its texts, county by
    county, are common_problem_texts()."""

    item: ChecklistItem
    counties: int
    problems: int


@dataclass
class ProblemAnalysis:
    total: int
    by_item: list[tuple[ChecklistItem, int, int]]  # item, problems, counties with problems
    by_kind: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_rectification: list[tuple[str, int]]
    common: list[CommonProblem]
    min_counties: int
    counties: int  # targets in the campaign, the most min_counties can usefully be
    # The problems the 述职评议 点评 named (meetings held), beside the inspection groups': by source,
    # and unit by unit (unit name, the speaker, the problems' texts).
    by_source: list[tuple[str, int]] = field(default_factory=list)
    meeting_problems: list[tuple[str, str, list[str]]] = field(default_factory=list)


def default_min_counties(targets: int) -> int:
    """The page's first N: a fifth of the counties, at least 2, so that "common" still picks out
    items when a province's 150 counties each report something under most items."""
    return max(2, -(-targets // 5))


SOURCE_INSPECTION, SOURCE_MEETING = "实地考核", "述职评议点评"


def problem_analysis(campaign: Campaign, *, min_counties: int | None = None) -> ProblemAnalysis:
    """Counts of problems by item, by the kind of unit concerned, by category and by rectification,
        and the common problems: items flagged in at least ``min_counties`` counties (default:
        default_min_counties); beside them the problems named in the 点评 of the campaign's held
    述职评议 meetings (meetings.selectors.comment_problems). Five queries, whatever the number of problems."""
    problems = Problem.objects.filter(target__campaign=campaign).order_by()
    items = list(campaign.items.order_by("order"))
    targets = Target.objects.filter(campaign=campaign).count()
    if min_counties is None:
        min_counties = default_min_counties(targets)
    per_item: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # problems, counties
    for item_id, n in problems.values("item", "target").annotate(n=Count("pk")).values_list("item", "n"):
        per_item[item_id][0] += n
        per_item[item_id][1] += 1
    by_item = [(item, *per_item.get(item.pk, (0, 0))) for item in items]
    by_kind, by_category, by_rectification = Counter(), Counter(), Counter()
    for kind, category, rectification, n in (
        problems.values("unit__kind", "category", "rectification")
        .annotate(n=Count("pk"))
        .values_list("unit__kind", "category", "rectification", "n")
    ):
        by_kind[str(UNIT_KIND_LABELS.get(kind, NO_UNIT))] += n
        by_category[category or "未分类"] += n
        by_rectification[rectification] += n
    by_speaker: dict[int, tuple[str, str, list[str]]] = {}
    for problem in comment_problems(campaign=campaign):
        speaker = problem.speaker
        by_speaker.setdefault(speaker.pk, (speaker.unit.name, str(speaker), []))[2].append(problem.text)
    total = sum(n for _item, n, _c in by_item)
    meeting_total = sum(len(texts) for _u, _s, texts in by_speaker.values())
    return ProblemAnalysis(
        total=total,
        by_source=[(SOURCE_INSPECTION, total), (SOURCE_MEETING, meeting_total)] if by_speaker else [],
        meeting_problems=list(by_speaker.values()),
        by_item=by_item,
        by_kind=sorted(by_kind.items(), key=lambda kv: -kv[1]),
        by_category=sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])),
        by_rectification=[
            (str(label), by_rectification[value])
            for value, label in Problem.Rectification.choices
            if by_rectification[value]
        ],
        common=[
            CommonProblem(item, counties, n) for item, n, counties in by_item if counties >= min_counties
        ],
        min_counties=min_counties,
        counties=targets,
    )


TEXTS_PER_COUNTY = 5


@dataclass
class CountyProblems:
    county: str
    texts: list[str]  # the first TEXTS_PER_COUNTY, in the group's order
    count: int  # all of them

    @property
    def more(self) -> int:
        return self.count - len(self.texts)


def common_problem_texts(campaign: Campaign, item: ChecklistItem) -> list[CountyProblems]:
    """One item's problems county by county, side by side for the campaign-wide summary: the first
    few texts of each county and how many it has. One query (window functions)."""
    rows = (
        Problem.objects.filter(target__campaign=campaign, item=item)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("target")], order_by=[F("position"), F("pk")]),
            count=Window(Count("pk"), partition_by=[F("target")]),
            county=F("target__unit__name"),
        )
        .filter(rank__lte=TEXTS_PER_COUNTY)
        .order_by()
        .values_list("county", "text", "count", "rank")
    )
    counties: dict[str, CountyProblems] = {}
    for county, text, count, _rank in sorted(rows, key=lambda r: (natural_key(r[0]), r[3])):
        counties.setdefault(county, CountyProblems(county, [], count)).texts.append(text)
    return list(counties.values())


__all__ = [
    "campaign_comparison",
    "comparison_with_previous",
    "campaign_progress",
    "campaign_scores",
    "common_problem_texts",
    "problem_analysis",
]
