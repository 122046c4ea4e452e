"""The province for bench/dashboard.py: 150 counties, two campaigns of 40 items, 30,000 deductions and
20,000 problems each (see dashboard.py's docstring), made with bulk_create."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from decimal import Decimal

import harness  # bench/harness.py; puts the project root on sys.path
from fakes import CATEGORIES, PHRASES

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
    from core.text import chinese_ordinal
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
                        name=f"市委第{chinese_ordinal(g + 1)}考核组",
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
                    headline=f"{chinese_ordinal(k + 1)}是{rng.choice(TOPICS)}",
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
        # The previous year, finalized: every item decided (only decided items score, and only
        # complete totals are compared). No randomness here, so this year's data stays as it was.
        bulk(
            ItemAssessment,
            [
                ItemAssessment(
                    target=target,
                    item=item,
                    lead=f"{target.unit.name}该项工作总体落实较好。",
                    score_decided_at=now,
                    score_decided_by=before["members_of"][target.group_id][0],
                    updated_by=before["members_of"][target.group_id][0],
                )
                for target in before["targets"]
                for item in before["items"]
            ],
        )

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
            "assessments": ItemAssessment.objects.filter(target__campaign=campaign).count(),
            "points": EvaluationPoint.objects.count(),
            "audit": AuditEntry.objects.count(),
            "all_deductions": Deduction.objects.count(),
            "all_problems": Problem.objects.count(),
        },
    }
