"""The world of bench/load.py, built in its child process (``load.py --phase setup``) with Django:
a city with one county per group, an active campaign, the groups with their inspectors, the
reviewers and a draw per target, made through the application's services."""

from __future__ import annotations

import argparse
import math
import random
import time
from decimal import Decimal

import harness  # bench/harness.py; puts the project root on sys.path

PASSWORD = "bench-load-口令-2025"
INSPECTORS_PER_GROUP = 8

COUNTY_NAMES = (
    "青山县",
    "白石区",
    "清河县",
    "云溪县",
    "桃江县",
    "石门县",
    "龙泉县",
    "松阳县",
    "临川区",
    "安平县",
)
ORGANS = ("委办公室", "委组织部", "委宣传部", "发展和改革局", "教育体育局", "财政局", "民政局", "农业农村局")
INSTITUTIONS = ("融媒体中心", "档案馆", "委党校", "图书馆")
TOWNSHIPS = ("城关镇", "新城镇", "石桥镇", "太平镇", "河口镇")
VILLAGES = ("新村", "东村", "西村", "南村", "北村", "大坪村")
STATIONS = ("便民服务中心", "财政所", "综合文化站")
ITEMS = (
    ("落实全面从严治党主体责任", ("研究部署党建工作", "书记抓基层党建述职评议", "党建责任清单落实")),
    ("基层组织建设", ("“三会一课”制度落实", "软弱涣散党组织整顿", "党组织换届")),
    ("党员队伍建设", ("发展党员程序", "党员教育培训", "党费收缴管理")),
    ("干部队伍建设", ("选人用人", "干部监督", "年轻干部培养")),
    ("人才工作", ("人才引进", "人才服务保障", "人才工作经费")),
)


def build_world(inspectors: int, reviewers: int, seed: int) -> dict:
    """Everything the simulated users need, made through the application's services."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from assessment.models import Campaign, GroupMember, Target
    from assessment.services import campaigns, groups
    from assessment.services import sampling as sampling_services
    from assessment.services.checklist import CriterionInput, item_save
    from units.models import Unit
    from units.services import unit_create

    User = get_user_model()
    rng = random.Random(seed)
    n_groups = max(1, math.ceil(inspectors / INSPECTORS_PER_GROUP))
    if n_groups > len(COUNTY_NAMES):
        raise SystemExit(f"at most {len(COUNTY_NAMES) * INSPECTORS_PER_GROUP} inspectors")
    encoded = make_password(PASSWORD)  # one hash for everybody: building the world stays fast

    def person(username: str, name: str, **extra):
        return User.objects.create(username=username, name=name, password=encoded, **extra)

    admin = person("bench-admin", "管理员", is_staff=True)
    city = unit_create(name="江州市", kind=Unit.Kind.CITY, parent=None)
    counties = []
    for county_name in COUNTY_NAMES[:n_groups]:
        county = unit_create(name=county_name, kind=Unit.Kind.COUNTY, parent=city)
        counties.append(county)
        for suffix in ORGANS:
            unit_create(name=county_name + suffix, kind=Unit.Kind.COUNTY_ORGAN, parent=county)
        for suffix in INSTITUTIONS:
            unit_create(name=county_name + suffix, kind=Unit.Kind.COUNTY_INSTITUTION, parent=county)
        for township_name in TOWNSHIPS:
            township = unit_create(name=township_name, kind=Unit.Kind.TOWNSHIP, parent=county)
            for village in VILLAGES:
                unit_create(name=village, kind=Unit.Kind.VILLAGE, parent=township)
            for station in STATIONS:
                unit_create(name=township_name + station, kind=Unit.Kind.TOWNSHIP_STATION, parent=township)

    campaign = campaigns.campaign_create(title="2025年度党建工作年终考核", year=2025)
    items = []
    for title, criteria in ITEMS:
        items.append(
            item_save(
                campaign=campaign,
                title=title,
                full_score=Decimal(100),
                criteria=[
                    # Two capped generously (the cap check runs but never refuses), one without points.
                    CriterionInput(text=f"{text}：未落实的每处扣0.5分", points=Decimal(45) if k < 2 else None)
                    for k, text in enumerate(criteria)
                ],
                user=admin,
            )
        )
    campaigns.campaign_set_status(campaign=campaign, status=Campaign.Status.ACTIVE)

    users: list[dict] = []
    targets: list[dict] = []
    for g, county in enumerate(counties):
        size = min(INSPECTORS_PER_GROUP, inspectors - g * INSPECTORS_PER_GROUP)
        people = [person(f"insp{g + 1}-{k + 1}", f"{county.name}组员{k + 1}") for k in range(size)]
        group = groups.group_save(
            campaign=campaign,
            name=f"市委第{g + 1}考核组",
            leader=people[0],
            members=people[1:],
            targets=[county],
            methods=["random_sampling", "document_check"],
            user=admin,
        )
        target = Target.objects.get(group=group)
        result = sampling_services.sample_draw(target=target, seed=rng.randrange(10**8), user=admin)
        sampled = list(result.draw.units.values_list("unit_id", flat=True))
        targets.append(
            {
                "pk": target.pk,
                "county": county.name,
                "sampled": sampled,
                "items": [
                    {
                        "pk": item.pk,
                        "criteria": list(item.criteria.order_by("order").values_list("pk", flat=True)),
                    }
                    for item in items
                ],
            }
        )
        roles = dict(GroupMember.objects.filter(group=group).values_list("user_id", "role"))
        users += [
            {
                "pk": p.pk,
                "username": p.username,
                "role": "inspector",
                "group_role": roles[p.pk],
                "target": target.pk,
            }
            for p in people
        ]
    reviewer_people = [person(f"review-{k + 1}", f"审核{k + 1}") for k in range(reviewers)]
    campaigns.campaign_set_reviewers(campaign=campaign, users=reviewer_people)
    users += [
        {"pk": p.pk, "username": p.username, "role": "reviewer", "target": None} for p in reviewer_people
    ]
    return {"campaign": campaign.pk, "targets": targets, "users": users}


def child_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    harness.migrate()
    started = time.perf_counter()
    world = build_world(args.inspectors, args.reviewers, args.seed)
    world["seconds"] = time.perf_counter() - started
    harness.emit(world)
    return 0
