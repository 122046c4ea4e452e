"""Benchmark: the workspace's items tab of a maximal target, against a bare ``.values()`` baseline.

Usage (from anywhere; the project root is put on sys.path):

    .venv/bin/python bench/workspace.py [--requests N] [--warmup N] [--seed N]
                                        [--profile] [--show-queries] [--keep]

A maximal target: a campaign of 40 checklist items × 5 criteria, a county whose
current draw holds 150 sampled units, 400 deductions, 300 problems and 40
evaluations (one per item) of 5 points each, spread over the items so that the
page rendered (item 1) holds 10 deductions, 8 problems and 5 points. The data is
made with bulk_create in a fresh migrated database, then, in a child process of
its own per data size (1× and 10×: ten times the deductions, problems and
points, for the same page):

* ``page``: GET /campaigns/targets/<pk>/items/<item_pk>/ through django.test.Client,
  signed in (force_login) as a member of the target's group, so with every
  edit affordance the member gets (the blank "add" forms load when opened);
* ``baseline``: a view defined here, mounted beside the application's URLs
  (same middleware, same test client), that fetches the same rows with
  ``.values()`` (the target, the side list of items, the item, its criteria,
  the deductions with their unit names, the evaluation and its points, the
  problems, the sampled units, which mark a finding elsewhere 非抽查单位 and
  are listed once as a select) and renders them once each with a minimal
  template string.

Each is requested ``--warmup`` times, then ``--requests`` times, alternating
page and baseline; the figures are median wall times of the ``client.get``
calls. The SQL queries of one request of each are counted with
CaptureQueriesContext. Targets: the page's query count the same at 1× and 10×
and at most 20; at 1×, the page's median at most 3× the baseline's and at most
150 ms. The last line of the output is

    bench workspace: <ratio>x baseline, <ms> ms, <n> queries — PASS|FAIL

and the exit code is 0 on PASS, 1 on FAIL (2 when the benchmark itself fails).

Databases as for import_units.py (``harness.fresh_databases``): a fresh copy
of a migrated template for every data size, SQLite, or PostgreSQL when
DATABASE_URL points at it.

``--profile`` adds, at 1×, 20 more page requests under cProfile (not counted)
and prints the top entries; ``--show-queries`` prints the SQL of one page
request at each size.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal

import harness  # bench/harness.py; puts the project root on sys.path
from fakes import CATEGORIES, PHRASES, sentence

SCALES = (1, 10)

TARGET_RATIO = 3.0
TARGET_MS = 150.0
TARGET_QUERIES = 20

# -- the maximal target ---------------------------------------------------------------------------

ITEMS = 40
CRITERIA_PER_ITEM = 5
DEDUCTIONS = 400  # 10 an item, one in ten not tied to a criterion
PROBLEMS = 300  # 8 on odd-numbered items, 7 on even ones
POINTS_PER_EVALUATION = 5
# The draw: 10 county organs, 5 institutions, 15 townships with 7 villages and 1 station each = 150.
SAMPLE = {"county_organs": 10, "county_institutions": 5, "townships": 15, "villages": 7, "stations": 1}
SAMPLED_UNITS = 150
# The county's roster, larger than its sample.
ORGANS, INSTITUTIONS, TOWNSHIPS, VILLAGES_PER_TOWNSHIP, STATIONS_PER_TOWNSHIP = 36, 18, 25, 20, 5

PAGE_ITEM_ORDER = 1  # the item rendered: an odd one, so 10 deductions, 8 problems, 5 points at 1×

PLACES = "东西南北上下大小新石青白黄金龙凤松柏桃李杨柳梅竹河江湖溪泉塘桥坪岭山峰岗安平兴和丰乐福寿永长宝华光明阳云霞"


def build_world(scale: int, seed: int) -> dict:
    """The maximal target at ``scale`` (1 or 10), made with bulk_create. Returns what the page needs."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from assessment.models import (
        AssessmentGroup,
        Campaign,
        CampaignReviewer,
        ChecklistItem,
        Criterion,
        Deduction,
        EvaluationPoint,
        GroupMember,
        ItemAssessment,
        Problem,
        SampleDraw,
        SampledUnit,
        Stratum,
        Target,
    )
    from units.models import Unit

    rng = random.Random(seed)
    Kind = Unit.Kind
    User = get_user_model()

    bulk = functools.partial(harness.bulk, batch_size=500)

    # The roster: a city, the county assessed, its organs, institutions, townships, villages, stations.
    city = Unit.objects.create(name="江州市", kind=Kind.CITY, ancestry="/")
    county = Unit.objects.create(
        name="青山县", kind=Kind.COUNTY, parent=city, ancestry=city.descendant_prefix
    )
    Unit.objects.create(name="白石区", kind=Kind.COUNTY, parent=city, ancestry=city.descendant_prefix)
    under = county.descendant_prefix
    organs = bulk(
        Unit,
        [
            Unit(name=f"青山县第{i + 1}局", kind=Kind.COUNTY_ORGAN, parent=county, ancestry=under)
            for i in range(ORGANS)
        ],
    )
    institutions = bulk(
        Unit,
        [
            Unit(name=f"青山县第{i + 1}中心", kind=Kind.COUNTY_INSTITUTION, parent=county, ancestry=under)
            for i in range(INSTITUTIONS)
        ],
    )
    townships = bulk(
        Unit,
        [
            Unit(name=f"{PLACES[i]}{PLACES[-i - 1]}镇", kind=Kind.TOWNSHIP, parent=county, ancestry=under)
            for i in range(TOWNSHIPS)
        ],
    )
    below: list = []
    for town in townships:
        for v in range(VILLAGES_PER_TOWNSHIP):
            below.append(
                Unit(
                    name=f"{PLACES[v]}{PLACES[(v * 7 + 3) % len(PLACES)]}村",
                    kind=Kind.VILLAGE,
                    parent=town,
                    ancestry=town.descendant_prefix,
                )
            )
        for s in range(STATIONS_PER_TOWNSHIP):
            below.append(
                Unit(
                    name=f"{town.name}第{s + 1}站",
                    kind=Kind.TOWNSHIP_STATION,
                    parent=town,
                    ancestry=town.descendant_prefix,
                )
            )
    below = bulk(Unit, below)
    villages = {t.pk: [u for u in below if u.parent_id == t.pk and u.kind == Kind.VILLAGE] for t in townships}
    stations = {
        t.pk: [u for u in below if u.parent_id == t.pk and u.kind == Kind.TOWNSHIP_STATION] for t in townships
    }

    people = bulk(
        User,
        [User(username="leader", name="钱组长"), User(username="reviewer", name="赵审核")]
        + [User(username=f"member{i}", name=f"组员{i}") for i in range(1, 5)],
    )
    leader, reviewer, members = people[0], people[1], people[2:]
    writers = [leader, *members]

    campaign = Campaign.objects.create(
        title="2025年度党建工作年终考核", year=2025, status=Campaign.Status.ACTIVE
    )
    CampaignReviewer.objects.create(campaign=campaign, user=reviewer)
    items = bulk(
        ChecklistItem,
        [
            ChecklistItem(
                campaign=campaign,
                order=i + 1,
                title=f"考核项目{i + 1}：{PHRASES[i % len(PHRASES)][:12]}",
                full_score=Decimal("2.5"),
                lead_department="市委组织部" if i % 3 == 0 else "",
            )
            for i in range(ITEMS)
        ],
    )
    criteria = bulk(
        Criterion,
        [
            Criterion(
                item=item,
                order=c + 1,
                text=f"评分细则{c + 1}：{sentence(rng, 2)}每发现一处扣0.1分，扣完为止。",
                points=Decimal("0.5"),
                method="资料印证、实地调研",
            )
            for item in items
            for c in range(CRITERIA_PER_ITEM)
        ],
    )
    criteria_of = {item.pk: [c for c in criteria if c.item_id == item.pk] for item in items}

    group = AssessmentGroup.objects.create(
        campaign=campaign, name="市委第一考核组", methods=["random_sampling", "document_check"]
    )
    bulk(
        GroupMember,
        [GroupMember(group=group, campaign=campaign, user=leader, role=GroupMember.Role.LEADER)]
        + [GroupMember(group=group, campaign=campaign, user=m) for m in members],
    )
    target = Target.objects.create(campaign=campaign, group=group, unit=county)

    # The current draw: 150 sampled units.
    draw = SampleDraw.objects.create(
        target=target, seed=20250115, plan={"counts": SAMPLE}, drawn_by=leader, reason=""
    )
    rows: list = []
    for unit in organs[: SAMPLE["county_organs"]]:
        rows.append((unit, Stratum.COUNTY_ORGAN, None))
    for unit in institutions[: SAMPLE["county_institutions"]]:
        rows.append((unit, Stratum.COUNTY_INSTITUTION, None))
    sampled_towns = townships[: SAMPLE["townships"]]
    rows.extend((town, Stratum.TOWNSHIP, None) for town in sampled_towns)
    for town in sampled_towns:
        rows.extend((v, Stratum.VILLAGE, town) for v in villages[town.pk][: SAMPLE["villages"]])
        rows.extend((s, Stratum.TOWNSHIP_STATION, town) for s in stations[town.pk][: SAMPLE["stations"]])
    assert len(rows) == SAMPLED_UNITS, len(rows)
    bulk(
        SampledUnit,
        [
            SampledUnit(draw=draw, unit=unit, stratum=stratum, township=town, position=position)
            for position, (unit, stratum, town) in enumerate(rows)
        ],
    )
    sampled = [unit for unit, _s, _t in rows]

    def unit_or_none():
        return rng.choice(sampled) if rng.random() < 0.7 else None

    # Deductions: 10 an item (× scale); one in ten not tied to a criterion.
    per_item = DEDUCTIONS // ITEMS * scale
    bulk(
        Deduction,
        [
            Deduction(
                target=target,
                item=item,
                criterion=None if k % 10 == 9 else criteria_of[item.pk][k % CRITERIA_PER_ITEM],
                unit=unit_or_none(),
                points=Decimal("0.01") * rng.randint(1, 2),
                reason=f"{sentence(rng, 2)}（第{k + 1}处）",
                created_by=(writer := rng.choice(writers)),
                updated_by=writer,
            )
            for item in items
            for k in range(per_item)
        ],
    )
    # Problems: 8 on odd-numbered items, 7 on even ones (× scale): 300 at 1×.
    problems = []
    for item in items:
        for k in range((8 if item.order % 2 else 7) * scale):
            writer = rng.choice(writers)
            problems.append(
                Problem(
                    target=target,
                    item=item,
                    unit=unit_or_none(),
                    position=k,
                    text=f"{sentence(rng, 2)}涉及{rng.randint(2, 9)}个党支部。",
                    category=rng.choice(CATEGORIES),
                    owner_unit=rng.choice(("县委组织部", "县直机关工委", "")),
                    deadline=timezone.localdate() + timedelta(days=rng.randint(30, 120)) if k % 2 else None,
                    rectification=rng.choice(("open", "in_progress", "done")),
                    rectification_note="已制定整改方案，正在推进。" if k % 3 == 0 else "",
                    created_by=writer,
                    updated_by=writer,
                )
            )
    bulk(Problem, problems)
    # One evaluation per item: its lead, 5 points (× scale); half the scores confirmed.
    now = timezone.now()
    assessments = bulk(
        ItemAssessment,
        [
            ItemAssessment(
                target=target,
                item=item,
                lead="青山县围绕新时代党的建设总要求，" + sentence(rng, 4) * 2,
                score_decided_at=now if item.order % 2 else None,
                score_decided_by=leader if item.order % 2 else None,
                updated_by=leader,
            )
            for item in items
        ],
    )
    ordinals = "一二三四五六七八九十"
    bulk(
        EvaluationPoint,
        [
            EvaluationPoint(
                assessment=assessment,
                position=k,
                headline=f"{ordinals[k % 10]}是{PHRASES[k % len(PHRASES)][:10]}",
                body=sentence(rng, 3),
                updated_by=rng.choice(writers),
            )
            for assessment in assessments
            for k in range(POINTS_PER_EVALUATION * scale)
        ],
    )

    page_item = items[PAGE_ITEM_ORDER - 1]
    return {
        "target": target.pk,
        "item": page_item.pk,
        "member": members[0].pk,
        "expect": {
            "deductions": per_item,
            "problems": (8 if page_item.order % 2 else 7) * scale,
            "points": POINTS_PER_EVALUATION * scale,
        },
        "totals": {
            "deductions": Deduction.objects.count(),
            "problems": Problem.objects.count(),
            "points": EvaluationPoint.objects.count(),
            "sampled": SampledUnit.objects.count(),
            "units": Unit.objects.count(),
        },
    }


# -- the baseline view ----------------------------------------------------------------------------

BASELINE_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ target.unit__name }} · {{ target.campaign__title }}</title></head>
<body>
<h1>{{ target.unit__name }} <span>{{ target.status }}</span></h1>
<p>{{ target.campaign__title }} · {{ target.group__name }}</p>
<nav>{% for i in items %}<a href="/campaigns/targets/{{ target.pk }}/items/{{ i.pk }}/">（{{ i.order }}）{{ i.title }} {{ i.deducted|default:0 }}/{{ i.full_score }}</a>
{% endfor %}</nav>
<h2>（{{ item.order }}）{{ item.title }}</h2><p>{{ item.lead_department }} 满分{{ item.full_score }}分</p>
{% for c in criteria %}<div><p>{{ c.order }}. {{ c.text }} {{ c.points }}</p><ul>
{% for d in c.deductions %}<li data-d>−{{ d.points }} {{ d.unit__name|default:"" }}{% if d.unit_id and d.unit_id not in sampled %} 非抽查单位{% endif %} {{ d.reason|linebreaksbr }} <small>{{ d.updated_by__name }} · {{ d.updated_at|date:"n月j日 H:i" }}</small></li>
{% endfor %}</ul></div>
{% endfor %}
<section><p>{{ assessment.lead|linebreaksbr }}</p><ol>
{% for p in points %}<li data-pt><strong>{{ p.headline }}</strong>。{{ p.body|linebreaksbr }}</li>
{% endfor %}</ol></section>
<section><ol>
{% for p in problems %}<li data-p>{{ p.text|linebreaksbr }} {{ p.unit__name|default:"" }}{% if p.unit_id and p.unit_id not in sampled %} 非抽查单位{% endif %} {{ p.category }} {{ p.rectification }} {{ p.owner_unit }} {{ p.deadline|date:"Y年n月j日" }} {{ p.rectification_note }} <small>{{ p.updated_by__name }} · {{ p.updated_at|date:"n月j日 H:i" }}</small></li>
{% endfor %}</ol></section>
<select name="unit"><option value="">（不指定单位）</option>
{% for s in sample %}<option value="{{ s.unit_id }}">{{ s.unit__name }}{% if s.township__name %}（{{ s.township__name }}）{% endif %}</option>
{% endfor %}</select>
</body></html>
"""

_compiled = None


def baseline_view(request, pk: int, item_pk: int):
    """The same rows as the items tab, with .values(), rendered once each by a minimal template."""
    global _compiled
    from django.db.models import Sum
    from django.http import HttpResponse
    from django.template import Context, Template

    from assessment.models import (
        ChecklistItem,
        Criterion,
        Deduction,
        EvaluationPoint,
        ItemAssessment,
        Problem,
        SampleDraw,
        SampledUnit,
        Target,
    )

    if _compiled is None:
        _compiled = Template(BASELINE_TEMPLATE)
    target = Target.objects.values(
        "pk", "status", "campaign_id", "unit__name", "campaign__title", "group__name"
    ).get(pk=pk)
    deducted = dict(
        Deduction.objects.filter(target_id=pk)
        .values("item")
        .annotate(s=Sum("points"))
        .values_list("item", "s")
    )
    items = list(
        ChecklistItem.objects.filter(campaign_id=target["campaign_id"])
        .order_by("order")
        .values("pk", "order", "title", "full_score", "lead_department")
    )
    for i in items:
        i["deducted"] = deducted.get(i["pk"])
    item = next(i for i in items if i["pk"] == item_pk)
    criteria = list(
        Criterion.objects.filter(item_id=item_pk).order_by("order").values("pk", "order", "text", "points")
    )
    deductions = list(
        Deduction.objects.filter(target_id=pk, item_id=item_pk)
        .order_by("pk")
        .values(
            "pk",
            "criterion_id",
            "points",
            "reason",
            "unit_id",
            "unit__name",
            "updated_by__name",
            "updated_at",
        )
    )
    by_criterion: dict = {}
    for d in deductions:
        by_criterion.setdefault(d["criterion_id"], []).append(d)
    for c in criteria:
        c["deductions"] = by_criterion.get(c["pk"], [])
    if None in by_criterion:
        criteria.append(
            {"order": "", "text": "未对应评分细则的扣分", "points": "", "deductions": by_criterion[None]}
        )
    assessment = ItemAssessment.objects.filter(target_id=pk, item_id=item_pk).values("pk", "lead").first()
    points = list(
        EvaluationPoint.objects.filter(assessment__target_id=pk, assessment__item_id=item_pk)
        .order_by("position", "pk")
        .values("headline", "body")
    )
    problems = list(
        Problem.objects.filter(target_id=pk, item_id=item_pk)
        .order_by("position", "pk")
        .values(
            "text",
            "unit_id",
            "unit__name",
            "category",
            "rectification",
            "owner_unit",
            "deadline",
            "rectification_note",
            "updated_by__name",
            "updated_at",
        )
    )
    draw = (
        SampleDraw.objects.filter(target_id=pk).order_by("-drawn_at", "-pk").values_list("pk", flat=True)[:1]
    )
    # The sample, listed as the unit selects of the forms once were (kept so that the figures
    # stay comparable with earlier runs), and its units' ids, to mark a finding elsewhere 非抽查单位.
    sample = list(
        SampledUnit.objects.filter(draw_id__in=draw)
        .order_by("position")
        .values("unit_id", "unit__name", "township__name")
    )
    sampled = {s["unit_id"] for s in sample}
    context = {
        "target": target,
        "items": items,
        "item": item,
        "criteria": criteria,
        "assessment": assessment,
        "points": points,
        "problems": problems,
        "sample": sample,
        "sampled": sampled,
    }
    return HttpResponse(_compiled.render(Context(context)))


def _count(html: str, marker: str) -> int:
    return html.count(marker)


def _measure(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model
    from django.urls import path

    started = time.perf_counter()
    world = build_world(args.scale, args.seed)
    build_seconds = time.perf_counter() - started

    baseline = path("bench/targets/<int:pk>/items/<int:item_pk>/", baseline_view, name="bench_baseline")
    member = get_user_model().objects.get(pk=world["member"])
    with harness.signed_in_client("workspace", [baseline], member) as get:
        urls = {
            "page": f"/campaigns/targets/{world['target']}/items/{world['item']}/",
            "base": f"/bench/targets/{world['target']}/items/{world['item']}/",
        }
        expect = world["expect"]

        # What each shows, checked once: the page must render the item's share of the data.
        page_html = get(urls["page"]).content.decode()
        base_html = get(urls["base"]).content.decode()
        shown = {
            "deductions": _count(page_html, 'data-testid="deduction"'),
            "problems": _count(page_html, 'data-testid="problem"'),
            "points": _count(page_html, 'data-testid="evaluation-point"'),
        }
        base_shown = {
            "deductions": _count(base_html, "<li data-d>"),
            "problems": _count(base_html, "<li data-p>"),
            "points": _count(base_html, "<li data-pt>"),
        }
        if shown != expect or base_shown != expect:
            print(f"rows shown: page {shown}, baseline {base_shown}; expected {expect}", file=sys.stderr)
            raise SystemExit(2)
        options = page_html.count("<option")

        measured = harness.measure_urls(get, urls, warmup=args.warmup, requests=args.requests)
        page_queries = measured.queries["page"]

        if args.profile:
            with harness.profiled(f"profile of 20 page requests at {args.scale}x", 40, 25):
                for _ in range(20):
                    get(urls["page"])
        if args.show_queries:
            harness.print_queries(
                f"the page's {len(page_queries)} queries at {args.scale}x", page_queries, 300
            )

    harness.emit(
        {
            "phase": "measure",
            "scale": args.scale,
            "build_seconds": build_seconds,
            "totals": world["totals"],
            "shown": shown,
            "page_queries": len(page_queries),
            "base_queries": len(measured.queries["base"]),
            "page_ms": measured.ms["page"],
            "base_ms": measured.ms["base"],
            "page_cpu_ms": measured.cpu["page"] * 1000 / args.requests,
            "base_cpu_ms": measured.cpu["base"] * 1000 / args.requests,
            "page_bytes": len(page_html.encode()),
            "base_bytes": len(base_html.encode()),
            "options": options,
        }
    )
    return 0


# -- the parent -----------------------------------------------------------------------------------


def _options(args: argparse.Namespace, scale: int = 1) -> list[str]:
    """A child's options, after ``--phase``."""
    options = ["--scale", str(scale), "--requests", str(args.requests), "--warmup", str(args.warmup)]
    options += ["--seed", str(args.seed)]
    if args.profile and scale == 1:
        options.append("--profile")
    if args.show_queries:
        options.append("--show-queries")
    return options


def parent_main(args: argparse.Namespace) -> int:
    load_initial = harness.load_average()
    with (
        harness.temporary_directory("workspace", keep=args.keep) as directory,
        harness.migrated_databases(
            directory, "workspace", __file__, _options(args), per="data size"
        ) as databases,
    ):
        results: dict[int, dict] = {}
        for scale in SCALES:
            result = harness.run_fresh(databases, f"x{scale}", __file__, "measure", _options(args, scale))
            results[scale] = result
            t = result["totals"]
            print(
                f"  {scale:>2}x: {t['deductions']:,} deductions, {t['problems']:,} problems,"
                f" {t['points']:,} points, {t['sampled']} sampled units ({t['units']} units),"
                f" built in {result['build_seconds']:.1f} s; the page shows"
                f" {result['shown']['deductions']} deductions, {result['shown']['problems']} problems,"
                f" {result['shown']['points']} points"
            )
        return _report(args, databases.engine, results, load_initial)


def _report(args: argparse.Namespace, engine: str, results: dict[int, dict], load_initial: float) -> int:
    print()
    print(
        f"bench workspace — {engine}, the items tab of a maximal target,"
        f" median of {args.requests} requests each after {args.warmup} warm-up"
    )
    print(
        f"  {'':<26}{'page':>9}{'baseline':>10}{'ratio':>8}{'queries':>9}{'base q':>8}{'KB':>7}{'<option>':>10}"
    )
    for scale in SCALES:
        r = results[scale]
        page_ms, base_ms = statistics.median(r["page_ms"]), statistics.median(r["base_ms"])
        print(
            f"  {f'{scale}x, median ms':<26}{page_ms:>9.1f}{base_ms:>10.1f}{page_ms / base_ms:>7.2f}x"
            f"{r['page_queries']:>9}{r['base_queries']:>8}{r['page_bytes'] / 1024:>7.0f}{r['options']:>10}"
        )
        print(
            f"  {f'{scale}x, CPU ms a request':<26}{r['page_cpu_ms']:>9.1f}{r['base_cpu_ms']:>10.1f}"
            f"{r['page_cpu_ms'] / r['base_cpu_ms']:>7.2f}x"
        )
        print(
            f"  {f'{scale}x, page p10–p90 ms':<26}{harness.quantile(r['page_ms'], 0.1):>9.1f}–"
            f"{harness.quantile(r['page_ms'], 0.9):.1f}"
        )

    one = results[1]
    page_ms, base_ms = statistics.median(one["page_ms"]), statistics.median(one["base_ms"])
    ratio = page_ms / base_ms
    counts = {scale: results[scale]["page_queries"] for scale in SCALES}
    queries = counts[1]
    checks = [
        ("queries equal at 1x and 10x", len(set(counts.values())) == 1),
        (f"queries ≤ {TARGET_QUERIES}", max(counts.values()) <= TARGET_QUERIES),
        (f"ratio ≤ {TARGET_RATIO:g}x", ratio <= TARGET_RATIO),
        (f"time ≤ {TARGET_MS:g} ms", page_ms <= TARGET_MS),
    ]
    harness.print_load(load_initial)
    print("  targets (1x): queries equal at 1x and 10x and ≤ 20; page ≤ 3x baseline and ≤ 150 ms")
    return harness.verdict("workspace", f"{ratio:.2f}x baseline, {page_ms:.0f} ms, {queries} queries", checks)


def main(argv: list[str] | None = None) -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--requests", type=int, default=30, help="timed requests of each (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests of each first (default 5)")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the generated texts")
    parser.add_argument("--profile", action="store_true", help="profile 20 more page requests at 1x")
    parser.add_argument("--show-queries", action="store_true", help="print the page's SQL at each size")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    parser.add_argument("--phase", choices=("migrate", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    return harness.dispatch(parser, argv, parent_main, harness.migrating(_measure), at_least={"requests": 1})


if __name__ == "__main__":
    sys.exit(main())
