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
leads and evaluation points (what the progress counts); an audit entry per
deduction and problem; and the previous year's campaign for the same
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

* the six pages: ``campaigns:dashboard`` (progress), ``campaigns:scores``,
  ``campaigns:problems``, ``campaigns:charts``, ``campaigns:compare``, and
  ``campaigns:common_problems`` for the first item (the texts a reviewer opens
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
import datetime as dt
import json
import math
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import harness  # bench/harness.py; puts the project root on sys.path

TARGET_RATIO = 2.0
TARGET_MS = 300.0
TARGET_QUERIES = 12

PAGES = (
    ("progress", "campaigns:dashboard"),
    ("scores", "campaigns:scores"),
    ("problems", "campaigns:problems"),
    ("charts", "campaigns:charts"),
    ("compare", "campaigns:compare"),
    ("common", "campaigns:common_problems"),  # the first item's texts, county by county
)

# -- the province ---------------------------------------------------------------------------------

COUNTIES = 150
TARGETS_PER_GROUP = 10
INSPECTORS_PER_GROUP = 4  # a leader and 3 members
ITEMS = 40
SHARED_ITEMS = 36  # item titles the previous campaign shares with this one
FULL_SCORE = Decimal("2.5")
DEDUCTIONS = 30_000
POINTS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5)  # a deduction's points, mostly small: 0.076 on average
POINT_WEIGHTS = (10, 15, 40, 20, 10, 2)
PROBLEMS = 20_000
TEXTS_PER_COUNTY = 5  # reports.dashboard.TEXTS_PER_COUNTY

PLACES = (
    "东西南北上下大小新石青白黄金银龙凤马鹤松柏桃李杨柳梅竹兰荷枫桂樟槐河江湖溪泉塘港湾洲桥坪岭山峰岗坡岩"
    "坑源口田庄店集寨营堡屯塔安平兴和丰乐福寿永长宝华光明阳秀云霞"
)
ORGANS = ("委组织部", "委宣传部", "教育体育局", "民政局", "财政局", "农业农村局")
INSTITUTIONS = ("融媒体中心", "档案馆", "疾病预防控制中心", "图书馆")
TOWNSHIPS = ("城关镇", "新城镇", "石桥镇", "太平镇", "河口镇", "长岭乡")
TOPICS = (
    "落实全面从严治党主体责任",
    "加强政治建设",
    "加强思想理论武装",
    "加强基层组织建设",
    "加强党员队伍建设",
    "加强干部队伍建设",
    "加强人才工作",
    "加强作风建设",
    "落实意识形态工作责任制",
    "加强党风廉政建设",
)
ASPECTS = ("制度落实", "工作机制", "台账资料", "督促检查")
PHRASES = (
    "未按要求召开专题会议研究党建工作",
    "“三会一课”记录不全，部分支部缺少党课记录",
    "党员发展程序不规范，培养考察材料缺失",
    "组织生活会会前谈心谈话不到位",
    "党费收缴台账与实际不符",
    "主题党日活动形式单一，缺乏实效",
    "基层党组织书记述职评议未全覆盖",
    "软弱涣散党组织整顿措施落实不到位",
    "意识形态工作责任制落实不够有力",
    "党建工作与业务工作结合不紧密",
    "村级后备力量培养储备不足",
    "党务公开内容更新不及时",
)
CATEGORIES = ("组织建设", "思想建设", "作风建设", "制度建设", "党员管理", "阵地建设")
CN_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _county_names(n: int) -> list[str]:
    names, seen = [], set()
    rng = random.Random(7)
    while len(names) < n:
        name = "".join(rng.sample(PLACES, 2)) + rng.choice("县县县区")
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def item_titles(previous: bool) -> list[str]:
    titles = [f"{TOPICS[i % len(TOPICS)]}（{ASPECTS[i // len(TOPICS)]}）" for i in range(ITEMS)]
    if previous:
        titles[SHARED_ITEMS:] = [f"上年专项{k + 1}" for k in range(ITEMS - SHARED_ITEMS)]
    return titles


def sizes(scale: float) -> dict:
    targets = max(2, round(COUNTIES * scale))
    return {
        "targets": targets,
        "groups": math.ceil(targets / TARGETS_PER_GROUP),
        "deductions": round(DEDUCTIONS * scale),
        "problems": round(PROBLEMS * scale),
    }


def build_world(scale: float, seed: int) -> dict:
    """The province at ``scale``, made with bulk_create. Returns the campaign's pk and what to expect."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from assessment.models import (
        AssessmentGroup,
        AuditEntry,
        Campaign,
        CampaignReviewer,
        ChecklistItem,
        Criterion,
        Deduction,
        EvaluationPoint,
        GroupMember,
        ItemAssessment,
        Problem,
        Target,
    )
    from units.models import Unit

    rng = random.Random(seed)
    Kind = Unit.Kind
    User = get_user_model()
    n = sizes(scale)
    today = timezone.localdate()
    now = timezone.now()
    bulk = harness.bulk

    with transaction.atomic():
        # The roster: a city, its counties, 19 units of seven kinds under each.
        city = Unit.objects.create(name="江州市", kind=Kind.CITY, ancestry="/")
        counties = bulk(
            Unit,
            [
                Unit(name=name, kind=Kind.COUNTY, parent=city, ancestry=city.descendant_prefix)
                for name in _county_names(n["targets"])
            ],
        )
        upper = []
        for county in counties:
            prefix = county.descendant_prefix
            upper += [
                Unit(name=county.name + s, kind=Kind.COUNTY_ORGAN, parent=county, ancestry=prefix)
                for s in rng.sample(ORGANS, 3)
            ]
            upper += [
                Unit(name=county.name + s, kind=Kind.COUNTY_INSTITUTION, parent=county, ancestry=prefix)
                for s in rng.sample(INSTITUTIONS, 2)
            ]
            upper += [
                Unit(name=f"{county.name}第一中学", kind=Kind.SCHOOL, parent=county, ancestry=prefix),
                Unit(
                    name=f"{county.name[:-1]}农业发展有限公司",
                    kind=Kind.ENTERPRISE,
                    parent=county,
                    ancestry=prefix,
                ),
            ]
            upper += [
                Unit(name=t, kind=Kind.TOWNSHIP, parent=county, ancestry=prefix)
                for t in rng.sample(TOWNSHIPS, 3)
            ]
        upper = bulk(Unit, upper)
        lower = []
        for town in (u for u in upper if u.kind == Kind.TOWNSHIP):
            prefix = town.descendant_prefix
            first, second = rng.sample(PLACES, 2)
            lower += [
                Unit(name=f"{first}{second}村", kind=Kind.VILLAGE, parent=town, ancestry=prefix),
                Unit(name=f"{second}{first}社区", kind=Kind.VILLAGE, parent=town, ancestry=prefix),
                Unit(
                    name=f"{town.name}便民服务中心", kind=Kind.TOWNSHIP_STATION, parent=town, ancestry=prefix
                ),
            ]
        lower = bulk(Unit, lower)
        by_parent: dict[int, list] = defaultdict(list)
        for unit in upper + lower:
            by_parent[unit.parent_id].append(unit)
        units_of = {}
        for county in counties:
            units = list(by_parent[county.pk])
            for town in [u for u in units if u.kind == Kind.TOWNSHIP]:
                units += by_parent[town.pk]
            units_of[county.pk] = units

        # People: the reviewer and 4 inspectors a group (they assessed the previous year too).
        inspectors = bulk(
            User,
            [User(username="reviewer", name="赵审核")]
            + [
                User(username=f"inspector{k}", name=f"检查员{k}")
                for k in range(n["groups"] * INSPECTORS_PER_GROUP)
            ],
        )
        reviewer, inspectors = inspectors[0], inspectors[1:]

        def campaign_world(year: int, previous: bool) -> dict:
            campaign = Campaign.objects.create(
                title=f"{year}年度党建工作年终考核",
                year=year,
                status=Campaign.Status.CLOSED if previous else Campaign.Status.ACTIVE,
                bonus_enabled=not previous,
                bonus_cap=Decimal(0 if previous else 2),
            )
            items = bulk(
                ChecklistItem,
                [
                    ChecklistItem(campaign=campaign, order=i + 1, title=title, full_score=FULL_SCORE)
                    for i, title in enumerate(item_titles(previous))
                ],
            )
            bulk(
                Criterion,
                [
                    Criterion(item=item, order=1, text=f"{PHRASES[i % len(PHRASES)]}的，每处扣0.05至0.5分。")
                    for i, item in enumerate(items)
                ],
            )
            criterion_of = {c.item_id: c for c in Criterion.objects.filter(item__campaign=campaign)}
            groups = bulk(
                AssessmentGroup,
                [
                    AssessmentGroup(
                        campaign=campaign,
                        name=f"市委第{_cn(g + 1)}考核组",
                        start_date=today - dt.timedelta(days=20),
                        # A few groups past their end date: their unfinished targets are overdue.
                        end_date=today - dt.timedelta(days=3)
                        if g % 5 == 0
                        else today + dt.timedelta(days=10),
                        methods=["random_sampling", "document_check"],
                    )
                    for g in range(n["groups"])
                ],
            )
            members_of = {
                group.pk: inspectors[g * INSPECTORS_PER_GROUP : (g + 1) * INSPECTORS_PER_GROUP]
                for g, group in enumerate(groups)
            }
            bulk(
                GroupMember,
                [
                    GroupMember(
                        group=group,
                        campaign=campaign,
                        user=user,
                        role=GroupMember.Role.LEADER if k == 0 else GroupMember.Role.MEMBER,
                    )
                    for group in groups
                    for k, user in enumerate(members_of[group.pk])
                ],
            )
            statuses = (
                [Target.Status.FINALIZED]
                if previous
                else [
                    *[Target.Status.DRAFTING] * 10,
                    *[Target.Status.SUBMITTED] * 4,
                    Target.Status.RETURNED,
                    *[Target.Status.APPROVED] * 3,
                    *[Target.Status.FINALIZED] * 2,
                ]
            )
            targets = bulk(
                Target,
                [
                    Target(
                        campaign=campaign,
                        group=groups[k // TARGETS_PER_GROUP],
                        unit=county,
                        status=rng.choice(statuses),
                        status_changed_at=now,
                        # 工作情况: about 2,000 characters, as the groups write them.
                        narrative="\n".join(
                            county.name + "；".join(rng.choices(PHRASES, k=30)) + "。" for _ in range(4)
                        ),
                        narrative_updated_at=now,
                    )
                    for k, county in enumerate(counties)
                ],
            )
            # Each county's weight: how badly it does (the spread of totals and grades).
            weight = {t.pk: rng.uniform(0.35, 1.9) for t in targets}
            cells = [(t, item) for t in targets for item in items]
            cell_weights = [weight[t.pk] for t, _item in cells]
            deductions = []
            for target, item in rng.choices(cells, weights=cell_weights, k=n["deductions"]):
                author = rng.choice(members_of[target.group_id])
                unit = rng.choice(units_of[target.unit_id]) if rng.random() < 0.75 else None
                points = rng.choices(POINTS, weights=POINT_WEIGHTS)[0]
                deductions.append(
                    Deduction(
                        target=target,
                        item=item,
                        criterion=criterion_of[item.pk],
                        unit=unit,
                        points=Decimal(str(points)),
                        reason=f"{unit.name if unit else '部分单位'}{rng.choice(PHRASES)}。",
                        created_by=author,
                        updated_by=author,
                    )
                )
            deductions = bulk(Deduction, deductions)
            problems, positions = [], Counter()
            for target, item in rng.choices(cells, weights=cell_weights, k=n["problems"]):
                author = rng.choice(members_of[target.group_id])
                unit = rng.choice(units_of[target.unit_id]) if rng.random() < 0.8 else None
                position = positions[(target.pk, item.pk)]
                positions[(target.pk, item.pk)] += 1
                problems.append(
                    Problem(
                        target=target,
                        item=item,
                        unit=unit,
                        position=position,
                        text=f"{unit.name if unit else '部分单位'}{rng.choice(PHRASES)}，涉及{rng.randint(2, 9)}个党支部。",
                        category=rng.choice(CATEGORIES) if rng.random() < 0.9 else "",
                        owner_unit=rng.choice(("县委组织部", "县直机关工委", "")),
                        rectification=rng.choice(("open", "open", "in_progress", "done")),
                        created_by=author,
                        updated_by=author,
                    )
                )
            problems = bulk(Problem, problems)
            return {
                "campaign": campaign,
                "items": items,
                "targets": targets,
                "members_of": members_of,
                "deductions": deductions,
                "problems": problems,
            }

        before = campaign_world(today.year - 2, previous=True)
        world = campaign_world(today.year - 1, previous=False)
        campaign = world["campaign"]
        CampaignReviewer.objects.create(campaign=campaign, user=reviewer)
        CampaignReviewer.objects.create(campaign=before["campaign"], user=reviewer)

        # Item assessments of this year's campaign: decisions, leads, evaluation points, a few bonuses.
        assessments = []
        for target in world["targets"]:
            leader = world["members_of"][target.group_id][0]
            finished = target.status != Target.Status.DRAFTING and target.status != Target.Status.RETURNED
            decided = ITEMS if finished else rng.randint(0, ITEMS)
            bonuses = 0
            for k, item in enumerate(world["items"]):
                is_decided = k < decided
                if not is_decided and rng.random() < 0.8:
                    continue
                r = rng.random()
                bonus = Decimal(0)
                if bonuses < 4 and rng.random() < 0.05:
                    bonus, bonuses = Decimal("0.5"), bonuses + 1
                assessments.append(
                    ItemAssessment(
                        target=target,
                        item=item,
                        lead=f"{target.unit.name}{rng.choice(TOPICS)}扎实有效。" if r < 0.7 else "",
                        score_decided_at=now if is_decided else None,
                        score_decided_by=leader if is_decided else None,
                        bonus=bonus,
                        bonus_reason="创新做法被省委组织部推广" if bonus else "",
                        updated_by=leader,
                    )
                )
        assessments = bulk(ItemAssessment, assessments)
        bulk(
            EvaluationPoint,
            [
                EvaluationPoint(
                    assessment=a,
                    position=k,
                    headline=f"{_cn(k + 1)}是{rng.choice(TOPICS)}",
                    body=rng.choice(PHRASES),
                    updated_by=a.updated_by,
                )
                for a in assessments
                if not a.lead and rng.random() < 0.6
                for k in range(2)
            ],
        )
        # The audit trail: an entry per deduction and problem written this year.
        entries = [
            AuditEntry(
                target_id=d.target_id,
                actor_id=d.created_by_id,
                action=AuditEntry.Action.CREATE,
                model="assessment.deduction",
                object_id=d.pk,
                label=d.reason[:40],
                after={"points": str(d.points)},
            )
            for d in world["deductions"]
        ] + [
            AuditEntry(
                target_id=p.target_id,
                actor_id=p.created_by_id,
                action=AuditEntry.Action.CREATE,
                model="assessment.problem",
                object_id=p.pk,
                label=p.text[:40],
                after={"category": p.category},
            )
            for p in world["problems"]
        ]
        rng.shuffle(entries)  # so that the latest entry's author varies from target to target
        bulk(AuditEntry, entries)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would have done by the time anyone looks
    return {
        "campaign": campaign.pk,
        "reviewer": reviewer.pk,
        "sizes": n,
        "totals": {
            "units": Unit.objects.count(),
            "targets": Target.objects.filter(campaign=campaign).count(),
            "deductions": Deduction.objects.filter(target__campaign=campaign).count(),
            "problems": Problem.objects.filter(target__campaign=campaign).count(),
            "assessments": ItemAssessment.objects.count(),
            "points": EvaluationPoint.objects.count(),
            "audit": AuditEntry.objects.count(),
            "all_deductions": Deduction.objects.count(),
            "all_problems": Problem.objects.count(),
        },
    }


# -- the baseline ---------------------------------------------------------------------------------

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
PART_NAMES = tuple(name for name, _route in PAGES)
_sql: dict[str, str] = {}


def _statements() -> dict[str, str]:
    """The baseline's SQL, with the tables' real names (quoted for the backend)."""
    if _sql:
        return _sql
    from django.contrib.auth import get_user_model
    from django.db import connection

    from assessment import models as m
    from units.models import Unit

    q = connection.ops.quote_name
    t = {
        "campaign": q(m.Campaign._meta.db_table),
        "reviewer": q(m.CampaignReviewer._meta.db_table),
        "item": q(m.ChecklistItem._meta.db_table),
        "target": q(m.Target._meta.db_table),
        "unit": q(Unit._meta.db_table),
        "group": q(m.AssessmentGroup._meta.db_table),
        "deduction": q(m.Deduction._meta.db_table),
        "assessment": q(m.ItemAssessment._meta.db_table),
        "point": q(m.EvaluationPoint._meta.db_table),
        "audit": q(m.AuditEntry._meta.db_table),
        "user": q(get_user_model()._meta.db_table),
        "problem": q(m.Problem._meta.db_table),
        "order": q("order"),
    }
    campaign_columns = """c.id, c.title, c.bonus_enabled, c.grade_good_min, c.grade_fairly_good_min,
                       c.grade_average_min,
                       EXISTS (SELECT 1 FROM {reviewer} r WHERE r.campaign_id = c.id AND r.user_id = %s)"""
    _sql.update(
        {
            # The campaign, with whether the user reviews it.
            "campaign": f"SELECT {campaign_columns} FROM {{campaign}} c WHERE c.id = %s",
            # The same and the previous campaign: the latest earlier one with a target on one of
            # the same counties.
            "campaigns": f"""
                SELECT {campaign_columns}
                FROM {{campaign}} c
                WHERE c.id = %s OR c.id = (
                    SELECT p.id FROM {{campaign}} p
                    WHERE p.year < (SELECT year FROM {{campaign}} WHERE id = %s)
                      AND EXISTS (SELECT 1 FROM {{target}} pt WHERE pt.campaign_id = p.id AND pt.unit_id IN
                                  (SELECT unit_id FROM {{target}} WHERE campaign_id = %s))
                    ORDER BY p.year DESC, p.id DESC LIMIT 1)""",
            "items": """
                SELECT id, campaign_id, title, full_score FROM {item}
                WHERE campaign_id IN (%s, %s) ORDER BY campaign_id, {order}, id""",
            "targets": """
                SELECT t.id, t.campaign_id, t.status, u.name, g.name, g.start_date, g.end_date
                FROM {target} t JOIN {unit} u ON u.id = t.unit_id JOIN {group} g ON g.id = t.group_id
                WHERE t.campaign_id IN (%s, %s)""",
            "deductions": """
                SELECT d.target_id, d.item_id, SUM(d.points) FROM {deduction} d
                WHERE d.target_id IN (SELECT id FROM {target} WHERE campaign_id IN (%s, %s))
                GROUP BY d.target_id, d.item_id""",
            "bonuses": """
                SELECT a.target_id, a.item_id, a.bonus
                FROM {assessment} a JOIN {target} t ON t.id = a.target_id
                WHERE t.campaign_id IN (%s, %s) AND a.bonus > 0""",
            # Items completed per target: the score decided, and a lead or an evaluation point.
            "done": """
                SELECT a.target_id, COUNT(*)
                FROM {assessment} a JOIN {target} t ON t.id = a.target_id
                WHERE t.campaign_id = %s AND a.score_decided_at IS NOT NULL
                  AND (a.lead <> '' OR EXISTS (SELECT 1 FROM {point} e WHERE e.assessment_id = a.id))
                GROUP BY a.target_id""",
            "audit": """
                SELECT a.target_id, a.at, u.name, u.username
                FROM {audit} a JOIN {user} u ON u.id = a.actor_id
                WHERE a.id IN (SELECT (SELECT a2.id FROM {audit} a2 WHERE a2.target_id = t.id
                                       ORDER BY a2.at DESC, a2.id DESC LIMIT 1)
                               FROM {target} t WHERE t.campaign_id = %s)""",
            # Per item and target: how many problems.
            "problem_cells": """
                SELECT p.item_id, p.target_id, COUNT(*)
                FROM {problem} p JOIN {target} t ON t.id = p.target_id
                WHERE t.campaign_id = %s GROUP BY p.item_id, p.target_id""",
            # One item, per target: how many problems, and the first five texts.
            "item_texts": """
                SELECT target_id, text, n FROM (
                    SELECT p.target_id, p.text,
                           ROW_NUMBER() OVER (PARTITION BY p.target_id ORDER BY p.position, p.id) AS rn,
                           COUNT(*) OVER (PARTITION BY p.target_id) AS n
                    FROM {problem} p JOIN {target} t ON t.id = p.target_id
                    WHERE t.campaign_id = %s AND p.item_id = %s) ranked
                WHERE rn <= {texts} ORDER BY target_id, rn""",
            "problem_breakdown": """
                SELECT u.kind, p.category, p.rectification, COUNT(*)
                FROM {problem} p JOIN {target} t ON t.id = p.target_id LEFT JOIN {unit} u ON u.id = p.unit_id
                WHERE t.campaign_id = %s GROUP BY u.kind, p.category, p.rectification""",
            "problem_counts": """
                SELECT p.item_id, COUNT(*) FROM {problem} p JOIN {target} t ON t.id = p.target_id
                WHERE t.campaign_id = %s GROUP BY p.item_id""",
        }
    )
    for key, statement in _sql.items():
        _sql[key] = statement.format(**t, texts=TEXTS_PER_COUNTY)
    return _sql


def _dec(value) -> Decimal:
    """A number from a raw row: Decimal on PostgreSQL, float or int on SQLite."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(CENT)


def _stats(values: list[Decimal]) -> dict | None:
    if not values:
        return None
    return {
        "avg": (sum(values, ZERO) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP),
        "min": min(values),
        "max": max(values),
    }


def baseline_aggregates(
    pk: int, user, today: dt.date, parts=PART_NAMES, item_pk: int | None = None
) -> dict | None:
    """The aggregates of the dashboard pages named in ``parts``, from raw SQL: one query per table
    (two on problems), only those the pages need. None when the user may not see the campaign.
    ``item_pk``: the item whose texts the "common" part shows."""
    from django.db import connection

    from assessment.models import Problem, Target
    from units.models import Unit

    want = set(parts)
    sql = _statements()
    needs_scores = bool(want & {"scores", "charts", "compare"})
    deducted, bonuses, done, latest, problem_cells, breakdown, problem_counts, item_texts = (
        {},
        {},
        Counter(),
        {},
        [],
        [],
        {},
        [],
    )
    with connection.cursor() as cursor:
        if "compare" in want:
            cursor.execute(sql["campaigns"], [user.pk, pk, pk, pk])
        else:
            cursor.execute(sql["campaign"], [user.pk, pk])
        campaigns = {row[0]: row for row in cursor.fetchall()}
        if pk not in campaigns or not (campaigns[pk][6] or user.is_staff):
            return None
        previous = next((c for c in campaigns if c != pk), None)
        both = [pk, previous or pk]
        cursor.execute(sql["items"], both)
        items: dict[int, list] = defaultdict(list)
        for item_id, campaign_id, title, full in cursor.fetchall():
            items[campaign_id].append((item_id, title, _dec(full)))
        cursor.execute(sql["targets"], both)
        targets: dict[int, list] = defaultdict(list)
        for row in cursor.fetchall():
            targets[row[1]].append(row)
        if needs_scores:
            cursor.execute(sql["deductions"], both)
            deducted = {(t, i): _dec(s) for t, i, s in cursor.fetchall()}
            if any(c[2] for c in campaigns.values()):
                cursor.execute(sql["bonuses"], both)
                bonuses = {(t, i): _dec(b) for t, i, b in cursor.fetchall()}
        if "progress" in want:
            cursor.execute(sql["done"], [pk])
            done = Counter(dict(cursor.fetchall()))
            cursor.execute(sql["audit"], [pk])
            latest = {row[0]: row for row in cursor.fetchall()}
        if "problems" in want:
            cursor.execute(sql["problem_cells"], [pk])
            problem_cells = cursor.fetchall()
            cursor.execute(sql["problem_breakdown"], [pk])
            breakdown = cursor.fetchall()
        elif "charts" in want:
            cursor.execute(sql["problem_counts"], [pk])
            problem_counts = dict(cursor.fetchall())
        if "common" in want:
            cursor.execute(sql["item_texts"], [pk, item_pk])
            item_texts = cursor.fetchall()

    # Scores: full marks minus deductions, never below zero, plus bonuses when allowed.
    def score_table(campaign_id: int) -> dict:
        _id, _title, bonus_enabled, good, fairly_good, average, _may = campaigns[campaign_id]
        its = items[campaign_id]
        full_total = sum((full for _i, _t, full in its), ZERO)
        rows = []
        for target_id, _c, status, county, group, _start, _end in targets[campaign_id]:
            scores = []
            for item_id, _title, full in its:
                key = (target_id, item_id)
                score = max(full - deducted.get(key, ZERO), ZERO)
                scores.append(score + bonuses.get(key, ZERO) if bonus_enabled else score)
            total = sum(scores, ZERO)
            grade = ""
            if full_total:
                grade = "差"
                for threshold, label in ((good, "好"), (fairly_good, "较好"), (average, "一般")):
                    if total * HUNDRED >= _dec(threshold) * full_total:
                        grade = label
                        break
            rows.append(
                {
                    "county": county,
                    "group": group,
                    "status": status,
                    "scores": scores,
                    "total": total,
                    "percent": (total * HUNDRED / full_total).quantize(CENT, rounding=ROUND_DOWN)
                    if full_total
                    else None,
                    "grade": grade,
                }
            )
        first: dict[Decimal, int] = {}
        for position, total in enumerate(sorted((r["total"] for r in rows), reverse=True), start=1):
            first.setdefault(total, position)
        for row in rows:
            row["rank"] = first[row["total"]]
        rows.sort(key=lambda r: (r["rank"], r["county"]))
        return {
            "items": [title for _i, title, _f in its],
            "full": [full for _i, _t, full in its],
            "full_total": full_total,
            "rows": rows,
            "item_stats": [_stats([r["scores"][k] for r in rows]) for k in range(len(its))],
            "total_stats": _stats([r["total"] for r in rows]),
            "grades": Counter(r["grade"] for r in rows if r["grade"]),
        }

    out: dict = {"title": campaigns[pk][1]}
    scores = score_table(pk) if needs_scores else None
    if "scores" in want:
        out["scores"] = scores

    if "progress" in want:
        editable = (Target.Status.DRAFTING, Target.Status.RETURNED)
        progress: dict[str, dict] = {}
        for target_id, _c, status, county, group, start, end in targets[pk]:
            entry = progress.setdefault(group, {"start": start, "end": end, "rows": []})
            last = latest.get(target_id)
            entry["rows"].append(
                {
                    "county": county,
                    "status": status,
                    "done": done[target_id],
                    "total": len(items[pk]),
                    "last_at": last[1] if last else None,
                    "last_by": (last[2] or last[3]) if last else "",
                    "overdue": bool(end and str(end) < today.isoformat() and status in editable),
                }
            )
        for entry in progress.values():
            entry["rows"].sort(key=lambda r: r["county"])
        out["progress"] = progress

    county_of = {row[0]: row[3] for row in targets[pk]}
    if "problems" in want:
        per_item: dict[int, dict] = defaultdict(lambda: {"n": 0, "counties": 0})
        for item_id, _target_id, count in problem_cells:
            per_item[item_id]["n"] += count
            per_item[item_id]["counties"] += 1
        problem_counts = {item_id: cell["n"] for item_id, cell in per_item.items()}
        kind_labels = dict(Unit.Kind.choices)
        rectification_labels = dict(Problem.Rectification.choices)
        by_kind, by_category, by_rectification = Counter(), Counter(), Counter()
        for kind, category, rectification, count in breakdown:
            by_kind[str(kind_labels.get(kind, "未指定单位"))] += count
            by_category[category or "未分类"] += count
            by_rectification[str(rectification_labels[rectification])] += count
        n_default = max(2, math.ceil(len(targets[pk]) / 5))  # the page's default N
        out["problems"] = {
            "total": sum(problem_counts.values()),
            "by_item": [
                (title, per_item[item_id]["n"], per_item[item_id]["counties"])
                for item_id, title, _f in items[pk]
            ],
            "by_kind": by_kind.most_common(),
            "by_category": sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])),
            "by_rectification": sorted(by_rectification.items()),
            # Items flagged in at least N counties: how many counties and problems.
            "common": [
                (title, per_item[item_id]["counties"], per_item[item_id]["n"])
                for item_id, title, _f in items[pk]
                if per_item[item_id]["counties"] >= n_default
            ],
        }

    if "common" in want:
        counties: dict[str, dict] = {}
        for target_id, text, count in item_texts:
            counties.setdefault(county_of[target_id], {"n": count, "texts": []})["texts"].append(text)
        out["common"] = sorted((c, v["texts"], v["n"]) for c, v in counties.items())

    if "charts" in want:
        out["charts"] = {
            "items": scores["items"],
            "item_stats": scores["item_stats"],
            "full": scores["full"],
            "ranking": [(r["county"], r["total"], r["rank"], r["grade"]) for r in scores["rows"]],
            "problems": [problem_counts.get(item_id, 0) for item_id, _t, _f in items[pk]],
        }

    if "compare" in want:
        # Against the previous campaign: items matched by title, counties by name.
        comparison = None
        if previous is not None:
            before = score_table(previous)
            before_rows = {r["county"]: r for r in before["rows"]}
            before_index = {title: k for k, title in enumerate(before["items"])}
            shared = [(k, title) for k, title in enumerate(scores["items"]) if title in before_index]
            rows = []
            for row in scores["rows"]:
                old = before_rows.get(row["county"])
                if old is None:
                    continue
                deltas = [
                    (title, row["scores"][k] - old["scores"][before_index[title]]) for k, title in shared
                ]
                drops = [d for d in deltas if d[1] < 0]
                rows.append(
                    {
                        "county": row["county"],
                        "now": row["total"],
                        "before": old["total"],
                        "delta": row["total"] - old["total"],
                        "items": deltas,
                        "worst": min(drops, key=lambda d: d[1])[0] if drops else None,
                    }
                )
            rows.sort(key=lambda r: r["delta"])
            comparison = {"previous": campaigns[previous][1], "titles": [t for _k, t in shared], "rows": rows}
        out["comparison"] = comparison
    return out


def baseline_view(request, pk: int, part: str):
    """One page's aggregates from raw SQL, as JSON: no ORM, no template."""
    from django.http import Http404, HttpResponse
    from django.utils import timezone

    if part not in PART_NAMES:
        raise Http404
    item = request.GET.get("item")
    data = baseline_aggregates(
        pk, request.user, timezone.localdate(), parts=(part,), item_pk=int(item) if item else None
    )
    if data is None:
        raise Http404
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=str), content_type="application/json")


# -- checking that both compute the same --------------------------------------------------------


def _n(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _stats_n(stats) -> tuple | None:
    if stats is None:
        return None
    if isinstance(stats, dict):
        return (_n(stats["avg"]), _n(stats["min"]), _n(stats["max"]))
    if stats.average is None:
        return None
    return (_n(stats.average), _n(stats.minimum), _n(stats.maximum))


def app_view_of(campaign, today: dt.date, item) -> dict:
    """The application's own aggregates (reports.dashboard, reports.scores), normalized."""
    from reports.dashboard import (
        campaign_progress,
        common_problem_texts,
        comparison_with_previous,
        problem_analysis,
        problems_per_item,
    )
    from reports.scores import campaign_scores

    table = campaign_scores(campaign)
    analysis = problem_analysis(campaign)  # the page's default N
    _table, comparison = comparison_with_previous(campaign)
    return {
        "scores": {
            r.unit_name: (
                r.group_name,
                r.status,
                [_n(s) for s in r.scores],
                _n(r.total),
                _n(r.percent),
                r.rank,
                r.grade,
            )
            for r in table.rows
        },
        "items": [i.title for i in table.items],
        "item_stats": [_stats_n(s) for s in table.item_stats],
        "total_stats": _stats_n(table.total_stats),
        "grades": {g: n for g, n in table.grade_counts.items() if n},
        "progress": {
            g.name: {
                r.target.unit.name: (r.target.status, r.done, r.total, r.last_by, r.overdue) for r in g.rows
            }
            for g in campaign_progress(campaign, today=today)
        },
        "problems": {
            "total": analysis.total,
            "by_item": [(item.title, n, c) for item, n, c in analysis.by_item],
            "by_kind": sorted(analysis.by_kind),
            "by_category": sorted(analysis.by_category),
            "by_rectification": sorted((str(label), n) for label, n in analysis.by_rectification),
            "common": [(cp.item.title, cp.counties, cp.problems) for cp in analysis.common],
        },
        "common": sorted((c.county, c.texts, c.count) for c in common_problem_texts(campaign, item)),
        "problems_per_item": problems_per_item(campaign, table.items),
        "comparison": None
        if comparison is None
        else {
            "previous": comparison.previous.title,
            "titles": comparison.item_titles,
            "rows": {
                r.county: (
                    _n(r.now),
                    _n(r.before),
                    _n(r.delta),
                    [(title, _n(d)) for title, d in zip(comparison.item_titles, r.deltas, strict=True)],
                    r.worst.title if r.worst else None,
                )
                for r in comparison.rows
            },
        },
    }


def baseline_view_of(data: dict) -> dict:
    """The baseline's aggregates, normalized like app_view_of."""
    scores = data["scores"]
    comparison = data["comparison"]
    return {
        "scores": {
            r["county"]: (
                r["group"],
                r["status"],
                [_n(s) for s in r["scores"]],
                _n(r["total"]),
                _n(r["percent"]),
                r["rank"],
                r["grade"],
            )
            for r in scores["rows"]
        },
        "items": scores["items"],
        "item_stats": [_stats_n(s) for s in scores["item_stats"]],
        "total_stats": _stats_n(scores["total_stats"]),
        "grades": dict(scores["grades"]),
        "progress": {
            name: {
                r["county"]: (r["status"], r["done"], r["total"], r["last_by"], r["overdue"])
                for r in g["rows"]
            }
            for name, g in data["progress"].items()
        },
        "problems": {
            **{k: data["problems"][k] for k in ("total", "by_item", "common")},
            "by_kind": sorted(data["problems"]["by_kind"]),
            "by_category": sorted(data["problems"]["by_category"]),
            "by_rectification": sorted(data["problems"]["by_rectification"]),
        },
        "problems_per_item": data["charts"]["problems"],
        "common": data["common"],
        "comparison": None
        if comparison is None
        else {
            "previous": comparison["previous"],
            "titles": comparison["titles"],
            "rows": {
                r["county"]: (
                    _n(r["now"]),
                    _n(r["before"]),
                    _n(r["delta"]),
                    [(t, _n(d)) for t, d in r["items"]],
                    r["worst"],
                )
                for r in comparison["rows"]
            },
        },
    }


def _differences(app: dict, base: dict, path: str = "") -> list[str]:
    if isinstance(app, dict) and isinstance(base, dict):
        out = []
        for key in sorted(set(app) | set(base), key=str):
            if key not in app or key not in base:
                out.append(f"{path}/{key}: only in the {'application' if key in app else 'baseline'}")
            else:
                out += _differences(app[key], base[key], f"{path}/{key}")
        return out
    if json.dumps(app, default=str, ensure_ascii=False) != json.dumps(base, default=str, ensure_ascii=False):
        return [f"{path}: application {str(app)[:200]} ≠ baseline {str(base)[:200]}"]
    return []


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
    if rows.count("<tr>") != n["targets"]:
        harness.fail(f"the compare page shows {rows.count('<tr>')} rows, expected {n['targets']}")
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
    differences = _differences(app_view_of(Campaign.objects.get(pk=pk), today, item), baseline_view_of(data))
    if differences:
        harness.fail(
            "the baseline's aggregates differ from the application's:\n  " + "\n  ".join(differences[:10])
        )

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
