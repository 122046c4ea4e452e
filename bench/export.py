"""Benchmark: the Word report of a maximal target, against a bare python-docx baseline, and a batch.

Usage (from anywhere; the project root is put on sys.path):

    .venv/bin/python bench/export.py [--repeat N] [--batch N] [--seed N] [--keep] [--profile]

A maximal target: a campaign of 40 checklist items, and a county with 400 deductions,
300 problems, 40 evaluations of 5 points each (200 points), 20 typical examples and 20
recommendations, in long Chinese texts of the kind groups write (the demo's texts
recombined with stock phrases of the genre), plus a sampled roster the findings name.
``--batch`` counties (default 150) get the same shape, all made with bulk_create in a
fresh migrated database. Then, in this process:

* ``export``: ``render_docx(build_report(target))`` on the first county, ``--repeat``
  times (default 5); the build (the queries and the texts) and the render (python-docx
  and the zip) are timed apart;
* ``baseline``: a bare python-docx script writing the same paragraphs (the context's
  blocks) with the same formatting (page size and margins; fonts named in ascii, hAnsi
  and eastAsia; sizes; bold; alignment; first-line indents; fixed line spacing) and
  saving to bytes, ``--repeat`` times, alternating with the export;
* ``batch``: every county's report built and rendered, one after the other.

Targets: the render's median at most 1.3× the baseline's; build + render (the export
a user waits for) at most 1.5 s; the whole batch at most 3 minutes. The last line is

    bench export: <ratio>x baseline, <seconds> s — PASS|FAIL

(<seconds>: the median build + render) and the exit code is 0 on PASS, 1 on FAIL,
2 when the benchmark itself fails.

The database is a fresh SQLite file in a temporary directory, unless DATABASE_URL
points at PostgreSQL (e.g. under ``tests/pgcluster.py``): then a database is created
for the run and dropped afterwards; the role needs CREATEDB. Any other DATABASE_URL is
ignored, so the benchmark never touches a real database.

``--profile`` adds one export under cProfile (not counted) and prints its top entries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import harness  # bench/harness.py; puts the project root on sys.path

TARGET_RATIO = 1.3
TARGET_SECONDS = 1.5
TARGET_BATCH_SECONDS = 180.0

ITEMS = 40
DEDUCTIONS = 400  # 10 an item
PROBLEMS = 300  # 8 on odd-numbered items, 7 on even ones
POINTS_PER_ITEM = 5  # 200 evaluation points
EXAMPLES = 20
RECOMMENDATIONS = 20

# -- texts ----------------------------------------------------------------------------------------

ITEM_TITLES = (
    "落实全面从严治党主体责任",
    "党的统一战线工作和民族宗教工作",
    "老干部工作",
    "落实网络安全工作责任制",
    "意识形态工作责任制落实情况",
    "基层党组织标准化规范化建设",
    "党员教育管理监督",
    "干部队伍建设和人才工作",
    "党风廉政建设和反腐败工作",
    "机关党建工作",
    "非公有制经济组织和社会组织党建",
    "抓党建促乡村振兴",
    "城市基层党建",
    "党史学习教育常态化长效化",
    "巡视巡察整改落实",
    "精神文明建设",
    "平安建设和基层治理",
    "群团工作",
    "保密工作",
    "党内法规制度建设",
)
WHERE = (
    "抽查的{unit}",
    "{unit}",
    "经查阅{unit}近一年会议记录，",
    "实地走访{unit}发现，",
)
FAULTS = (
    "全面从严治党主体责任清单照搬上级清单，未结合本单位职能和行业特点细化分解，责任落实流于形式",
    "“三会一课”记录不规范，部分党支部全年讲党课不足4次，支部委员会会议记录缺少议题和决定事项",
    "发展党员程序不规范，2名发展对象政治审查材料缺失，入党志愿书填写不完整、签字不全",
    "组织生活会会前谈心谈话记录缺失，对照检查材料问题查摆不深不实，批评与自我批评辣味不足",
    "党费收缴台账与实际收缴情况不符，存在少缴、漏缴现象，未按规定每年公布一次党费收缴情况",
    "主题党日活动形式单一，以集中学习文件为主，全年仅开展5次，未做到按月开展",
    "软弱涣散基层党组织整顿方案针对性不强，整顿措施落实不到位，整顿成效不明显",
    "意识形态工作责任制落实不够有力，未按要求每半年开展一次意识形态领域形势分析研判",
    "村级后备力量培养储备不足，35岁以下村级后备干部仅1名，年龄结构老化问题突出",
    "党务公开内容更新不及时，公开栏张贴的仍为上一年度内容，群众知晓率不高",
    "巡察反馈问题整改不到位，整改台账未逐项对账销号，部分问题整改时限已过仍未完成",
    "门户网站未开展网络安全等级保护测评，后台管理系统存在弱口令，存在较大安全隐患",
    "离退休干部党支部活动不够经常，组织生活内容单一，对老同志的关心关爱不够到位",
    "统战工作领导小组未按要求召开会议专题研究工作，党外代表人士队伍建设规划未制定",
    "村级集体经济发展思路不清，经营性收入不足5万元，镇党委未制定有针对性的帮扶计划",
)
EVIDENCE = (
    "涉及{n}个党支部",
    "抽查{n}份档案中有{m}份存在此问题",
    "相关情况已当场向单位主要负责同志反馈",
    "单位负责同志对问题无异议",
    "该问题在上年度考核中已指出，今年仍未整改到位",
)
HEADLINES = (
    "领导重视到位，保障有力",
    "组织引导到位，服务大局",
    "待遇落实到位，精准服务",
    "凝聚人心有声势",
    "服务发展有作为",
    "维稳促和有成效",
    "县委高度重视，切实担负起主体责任",
    "突出重点工作，保障建党百年网站安全",
    "加强宣传教育，增强全民网络安全意识",
    "以实际行动拥护两个确立、做到两个维护",
)
RECOMMENDATION_HEADLINES = (
    "进一步强化工作统筹",
    "进一步打响党建品牌",
    "进一步夯实基层基础",
    "进一步加强队伍建设",
    "进一步压实工作责任",
    "进一步健全长效机制",
    "进一步抓好问题整改",
)


def _long_texts() -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Sentences of the genre, from the demo's texts: for leads and bodies."""
    from assessment.demo import findings_data as data

    leads = [lead for _who, lead, _points in data.QS_EVALUATIONS.values()]
    leads += [lead for _who, lead, _points in data.LS_EVALUATIONS.values()]
    bodies = [body for _who, _lead, points in data.QS_EVALUATIONS.values() for _h, body in points]
    bodies += [body for _who, _lead, points in data.LS_EVALUATIONS.values() for _h, body in points]
    examples = [(title, body) for title, body, _unit in data.QS_EXAMPLES]
    return leads, bodies, examples


def _sentences(rng: random.Random, pool: list[str], count: int) -> str:
    """``count`` sentences picked from the texts of ``pool``."""
    sentences = [s + "。" for text in pool for s in text.split("。") if len(s) > 12]
    return "".join(rng.sample(sentences, count))


def _reason(rng: random.Random, unit_name: str) -> str:
    where = rng.choice(WHERE).format(unit=unit_name)
    evidence = rng.choice(EVIDENCE).format(n=rng.randint(2, 9), m=rng.randint(1, 3))
    return f"{where}{rng.choice(FAULTS)}，{evidence}。"


# -- the data -------------------------------------------------------------------------------------


def build_world(targets: int, seed: int) -> list[int]:
    """``targets`` counties assessed in one campaign, each a maximal target. Returns their pks."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from assessment.models import (
        AssessmentGroup,
        Campaign,
        ChecklistItem,
        Criterion,
        Deduction,
        EvaluationPoint,
        GroupMember,
        ItemAssessment,
        Problem,
        Recommendation,
        SampleDraw,
        SampledUnit,
        Stratum,
        Target,
        TypicalExample,
    )
    from units.models import Unit

    rng = random.Random(seed)
    Kind = Unit.Kind
    leads, bodies, example_texts = _long_texts()
    bulk = harness.bulk

    city = Unit.objects.create(name="江州市", kind=Kind.CITY, ancestry="/")
    counties = bulk(
        Unit,
        [
            Unit(name=f"第{i + 1}县", kind=Kind.COUNTY, parent=city, ancestry=city.descendant_prefix)
            for i in range(targets)
        ],
    )
    # Each county: 10 organs, 5 institutions, 4 townships with 3 villages and a station each.
    upper = []
    for county in counties:
        prefix = county.descendant_prefix
        upper += [
            Unit(name=f"{county.name}第{k + 1}局", kind=Kind.COUNTY_ORGAN, parent=county, ancestry=prefix)
            for k in range(10)
        ]
        upper += [
            Unit(
                name=f"{county.name}第{k + 1}中心",
                kind=Kind.COUNTY_INSTITUTION,
                parent=county,
                ancestry=prefix,
            )
            for k in range(5)
        ]
        upper += [
            Unit(name=f"{'东西南北'[k]}河镇", kind=Kind.TOWNSHIP, parent=county, ancestry=prefix)
            for k in range(4)
        ]
    upper = bulk(Unit, upper)
    lower = []
    for town in (u for u in upper if u.kind == Kind.TOWNSHIP):
        prefix = town.descendant_prefix
        lower += [
            Unit(name=f"{'上中下'[k]}{town.name[0]}村", kind=Kind.VILLAGE, parent=town, ancestry=prefix)
            for k in range(3)
        ]
        lower.append(
            Unit(name=f"{town.name}便民服务中心", kind=Kind.TOWNSHIP_STATION, parent=town, ancestry=prefix)
        )
    lower = bulk(Unit, lower)
    under: dict[int, list] = {}
    for unit in upper + lower:
        under.setdefault(unit.parent_id, []).append(unit)

    User = get_user_model()
    leader, member = bulk(
        User, [User(username="leader", name="钱组长"), User(username="member", name="李组员")]
    )
    campaign = Campaign.objects.create(
        title="2021年度党建工作年终考核",
        year=2021,
        status=Campaign.Status.ACTIVE,
        period_start=dt.date(2022, 1, 10),
        period_end=dt.date(2022, 1, 25),
    )
    items = bulk(
        ChecklistItem,
        [
            ChecklistItem(
                campaign=campaign,
                order=i + 1,
                title=ITEM_TITLES[i % len(ITEM_TITLES)] + ("" if i < len(ITEM_TITLES) else "（续）"),
                full_score=Decimal("2.5"),
            )
            for i in range(ITEMS)
        ],
    )
    criteria = bulk(
        Criterion,
        [
            Criterion(item=item, order=c + 1, text=f"{FAULTS[c]}的，每处扣0.1分。")
            for item in items
            for c in range(5)
        ],
    )
    criteria_of = {item.pk: [c for c in criteria if c.item_id == item.pk] for item in items}
    groups = bulk(
        AssessmentGroup,
        [
            AssessmentGroup(
                campaign=campaign,
                name=f"市委第{i + 1}考核组",
                start_date=dt.date(2022, 1, 10),
                end_date=dt.date(2022, 1, 14),
                methods=["random_sampling", "document_check", "field_research", "individual_visit"],
            )
            for i in range(targets)
        ],
    )
    GroupMember.objects.create(group=groups[0], campaign=campaign, user=leader, role=GroupMember.Role.LEADER)
    GroupMember.objects.create(group=groups[0], campaign=campaign, user=member)
    now = timezone.now()
    target_rows = bulk(
        Target,
        [
            Target(
                campaign=campaign,
                group=group,
                unit=county,
                narrative="\n".join(_sentences(rng, leads + bodies, 4) for _ in range(3)),
                narrative_updated_at=now,
            )
            for group, county in zip(groups, counties, strict=True)
        ],
    )
    draws = bulk(
        SampleDraw, [SampleDraw(target=t, seed=20220110, plan={}, drawn_by=leader) for t in target_rows]
    )
    stratum_of = {
        Kind.COUNTY_ORGAN: Stratum.COUNTY_ORGAN,
        Kind.COUNTY_INSTITUTION: Stratum.COUNTY_INSTITUTION,
        Kind.TOWNSHIP: Stratum.TOWNSHIP,
        Kind.VILLAGE: Stratum.VILLAGE,
        Kind.TOWNSHIP_STATION: Stratum.TOWNSHIP_STATION,
    }

    sampled_rows, deductions, problems, assessments, examples, recommendations = [], [], [], [], [], []
    for target, draw, county in zip(target_rows, draws, counties, strict=True):
        units = list(under[county.pk])
        for town in [u for u in units if u.kind == Kind.TOWNSHIP]:
            units += under[town.pk]
        for position, unit in enumerate(units):
            township = unit.parent if unit.kind in (Kind.VILLAGE, Kind.TOWNSHIP_STATION) else None
            sampled_rows.append(
                SampledUnit(
                    draw=draw, unit=unit, stratum=stratum_of[unit.kind], township=township, position=position
                )
            )
        for item in items:
            for k in range(DEDUCTIONS // ITEMS):
                unit = rng.choice(units) if k % 4 else None
                deductions.append(
                    Deduction(
                        target=target,
                        item=item,
                        criterion=criteria_of[item.pk][k % 5],
                        unit=unit,
                        points=Decimal("0.1") if k % 3 else Decimal("0.2"),
                        reason=_reason(rng, unit.name if unit else county.name),
                        created_by=member,
                        updated_by=member,
                    )
                )
            for k in range(8 if item.order % 2 else 7):
                unit = rng.choice(units) if k % 3 else None
                problems.append(
                    Problem(
                        target=target,
                        item=item,
                        unit=unit,
                        position=k,
                        text=f"{unit.name if unit else '部分单位'}{rng.choice(FAULTS)}",
                        created_by=member,
                        updated_by=member,
                    )
                )
            assessments.append(
                ItemAssessment(target=target, item=item, lead=_sentences(rng, leads, 3), score_decided_at=now)
            )
        for k in range(EXAMPLES):
            title, body = example_texts[k % len(example_texts)]
            examples.append(
                TypicalExample(target=target, position=k, title=title, body=body + _sentences(rng, bodies, 2))
            )
        for k in range(RECOMMENDATIONS):
            headline = RECOMMENDATION_HEADLINES[k % len(RECOMMENDATION_HEADLINES)]
            recommendations.append(
                Recommendation(target=target, position=k, headline=headline, body=_sentences(rng, bodies, 2))
            )
    bulk(SampledUnit, sampled_rows)
    bulk(Deduction, deductions)
    bulk(Problem, problems)
    assessments = bulk(ItemAssessment, assessments)
    bulk(
        EvaluationPoint,
        [
            EvaluationPoint(
                assessment=assessment,
                position=k,
                headline=HEADLINES[(assessment.item_id + k) % len(HEADLINES)],
                body=_sentences(rng, bodies, 3),
            )
            for assessment in assessments
            for k in range(POINTS_PER_ITEM)
        ],
    )
    bulk(TypicalExample, examples)
    bulk(Recommendation, recommendations)
    return [t.pk for t in target_rows]


# -- the baseline ---------------------------------------------------------------------------------


def baseline_docx(blocks) -> bytes:
    """The same paragraphs with the same formatting, written with python-docx's own API only."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    looks = {  # kind: (font, size, bold, alignment, first-line indent)
        "title": ("方正小标宋简体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, None),
        "h1": ("黑体", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, Pt(32)),
        "h2": ("楷体_GB2312", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, Pt(32)),
        "h3": ("仿宋_GB2312", 16, True, WD_ALIGN_PARAGRAPH.JUSTIFY, Pt(32)),
        "body": ("仿宋_GB2312", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, Pt(32)),
        "signature": ("仿宋_GB2312", 16, False, WD_ALIGN_PARAGRAPH.RIGHT, None),
        "date": ("仿宋_GB2312", 16, False, WD_ALIGN_PARAGRAPH.RIGHT, None),
    }
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(37),
        Mm(35),
        Mm(28),
        Mm(26),
    )
    for block in blocks:
        font, size, bold, alignment, indent = looks[block.kind]
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = alignment
        fmt.first_line_indent = indent
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(35 if block.kind == "title" else 28.95)
        run = paragraph.add_run(block.text)
        run.font.name = font
        run.font.size = Pt(size)
        run.font.bold = bold
        run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


# -- the run --------------------------------------------------------------------------------------


def _check(data: bytes, context) -> None:
    """The file holds every block: a benchmark of a broken document would be worthless."""
    from docx import Document

    paragraphs = [p.text.replace("\n", "") for p in Document(io.BytesIO(data)).paragraphs if p.text]
    if paragraphs != [b.text for b in context.blocks]:
        harness.fail("the rendered document does not hold the context's blocks")


def _median_line(label: str, values: list[float]) -> str:
    runs = ", ".join(f"{v * 1000:.0f}" for v in values)
    return f"  {label:<22}{statistics.median(values) * 1000:>8.0f} ms   (runs: {runs})"


def run(args: argparse.Namespace, directory: Path, engine: str) -> int:
    import django

    django.setup()
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from assessment.models import Deduction, EvaluationPoint, Problem, Target
    from core.officialdoc import render_docx
    from reports.context import build_report

    started = time.perf_counter()
    harness.migrate()
    migrated = time.perf_counter()
    targets = build_world(max(1, args.batch), args.seed)
    built = time.perf_counter()
    first = Target.objects.get(pk=targets[0])
    print(
        f"migrated in {migrated - started:.1f} s; {len(targets)} maximal target(s) made in {built - migrated:.1f} s"
        f" ({Deduction.objects.count():,} deductions, {Problem.objects.count():,} problems,"
        f" {EvaluationPoint.objects.count():,} evaluation points)"
    )

    # Warm up (imports, first parse of the template), and check what is rendered.
    with CaptureQueriesContext(connection) as queries:
        context = build_report(first)
    data = render_docx(context)
    _check(data, context)
    _check(baseline_docx(context.blocks), context)
    words = sum(len(b.text) for b in context.blocks)
    print(
        f"the report: {len(context.blocks)} blocks, {words:,} characters, {len(data) / 1024:.0f} KB .docx;"
        f" built with {len(queries)} queries"
    )

    build_times, render_times, baseline_times = [], [], []
    for round_number in range(args.repeat):
        for phase in ("export", "baseline") if round_number % 2 == 0 else ("baseline", "export"):
            if phase == "export":
                t0 = time.perf_counter()
                context = build_report(first)
                t1 = time.perf_counter()
                render_docx(context)
                t2 = time.perf_counter()
                build_times.append(t1 - t0)
                render_times.append(t2 - t1)
            else:
                t0 = time.perf_counter()
                baseline_docx(context.blocks)
                baseline_times.append(time.perf_counter() - t0)

    if args.profile:
        with harness.profiled("profile of one export", 25):
            render_docx(build_report(first))

    batch_seconds = None
    if args.batch:
        t0 = time.perf_counter()
        for pk in targets:
            render_docx(build_report(Target.objects.get(pk=pk)))
        batch_seconds = time.perf_counter() - t0
    connections.close_all()

    render = statistics.median(render_times)
    baseline = statistics.median(baseline_times)
    export = statistics.median([b + r for b, r in zip(build_times, render_times, strict=True)])
    ratio = render / baseline
    checks = [("ratio", ratio <= TARGET_RATIO), ("time", export <= TARGET_SECONDS)]
    print()
    print(f"bench export — {engine}, median of {args.repeat} run{'s' if args.repeat > 1 else ''} each")
    print(_median_line("build_report", build_times))
    print(_median_line("render_docx", render_times))
    print(_median_line("baseline (python-docx)", baseline_times))
    print(
        f"  render / baseline {ratio:.2f}x (target ≤ {TARGET_RATIO:g});"
        f" build + render {export:.2f} s (target ≤ {TARGET_SECONDS:g} s)"
    )
    if batch_seconds is not None:
        checks.append(("batch", batch_seconds <= TARGET_BATCH_SECONDS))
        print(
            f"  batch: {len(targets)} maximal reports built and rendered in {batch_seconds:.1f} s"
            f" ({batch_seconds / len(targets) * 1000:.0f} ms each; target ≤ {TARGET_BATCH_SECONDS:g} s)"
        )
    kept = directory if args.keep else None
    return harness.verdict("export", f"{ratio:.2f}x baseline, {export:.2f} s", checks, kept=kept)


def main(argv: list[str] | None = None) -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="timed exports and baselines (default 5)")
    parser.add_argument(
        "--batch",
        type=int,
        default=150,
        help="maximal targets rendered one after the other (default 150; 0: none)",
    )
    parser.add_argument("--seed", type=int, default=2021, help="seed of the generated texts")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    parser.add_argument("--profile", action="store_true", help="profile one more export")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.batch < 0:
        parser.error("--repeat must be at least 1 and --batch at least 0")

    try:
        with (
            harness.temporary_directory("export", keep=args.keep, announce=False) as directory,
            harness.fresh_databases(directory, "export", template=False) as databases,
        ):
            os.environ.update(harness.child_env(databases.fresh()))
            return run(args, directory, databases.engine)
    except SystemExit:
        raise
    except Exception as exc:
        import traceback

        traceback.print_exc()
        print(f"bench: the benchmark failed: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
