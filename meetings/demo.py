"""述职评议's part of the demo: the 2021 campaign's meeting of the counties' party secretaries,
held, with the agenda officials named, each secretary's 点评 (its problems are problems of the
county, source 述职评议点评) and 白石区 reporting in writing. Idempotent: a campaign that has a
meeting is left as it is."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from assessment.demo import data as campaign_data
from assessment.models import Campaign, Target
from core.demo import DemoPart

from .demo_county import load_county_meeting
from .models import AgendaItem, Speaker
from .services import meetings as services

TITLE = "2021年度县（市、区）委书记抓基层党建工作述职评议会议"
COMMENTS = {
    "青山县": (
        "青山县委以党建引领基层治理干在实处、走在前列，网格化管理有一定成效，党群服务中心提档升级扎实推进",
        [
            "在以点扩面培育更多典型、打造可参观学习的党建亮点方面还要进一步加强",
            "对驻村第一书记和工作队员管理不够到位，个别人员执行工作纪律不够严格",
        ],
        "希望{name}同志以抓好点评问题整改为切入点，进一步压实管党治党责任，聚焦基层党建重点任务，切实提高基层党建水平。",
    ),
    "绿水县": (
        "绿水县委抓基层党建工作思路清晰，“三务”公开工作规范有序，村集体经济发展呈现多元化",
        [
            "基层信访矛盾仍然突出，部分村仍存在重复访、越级访现象",
            "党建引领基层治理工作机制还不够完善",
            "非公有制经济组织和社会组织“两个覆盖”率还不够高",
        ],
        "希望{name}同志进一步强化政治责任，带头落实全面从严治党要求，不断增强基层党组织政治功能和组织力。",
    ),
    "白石区": (
        "白石区委坚持抓基础、建机制、促提升，党史学习教育走深走实，社区党组织服务能力进一步增强",
        ["对基层党建工作梳理总结不够到位，创建党建品牌的力度还不够大"],
        "希望{name}同志以点评问题整改工作为抓手，进一步强化抓党建第一责任人责任，推动基层党建工作全面过硬。",
    ),
}
WRITTEN = {"白石区"}


@transaction.atomic
def load(*, reset_passwords: bool = False) -> DemoPart:
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        return DemoPart()
    county = load_county_meeting(admin)
    city = _load_city_meeting(admin)
    parts = [
        p for p in (city, county and f"县级述职评议会议（已召开，述职人 {county.speakers.count()} 名）") if p
    ]
    return DemoPart(summary="；".join(parts)) if parts else DemoPart()


def _load_city_meeting(admin) -> str:
    campaign = Campaign.objects.filter(title=campaign_data.CAMPAIGN_TITLE).first()
    if campaign is None or campaign.meetings.exists():
        return ""
    meeting = services.meeting_create(
        campaign=campaign,
        user=admin,
        title=TITLE,
        date=dt.date(campaign.year + 1, 1, 12),
        venue="市委第一会议室",
        chair_name="刘建国",
        chair_title="市委副书记",
        guests="省委组织部组织二处处长 陈立",
        minutes=10,
        plan_deadline=dt.date(campaign.year + 1, 2, 11),
    )
    officials = {
        AgendaItem.Kind.COMPREHENSIVE: "市委常委、市纪委书记、市监委主任 周正\n市委常委、组织部部长 孙海",
        AgendaItem.Kind.SUPERIOR: "省委组织部组织二处处长 陈立",
    }
    for item in meeting.agenda.all():
        if item.kind in officials:
            services.agenda_update(item=item, title=item.title, officials=officials[item.kind], user=admin)
    units = [
        t.unit for t in Target.objects.filter(campaign=campaign).select_related("unit").order_by("unit__name")
    ]
    for unit in sorted(units, key=lambda u: list(COMMENTS).index(u.name) if u.name in COMMENTS else 99):
        mode = Speaker.Mode.WRITTEN if unit.name in WRITTEN else Speaker.Mode.ORAL
        name = unit.secretary or f"{unit.name}书记"
        speaker = services.speaker_add(
            meeting=meeting, unit=unit, name=name, title=f"{unit.name}委书记", mode=mode, user=admin
        )
        if unit.name in COMMENTS:
            achievements, problems, hopes = COMMENTS[unit.name]
            services.comment_save(
                speaker=speaker,
                achievements=achievements,
                problems="\n".join(problems),
                hopes=hopes.format(name=name),
                user=admin,
            )
    services.meeting_set_state(meeting=meeting, state="held", user=admin)
    return f"述职评议会议（{campaign.year}年，已召开，述职人 {len(units)} 名）"
