"""What the ledger's pages, exports and the workspace's notes read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from assessment.extensions import HomePanel, ItemNote
from assessment.models import Problem, Target
from liaison.permissions import liaison_roles
from units.models import Unit

from .domain import ledger as rules
from .models import Entry, Event, Recurrence


def entries(campaign, *, unit=None, source="", item="", state="", overdue=False):
    """The campaign's entries (filtered), each with ``evidence`` (files), ``reminders`` (催办 not yet
    seen) and ``overdue``, in the ledger's order."""
    rows = (
        Entry.objects.filter(campaign=campaign)
        .select_related("unit", "carried_from__campaign")
        .annotate(
            evidence=Count("events", filter=~Q(events__file="")),
            reminders=Count("events", filter=Q(events__kind=Event.Kind.REMIND, events__seen_at__isnull=True)),
            last_reminded=Max("events__at", filter=Q(events__kind=Event.Kind.REMIND)),
        )
        .order_by("unit__name", "position", "pk")
    )
    if unit is not None:
        rows = rows.filter(unit=unit)
    if source:
        rows = rows.filter(source=source)
    if item:
        rows = rows.filter(item_title=item)
    if state:
        rows = rows.filter(state=state)
    today = timezone.localdate()
    found = list(rows)
    for entry in found:
        entry.overdue = rules.is_overdue(deadline=entry.deadline, state=entry.state, today=today)
    if overdue:
        found = [e for e in found if e.overdue]
    return found


def summary(rows) -> rules.Summary:
    return rules.summarize(((e.state, e.deadline) for e in rows), timezone.localdate())


@dataclass
class UnitLine:
    unit: object
    summary: rules.Summary


def unit_summaries(rows) -> list[UnitLine]:
    by_unit: dict[int, list[Entry]] = {}
    units = {}
    for entry in rows:
        by_unit.setdefault(entry.unit_id, []).append(entry)
        units[entry.unit_id] = entry.unit
    return [UnitLine(units[u], summary(found)) for u, found in by_unit.items()]


def units_of(campaign) -> list:
    """The units with entries in the campaign's ledger, by name."""
    return list(
        Unit.objects.filter(pk__in=Entry.objects.filter(campaign=campaign).values("unit_id")).order_by("name")
    )


def item_titles(campaign) -> list[str]:
    return list(
        Entry.objects.filter(campaign=campaign)
        .exclude(item_title="")
        .values_list("item_title", flat=True)
        .distinct()
        .order_by("item_title")
    )


# --- the liaison's home --------------------------------------------------------------------------


def home_panel(user) -> HomePanel | None:
    parts = []
    for role in liaison_roles(user):
        rows = entries(role.campaign, unit=role.unit)
        if rows:
            parts.append(
                {"role": role, "summary": summary(rows), "reminders": sum(e.reminders for e in rows)}
            )
    if not parts:
        return None
    return HomePanel("rectification/_home.html", {"parts": parts})


# --- what the workspace shows beside an item -------------------------------------------------------

#: How many years back a problem is looked for (this year's and the year before's campaigns).
LOOK_BACK = 2


def item_notes(target: Target) -> dict[int, list[ItemNote]]:
    """Item id → notes: last year's entries carried open into this campaign (上年遗留 / 整改不到位),
    and for each problem written now, an earlier one of the same unit and item that reads alike
    (是否同一问题, until someone answers) or was confirmed the same (重复发生)."""
    campaign = target.campaign
    items = {i.title: i.pk for i in campaign.items.all()}
    first = next(iter(items.values()), None)
    notes: dict[int, list[ItemNote]] = {}

    def add(item_title: str, note: ItemNote) -> None:
        key = items.get(item_title, first)
        if key is not None:
            notes.setdefault(key, []).append(note)

    for carried in Entry.objects.filter(
        campaign=campaign, unit=target.unit_id, source=Entry.Source.CARRIED
    ).exclude(state=Entry.State.CLOSED):
        badge = "整改不到位" if carried.measures else "上年遗留"
        where = "" if carried.item_title in items else f"（{carried.year}年考核项目“{carried.item_title}”）"
        add(carried.item_title, ItemNote(text=f"{carried.year}年：{carried.text}{where}", badge=badge))

    earlier = list(
        Entry.objects.filter(
            unit=target.unit_id, year__lt=campaign.year, year__gte=campaign.year - LOOK_BACK
        ).exclude(source=Entry.Source.CARRIED)
    )
    if not earlier:
        return notes
    decided = {
        (r.problem_id, r.earlier_id): r.same for r in Recurrence.objects.filter(problem__target=target)
    }
    for problem in Problem.objects.filter(target=target).select_related("item"):
        for old in earlier:
            if old.item_title != problem.item.title:
                continue
            answer = decided.get((problem.pk, old.pk))
            if answer is True:
                notes.setdefault(problem.item_id, []).append(
                    ItemNote(
                        text=f"“{problem.text[:30]}”与{old.year}年指出的“{old.text[:30]}”是同一问题"
                        + ("，上年的问题已销号后又出现" if old.is_closed else "，上年的问题至今未销号"),
                        # Closed and back: found again; never closed: the rectification fell short.
                        badge="重复发生" if old.is_closed else "整改不到位",
                    )
                )
                continue
            if answer is False:
                continue
            score = rules.similarity(problem.text, old.text)
            if score >= rules.SUGGEST_AT:
                yes = reverse("rectification:recurrence", args=[problem.pk, old.pk, 1])
                no = reverse("rectification:recurrence", args=[problem.pk, old.pk, 0])
                notes.setdefault(problem.item_id, []).append(
                    ItemNote(
                        text=f"“{problem.text[:30]}”与{old.year}年指出的“{old.text[:30]}”相似（{round(score * 100)}%），是否同一问题？",
                        badge="可能重复",
                        actions=(("是同一问题", yes), ("不是", no)),
                    )
                )
    return notes


# --- 屡查屡犯 ---------------------------------------------------------------------------------------


@dataclass
class Repeat:
    unit: object
    item_title: str
    years: list[int]
    texts: list[str]


def repeats(campaign) -> list[Repeat]:
    """Units (the campaign's targets) and items with problems in consecutive years: this year's
    problems as the groups wrote them, earlier years' from the ledger (carried entries aside).
    Two queries."""
    units: dict[int, object] = {}
    grouped: dict[tuple[int, str], list[tuple[int, str]]] = {}
    earlier = (
        Entry.objects.filter(
            unit_id__in=Target.objects.filter(campaign=campaign).values("unit_id"),
            year__lt=campaign.year,
            year__gte=campaign.year - LOOK_BACK,
        )
        .exclude(source=Entry.Source.CARRIED)
        .exclude(item_title="")
        .select_related("unit")
        .order_by("year", "position")
    )
    for entry in earlier:
        units[entry.unit_id] = entry.unit
        grouped.setdefault((entry.unit_id, entry.item_title), []).append((entry.year, entry.text))
    for problem in (
        Problem.objects.filter(target__campaign=campaign)
        .select_related("item", "target__unit")
        .order_by("position")
    ):
        units[problem.target.unit_id] = problem.target.unit
        grouped.setdefault((problem.target.unit_id, problem.item.title), []).append(
            (campaign.year, problem.text)
        )
    found = []
    for (unit_id, title), lines in sorted(grouped.items(), key=lambda kv: (units[kv[0][0]].name, kv[0][1])):
        years = sorted({year for year, _text in lines})
        if any(b - a == 1 for a, b in zip(years, years[1:], strict=False)):
            found.append(Repeat(units[unit_id], title, years, [f"{year}年：{text}" for year, text in lines]))
    return found


def found_before() -> Exists:
    """An annotation for a Problem queryset: confirmed found in an earlier year (the report marks it)."""
    return Exists(Recurrence.objects.filter(problem=OuterRef("pk"), same=True))


def ledger_of_previous_year(campaign) -> rules.Summary | None:
    """How last year's ledger stands for this campaign's units (the 通报 says it): the entries of
    the latest earlier year with any, or None when there are none."""
    units = Target.objects.filter(campaign=campaign).values("unit_id")
    earlier = Entry.objects.filter(
        unit_id__in=units, year__lt=campaign.year, campaign__year__lt=campaign.year
    )
    year = earlier.order_by("-campaign__year").values_list("campaign__year", flat=True).first()
    if year is None:
        return None
    return summary(earlier.filter(campaign__year=year))
