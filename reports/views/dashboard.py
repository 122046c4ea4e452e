"""考核总览: the campaign dashboard for reviewers and administrators."""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import audit
from assessment import permissions
from assessment.domain.scoring import Grade
from assessment.models import ChecklistItem, Target
from assessment.selectors.scores import campaign_scores
from core.responses import xlsx_response
from rectification.selectors import repeats

from ..dashboard import (
    campaign_progress,
    common_problem_texts,
    comparison_with_previous,
    problem_analysis,
    problems_per_item,
)


def _context(request: HttpRequest, campaign, tab: str, **extra) -> dict:
    return {"campaign": campaign, "tab": tab, "is_admin": permissions.is_admin(request.user), **extra}


@require_safe
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_review(request.user, pk)
    groups = campaign_progress(campaign)
    counts = {s: 0 for s, _label in Target.Status.choices}
    for group in groups:
        for row in group.rows:
            counts[row.target.status] += 1
    statuses = [(label, counts[value], value) for value, label in Target.Status.choices]
    return render(
        request,
        "reports/dashboard_progress.html",
        _context(request, campaign, "progress", groups=groups, statuses=statuses),
    )


def _sorted_rows(table, sort: str, descending: bool):
    """The rows sorted by a column; a row without a value there (未评分, 未完成) comes last either way."""
    rows = list(table.rows)
    if sort.startswith("item") and sort[4:].isdigit() and int(sort[4:]) < len(table.items):
        index = int(sort[4:])
        key = lambda r: r.scores[index]  # noqa: E731
    else:
        key = {
            "county": lambda r: r.unit_name,
            "group": lambda r: r.group_name,
            "total": lambda r: r.total,
            "status": lambda r: r.status_label,
            "rank": lambda r: r.rank,
        }.get(sort, lambda r: r.rank)
    known = [r for r in rows if key(r) is not None]
    unknown = [r for r in rows if key(r) is None]  # in the table's order: complete first, then by name
    return sorted(known, key=key, reverse=descending) + unknown


INCOMPLETE = "incomplete"  # the grade filter's 未完成: targets with undecided items


@require_safe
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """The targets × items matrix, sortable by any column, filtered by group, state and grade.
    Ranks are over the complete targets of the whole campaign, whatever the filter shows."""
    campaign = permissions.campaign_for_review(request.user, pk)
    table = campaign_scores(campaign)
    sort = request.GET.get("sort", "rank")
    descending = request.GET.get("dir") == "desc"
    rows = _sorted_rows(table, sort, descending)
    group, status, grade = (request.GET.get(k, "") for k in ("group", "status", "grade"))
    if group:
        rows = [r for r in rows if r.group_name == group]
    if status:
        rows = [r for r in rows if r.status == status]
    if grade == INCOMPLETE:
        rows = [r for r in rows if not r.complete]
    elif grade:
        rows = [r for r in rows if r.grade == grade]
    context = _context(
        request,
        campaign,
        "scores",
        table=table,
        item_columns=[(f"item{i}", item) for i, item in enumerate(table.items)],  # sort keys
        rows=rows,
        sort=sort,
        descending=descending,
        filters={"group": group, "status": status, "grade": grade},
        groups=sorted({r.group_name for r in table.rows}),
        statuses=Target.Status.choices,
        grades=[*Grade.choices, (INCOMPLETE, _("未完成"))],
    )
    return render(request, "reports/dashboard_scores.html", context)


@require_safe
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_review(request.user, pk)
    _table, comparison = comparison_with_previous(campaign)
    return render(
        request,
        "reports/dashboard_compare.html",
        _context(request, campaign, "compare", comparison=comparison),
    )


@require_safe
def problems(request: HttpRequest, pk: int) -> HttpResponse:
    """Problem counts by item, unit kind, category and rectification, and the items flagged in at
    least N counties; each item's texts open in place (common_problems)."""
    campaign = permissions.campaign_for_review(request.user, pk)
    try:
        n = max(1, min(int(request.GET["n"]), 9999))
    except (KeyError, ValueError):
        n = None  # the default for the campaign's size
    analysis = problem_analysis(campaign, min_counties=n)
    context = _context(request, campaign, "problems", analysis=analysis, repeats=repeats(campaign))
    return render(request, "reports/dashboard_problems.html", context)


@require_safe
def common_problems(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One item's problems, county by county: a fragment for the problems page (htmx), or a page
    of its own (a plain link, and a page to print beside the campaign-wide summary)."""
    campaign = permissions.campaign_for_review(request.user, pk)
    item = get_object_or_404(ChecklistItem, campaign=campaign, pk=item_pk)
    context = _context(
        request, campaign, "problems", item=item, counties=common_problem_texts(campaign, item)
    )
    if request.headers.get("HX-Request"):
        return render(request, "reports/_common_problems.html", context)
    return render(request, "reports/dashboard_common_problems.html", context)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@require_safe
def charts(request: HttpRequest, pk: int) -> HttpResponse:
    """The same numbers as the tables, drawn: score spread per item (over decided scores, an item
    marked when some are still undecided), the ranking of complete targets with the others'
    provisional sums after them, marked 暂计, and problems per item."""
    campaign = permissions.campaign_for_review(request.user, pk)
    table = campaign_scores(campaign)
    targets = len(table.rows)
    data = {
        "items": [
            f"（{i + 1}）{item.title}"
            + (_("（已评分 %(n)s/%(of)s）") % {"n": s.count, "of": targets} if s.partial else "")
            for i, (item, s) in enumerate(zip(table.items, table.item_stats, strict=True))
        ],
        "item_titles": [
            f"（{i + 1}）{item.title}" for i, item in enumerate(table.items)
        ],  # the problems chart
        "item_min": [_num(s.minimum) for s in table.item_stats],
        "item_max": [_num(s.maximum) for s in table.item_stats],
        "item_avg": [_num(s.average) for s in table.item_stats],
        "item_full": [_num(item.full_score) for item in table.items],
        "ranking": [
            {
                "county": r.unit_name,
                "total": _num(r.total if r.complete else r.provisional),
                "rank": r.rank,
                "grade": str(r.grade.label) if r.grade else "",
                "provisional": not r.complete,
                "note": "" if r.complete else r.total_text,
            }
            for r in table.rows
        ],
        "problems": problems_per_item(campaign, table.items),
        "labels": {
            "min": _("最低分"),
            "max": _("最高分"),
            "avg": _("平均分"),
            "total": _("总分"),
            "provisional": _("暂计（未完成，不排名）"),
            "incomplete": _("未完成"),
            "problems": _("问题数"),
        },
    }
    return render(
        request,
        "reports/dashboard_charts.html",
        _context(
            request,
            campaign,
            "charts",
            chart_data=data,
            table=table,
        ),
    )


@require_safe
def scores_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel score summary: the same computation as the pages."""
    from ..xlsx import score_workbook, score_workbook_name

    campaign = permissions.campaign_for_review(request.user, pk)
    response = xlsx_response(score_workbook(campaign), score_workbook_name(campaign))
    audit.export(request, campaign, label=score_workbook_name(campaign))
    return response
