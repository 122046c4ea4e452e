"""Benchmark: the campaign dashboard (考核总览) at province scale, against a raw-SQL baseline.

Usage (from anywhere; the project root is put on sys.path):

    .venv/bin/python bench/dashboard.py [--requests N] [--warmup N] [--scales 0.1,1] [--seed N]
                                        [--profile [PAGE]] [--show-queries] [--keep]

Province scale (1×): a city with 150 counties (kind county, ancestry under the
city), each with 19 units of seven kinds below it; one active campaign of 40
checklist items (2.5 points each, 100 in all) with a criterion each, bonuses
allowed (a few 0.5-point bonuses); 15 groups of 10 targets with a leader and
3 members each, a reviewer (CampaignReviewer); each target's narrative
(工作情况, about 2,000 characters); 30,000 deductions spread at random over
the 150 × 40 cells (0.01–0.5 points, mostly 0.05, weighted per county, so
totals land between about 70 and 99 and all of 好, 较好 and 一般 occur);
20,000 problems (six categories and uncategorized, at units of every kind or
at none, spread over the items); item assessments with score decisions,
leads and evaluation points (what the progress counts: only decided items
score, only targets with every item decided have a total, rank and grade); an
audit entry per deduction and problem; and the previous year's campaign (every
item decided) for the same
counties (36 of its 40 item titles shared, 30,000 deductions, 20,000
problems), so the comparison page has something to compare. Everything is
made with bulk_create in a fresh migrated database, one per data size, in a
child process of its own.

Data sizes: ``--scales`` (default ``0.1,1``) multiplies the counties, targets,
groups, deductions and problems of both campaigns (the checklist stays at 40
items): at 0.1×, 15 targets in 2 groups, 3,000 deductions, 2,000 problems. The
query counts of every page must be the same at each size, so the 1× run is
the "10× data" of the 0.1× one; ``--scales 0.1,1,10`` adds the real 10× world
(1,500 targets, 300,000 deductions and 200,000 problems a campaign) when there
is time for it. Timing targets apply at 1×.

Measured, through django.test.Client signed in (force_login) as the reviewer:

* the six pages: ``reports:dashboard`` (progress), ``reports:scores``,
  ``reports:problems``, ``reports:charts``, ``reports:compare``, and
  ``reports:common_problems`` for the first item (the texts a reviewer opens
  from the problems page: every county's first five problems under it);
* a baseline for each: a view defined here, mounted beside the application's
  URLs (same middleware, same client), that computes the aggregates that page
  shows — the score matrix with totals, percentages, ranks, grades and column
  statistics; the progress per group and target (items completed, last change
  and by whom, overdue); the problem counts by item / unit kind / category /
  rectification and the items flagged in at least the page's default number
  of counties; one item's first five texts per county; the charts' series; the
  deltas against the previous campaign — with one raw SQL query per table it
  needs (campaigns with the reviewer check, items, targets joined with units
  and groups, deductions summed per target and item, bonuses, completed
  assessments per target, the latest audit entry per target, and problems:
  counts per item and county, one GROUP BY for the breakdowns, one windowed
  query for an item's texts, or one count per item for the charts),
  assembled with plain Python and returned as JSON, no template.

Before timing, the child checks that the baselines' aggregates equal the
application's own (campaign_scores, campaign_progress, problem_analysis,
common_problem_texts, problems_per_item, comparison_with_previous) and that every page shows all the
targets, groups and problems. Each URL is requested ``--warmup`` times, then
``--requests`` times in rotation; the figures are median wall times of
``client.get`` (the whole server side: middleware, session, queries,
templates). The SQL queries of one request of each are counted with
CaptureQueriesContext. Targets: every page's query count at most 12 and the
same at every size; at 1×, the slowest page's median at most 300 ms and at
most 2× its baseline's. The last line of the output is

    bench dashboard: <ratio>x baseline, <ms> ms, <n> queries — PASS|FAIL

(the ratio and the time are the slowest page's at 1×, the queries the largest
count of any page at any size), and the exit code is 0 on PASS, 1 on FAIL, 2
when the benchmark itself could not run.

Databases as for workspace.py (``harness.fresh_databases``): a fresh copy of a
migrated template for every size, SQLite, or PostgreSQL when DATABASE_URL
points at it (there ANALYZEd once built).

``--profile`` adds, at 1×, 5 more requests of a page (the slowest, or the one
named) under cProfile, not counted, and prints the top entries;
``--show-queries`` prints the SQL of one request of each URL at 1×; ``--keep``
keeps the temporary directory and the databases.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import harness  # bench/harness.py; puts the project root on sys.path
from dashboard_baseline import (
    PAGES,
    PART_NAMES,
    app_view_of,
    baseline_aggregates,
    baseline_view,
    baseline_view_of,
    differences,
)
from dashboard_world import ITEMS, build_world

TARGET_RATIO = 2.0
TARGET_MS = 300.0
TARGET_QUERIES = 12


# -- the child processes --------------------------------------------------------------------------


def _check_pages(html: dict[str, str], world: dict, data: dict) -> None:
    """Every page shows the whole campaign: all targets, groups and problems."""
    n = world["sizes"]
    expect = {
        "progress": ('data-testid="progress-group"', n["groups"]),
        "scores": ('data-testid="score-row"', n["targets"]),
    }
    for page, (marker, count) in expect.items():
        if html[page].count(marker) != count:
            harness.fail(f"the {page} page shows {html[page].count(marker)} × {marker}, expected {count}")
    total = data["problems"]["total"]
    if f"共 {total} 个问题" not in html["problems"]:
        harness.fail(f"the problems page does not show 共 {total} 个问题")
    common = len(data["problems"]["common"])
    if not common or html["problems"].count('data-testid="common-item"') != common:
        harness.fail(f"the problems page does not list the {common} common items")
    counties = len(data["common"])
    if html["common"].count('data-testid="common-county"') != counties:
        harness.fail(f"the common problems page does not show the {counties} counties")
    compare = html["compare"]
    if 'data-testid="compare-table"' not in compare:
        harness.fail("the compare page shows no comparison")
    rows = compare.split('data-testid="compare-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    compared = len(data["comparison"]["rows"])  # the counties complete in both campaigns
    if not compared or rows.count("<tr>") != compared:
        harness.fail(f"the compare page shows {rows.count('<tr>')} rows, expected {compared}")
    charts = html["charts"]
    start = charts.index('id="chart-data"')
    payload = charts[charts.index(">", start) + 1 : charts.index("</script>", start)]
    chart = json.loads(payload)
    if len(chart["ranking"]) != n["targets"] or sum(chart["problems"]) != total:
        harness.fail("the charts page's data does not hold every target and problem")


def _measure(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model
    from django.urls import path, reverse
    from django.utils import timezone

    from assessment.models import Campaign, ChecklistItem

    started = time.perf_counter()
    world = build_world(args.scale, args.seed)
    build_seconds = time.perf_counter() - started
    pk = world["campaign"]
    reviewer = get_user_model().objects.get(pk=world["reviewer"])
    today = timezone.localdate()

    # The baseline computes what the application computes.
    item = ChecklistItem.objects.filter(campaign_id=pk).order_by("order").first()
    data = baseline_aggregates(pk, reviewer, today, item_pk=item.pk)
    if data is None or data["comparison"] is None:
        harness.fail("the baseline found no campaign or no previous campaign")
    found = differences(app_view_of(Campaign.objects.get(pk=pk), today, item), baseline_view_of(data))
    if found:
        harness.fail("the baseline's aggregates differ from the application's:\n  " + "\n  ".join(found[:10]))

    baseline = path("bench/campaigns/<int:pk>/dashboard/<str:part>/", baseline_view, name="bench_baseline")
    with harness.signed_in_client("dashboard", [baseline], reviewer) as get:
        urls = {
            name: reverse(route, args=[pk, item.pk] if name == "common" else [pk]) for name, route in PAGES
        }
        urls.update({f"base:{name}": f"/bench/campaigns/{pk}/dashboard/{name}/" for name, _route in PAGES})
        urls["base:common"] += f"?item={item.pk}"

        html = {name: get(url).content.decode() for name, url in urls.items()}
        _check_pages(html, world, data)
        measured = harness.measure_urls(
            get, urls, warmup=args.warmup, requests=args.requests, order=_rotation
        )

        if args.profile:
            slowest = args.profile
            if slowest == "slowest":
                slowest = max(PART_NAMES, key=lambda n: statistics.median(measured.ms[n]))
            with harness.profiled(f"profile of 5 requests of the {slowest} page at {args.scale:g}x", 45, 30):
                for _ in range(5):
                    get(urls[slowest])
        if args.show_queries:
            for name, queries in measured.queries.items():
                harness.print_queries(
                    f"the {name} page's {len(queries)} queries at {args.scale:g}x", queries, 400
                )

    harness.emit(
        {
            "phase": "measure",
            "scale": args.scale,
            "build_seconds": build_seconds,
            "sizes": world["sizes"],
            "totals": world["totals"],
            "queries": {name: len(q) for name, q in measured.queries.items()},
            "sql_ms": {name: sum(float(x["time"]) for x in q) * 1000 for name, q in measured.queries.items()},
            "ms": measured.ms,
            "cpu_ms": {name: measured.cpu[name] * 1000 / args.requests for name in urls},
            "kb": {name: len(h.encode()) / 1024 for name, h in html.items()},
        }
    )
    return 0


# -- the parent -----------------------------------------------------------------------------------


def _rotation(round_number: int, names: list[str]) -> list[str]:
    """Each round starts one URL further, forwards on even rounds and backwards on odd ones."""
    k = round_number % len(names)
    order = names[k:] + names[:k]
    return order if round_number % 2 == 0 else order[::-1]


def _options(args: argparse.Namespace, scale: float = 1.0) -> list[str]:
    """A child's options, after ``--phase``."""
    options = ["--scale", f"{scale:g}", "--requests", str(args.requests), "--warmup", str(args.warmup)]
    options += ["--seed", str(args.seed)]
    if args.profile and scale == 1:
        options += ["--profile", args.profile]
    if args.show_queries and scale == 1:
        options.append("--show-queries")
    return options


def parent_main(args: argparse.Namespace) -> int:
    load_initial = harness.load_average()
    with (
        harness.temporary_directory("dashboard", keep=args.keep) as directory,
        harness.fresh_databases(directory, "dashboard", keep=args.keep) as databases,
    ):
        harness.run_child(__file__, "migrate", databases.template_url(), _options(args))
        print(f"database: {databases.engine}, a fresh migrated copy per data size")

        results: dict[float, dict] = {}
        for scale in args.scales:
            name = f"x{scale:g}".replace(".", "_")
            options = _options(args, scale)
            result = harness.run_fresh(databases, name, __file__, "measure", options, keep=args.keep)
            results[scale] = result
            t = result["totals"]
            print(
                f"  {scale:>4g}x: {t['targets']:,} targets in {result['sizes']['groups']} groups × {ITEMS} items,"
                f" {t['deductions']:,} deductions, {t['problems']:,} problems, {t['assessments']:,} assessments,"
                f" {t['audit']:,} audit entries ({t['all_deductions']:,} deductions and {t['all_problems']:,}"
                f" problems with the previous campaign's, {t['units']:,} units), built in"
                f" {result['build_seconds']:.1f} s"
            )
        return _report(args, databases.engine, results, load_initial)


def _report(args: argparse.Namespace, engine: str, results: dict[float, dict], load_initial: float) -> int:
    names = [n for n, _r in PAGES]
    print()
    print(
        f"bench dashboard — {engine}, median wall ms of {args.requests} requests each after"
        f" {args.warmup} warm-up, signed in as the campaign's reviewer"
    )
    for scale in args.scales:
        r = results[scale]
        print(
            f"  {f'{scale:g}x':<10}{'median':>8}{'p90':>8}{'CPU':>8}{'SQL':>7}{'queries':>9}{'KB':>7}"
            f"{'baseline':>10}{'queries':>9}{'KB':>7}{'ratio':>8}"
        )
        for name in names:
            med = statistics.median(r["ms"][name])
            base = f"base:{name}"
            base_med = statistics.median(r["ms"][base])
            print(
                f"  {name:<10}{med:>8.1f}{harness.quantile(r['ms'][name], 0.9):>8.1f}{r['cpu_ms'][name]:>8.1f}"
                f"{r['sql_ms'][name]:>7.0f}{r['queries'][name]:>9}{r['kb'][name]:>7.0f}"
                f"{base_med:>10.1f}{r['queries'][base]:>9}{r['kb'][base]:>7.0f}{med / base_med:>7.2f}x"
            )
    print(
        "  (ms: median and 90th percentile wall time of client.get, the process's mean CPU time per request,"
        " the SQL's share as the query log times it; baseline: the same page's aggregates from raw SQL as JSON)"
    )

    one = results[1.0]
    medians = {name: statistics.median(one["ms"][name]) for name in names}
    ratios = {name: medians[name] / statistics.median(one["ms"][f"base:{name}"]) for name in names}
    slowest = max(names, key=lambda n: medians[n])
    page_ms = medians[slowest]
    ratio = ratios[slowest]
    counts = {name: {f"{s:g}x": results[s]["queries"][name] for s in args.scales} for name in names}
    unequal = [name for name in names if len(set(counts[name].values())) > 1]
    queries = max(max(c.values()) for c in counts.values())
    checks = [
        (f"queries equal at {' and '.join(f'{s:g}x' for s in args.scales)}", not unequal),
        (f"queries ≤ {TARGET_QUERIES}", queries <= TARGET_QUERIES),
        (f"ratio ≤ {TARGET_RATIO:g}x", ratio <= TARGET_RATIO),
        (f"time ≤ {TARGET_MS:g} ms", page_ms <= TARGET_MS),
    ]
    harness.print_load(load_initial)
    print(
        f"  headline: the slowest page at 1x ({slowest}, {page_ms:.0f} ms) against its baseline"
        f" ({ratio:.2f}x; the scores page {ratios['scores']:.2f}x); queries: the largest count of any page"
        f" at any size"
    )
    above = [f"{n} {ratios[n]:.2f}x" for n in names if ratios[n] > TARGET_RATIO]
    if above:
        print(f"  pages above {TARGET_RATIO:g}x their baseline at 1x: {', '.join(above)}")
    print(
        f"  targets: every page ≤ {TARGET_QUERIES} queries, the same at every size; at 1x the slowest page"
        f" ≤ {TARGET_MS:g} ms and ≤ {TARGET_RATIO:g}x its baseline"
    )
    if unequal:
        print("  query counts that grow with the data: " + "; ".join(f"{n} {counts[n]}" for n in unequal))
    return harness.verdict("dashboard", f"{ratio:.2f}x baseline, {page_ms:.0f} ms, {queries} queries", checks)


def _scales(text: str) -> list[float]:
    try:
        values = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if 1.0 not in values or len(values) < 2 or min(values) <= 0:
        raise argparse.ArgumentTypeError("two or more positive sizes, 1 among them (e.g. 0.1,1 or 1,10)")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--requests", type=int, default=15, help="timed requests of each URL (default 15)")
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed requests of each URL first (default 3)"
    )
    parser.add_argument(
        "--scales", type=_scales, default=[0.1, 1.0], help="data sizes, 1 = province scale (default 0.1,1)"
    )
    parser.add_argument("--seed", type=int, default=2025, help="seed of the generated data")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="slowest",
        choices=("slowest", *PART_NAMES, *(f"base:{n}" for n in PART_NAMES)),
        help="profile 5 more requests of a page at 1x (default: the slowest)",
    )
    parser.add_argument("--show-queries", action="store_true", help="print every page's SQL at 1x")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory and the databases, and print where"
    )
    parser.add_argument("--phase", choices=("migrate", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    return harness.dispatch(parser, argv, parent_main, harness.migrating(_measure), at_least={"requests": 1})


if __name__ == "__main__":
    sys.exit(main())
