"""The county-level meeting of the demo (seed 001's genre): 青山县's 2021 述职评议 of the township
party secretaries and of three county organs' and institutions' secretaries, held; eleven report
in person (so the chair's script numbers past 十), one in writing with a written report."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from assessment.demo import county as county_campaign
from assessment.models import Campaign
from units.models import Unit

from .models import AgendaItem, Meeting, Speaker
from .services import meetings as services

TITLE = "2021年度全县党组织书记抓基层党建工作述职评议会议"

#: unit → (achievements, problems, hopes); in the order they report.
COMMENTS: dict[str, tuple[str, list[str], str]] = {
    "城关镇": (
        "城关镇以党建引领助推中心工作干在实处、走在前列，网格化管理有一定成效，基层矛盾纠纷排查工作较为扎实",
        [
            "在以点扩面培育更多典型、打造更多可参观学习的党建亮点方面还要进一步加强",
            "作为城关镇，在全县大宣传格局中起到带头示范作用还不明显",
        ],
        "希望{name}同志以抓好点评问题整改为切入点，进一步压实管党治党责任，立足城关镇实际，加大示范带头和典型宣传力度。",
    ),
    "河口镇": (
        "河口镇抓基层党建工作思路清晰，“三务”公开工作规范有序，重点任务执行落实有力",
        [
            "对关键岗位、关键环节、关键人员的廉政风险点排查落实不到位",
            "镇党委统筹指导村发展集体经济工作力度还不够大，个别村集体经济较为薄弱",
        ],
        "希望{name}同志进一步落实党建工作责任制，不断加大党委指导村发展壮大集体经济力度。",
    ),
    "石桥乡": (
        "石桥乡能够严格落实管党责任，扎实开展乡土人才孵化中心规范化建设，理论政策宣讲常态化取得明显成效",
        [
            "推动落实扶持发展村集体经济项目落地力度不够大，跟踪问效不及时",
            "开展矛盾纠纷排查工作不到位，工作措施不够扎实",
        ],
        "希望{name}同志聚焦点评问题整改，建立健全扶持村集体经济资金项目管理机制，确保专款专用。",
    ),
    "黄岭镇": (
        "黄岭镇有力有效推进党群服务中心提档升级，在人居环境整治、平安建设等方面发挥作用明显",
        [
            "镇、村两级“三务”公开工作不够及时、准确、全面",
            "村“两委”班子教育培训还不够到位，个别班子带动发展能力不够强",
        ],
        "希望{name}同志统筹指导基层党组织健全完善制度机制，规范议事决策程序，不断强化基层党组织政治功能。",
    ),
    "龙潭镇": (
        "龙潭镇因地制宜指导村制定集体经济发展规划，支持村抱团发展联村经济，效果显著",
        [
            "镇党委对纪委监督工作支持力度不够，监督力量薄弱",
            "发挥社区居民党员带头作用、参与群防群治方面举措办法不多",
        ],
        "希望{name}同志坚持把党建工作抓在手上，强化对基层党建工作的监督检查，全面提升基层党组织战斗力。",
    ),
    "桃源乡": (
        "桃源乡以党建引领产业发展，特色种养殖走在全县前列，培育了一批可复制的典型",
        [
            "基层信访矛盾突出，部分村仍存在重复访、越级访现象",
            "对基层党建工作梳理总结不够到位，创建党建品牌的力度还不够大",
        ],
        "希望{name}同志进一步强化管党治党主体责任，创建站得住、叫得响的特色党建品牌。",
    ),
    "杨家坪乡": (
        "杨家坪乡结合村情制定“一村一品”集体经济发展规划，辐射带动群众增收致富",
        [
            "党建引领基层治理还不够到位，对信访问题化解不到位",
            "统筹摆布平安建设、法治宣传、群防群治等工作方面有待加强",
        ],
        "希望{name}同志加强村“两委”干部教育培训，持续深化党员联系服务群众全覆盖。",
    ),
    "马鞍山镇": (
        "马鞍山镇扎实开展党员教育培训，党员干部素质不断提升，党组织和党员作用得到较好发挥",
        [
            "对驻村第一书记和工作队员管理不够到位，个别人员执行工作纪律不够严格",
            "处理好生态保护与高质量发展的关系做得不够好",
        ],
        "希望{name}同志带领班子成员转变工作作风，不断加强驻村干部的管理，切实提高驻村干部服务基层能力。",
    ),
    "青山县教育局": (
        "县教育局组织全县中小学开展形式多样的党史学习教育活动，“双减”政策落实良好",
        [
            "党建工作与教育工作互促互进力度还需进一步加强",
            "在学校党建工作督查落实、师德师风建设方面要进一步加强",
        ],
        "希望{name}同志坚持把政治建设放在首位，不断强化基层党组织在教育系统的政治引领作用。",
    ),
    "青山县农业农村局": (
        "县农业农村局健全工作机制，推动党建与乡村振兴深度融合，农村人居环境整治成效明显",
        [
            "对基层党组织压力传导还不到位，党建工作跟踪问效力度不够大",
            "在总结工作亮点、经验成效和对外宣传方面做得不足",
        ],
        "希望{name}同志进一步压实党建工作责任，推动党建工作和业务工作深度融合。",
    ),
    "青山县融媒体中心": (
        "县融媒体中心坚持正确舆论导向，全媒体传播体系建设取得新进展",
        [
            "意识形态工作责任制落实还不够精细",
            "党员教育管理方式方法创新不多",
        ],
        "希望{name}同志切实履行意识形态工作主体责任，不断提升党支部标准化规范化建设水平。",
    ),
    "青山县卫生健康委员会": (
        "县卫生健康委员会坚持党建引领疫情防控和公立医院改革，医疗服务能力稳步提升",
        [
            "公立医院党委领导下的院长负责制落实还需进一步规范",
            "基层卫生院党支部作用发挥不够充分",
        ],
        "希望{name}同志持续加强公立医院党的建设，推动党建工作与医疗业务深度融合。",
    ),
}
WRITTEN = {"青山县卫生健康委员会"}


def _written_report(unit: str, problems: list[str]) -> SimpleUploadedFile:
    """A 述职报告 shaped like seeds 002 and 003, with its own 存在问题."""
    document = Document()
    document.add_heading(f"{unit}党组书记抓基层党建工作述职报告", level=1)
    document.add_paragraph("一、2021年度抓基层党建工作情况")
    document.add_paragraph(
        "2021年，我委党组坚持以习近平新时代中国特色社会主义思想为指导，认真履行抓党建第一责任人职责。"
    )
    document.add_paragraph("二、存在问题")
    for ordinal, problem in zip("一二三四", problems, strict=False):
        document.add_paragraph(f"{ordinal}是{problem}。")
    document.add_paragraph("三、下一步工作打算")
    document.add_paragraph("一是压实党建工作责任；二是推动党建与业务深度融合。")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        f"{unit}述职报告.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def load_county_meeting(admin) -> Meeting | None:
    campaign = Campaign.objects.filter(title=county_campaign.TITLE).first()
    if campaign is None or campaign.meetings.exists():
        return None
    meeting = services.meeting_create(
        campaign=campaign,
        user=admin,
        title=TITLE,
        date=dt.date(2022, 1, 18),
        venue="县委三楼会议室",
        chair_name="王志刚",
        chair_title="县委书记",
        guests="市委组织部组织二科科长 林涛",
        minutes=8,
        plan_deadline=dt.date(2022, 2, 17),
    )
    officials = {
        AgendaItem.Kind.COMPREHENSIVE: "县委常委、纪委书记 张明\n县委常委、组织部部长 李红",
        AgendaItem.Kind.SUPERIOR: "市委组织部组织二科科长 林涛",
    }
    for item in meeting.agenda.all():
        if item.kind in officials:
            services.agenda_update(item=item, title=item.title, officials=officials[item.kind], user=admin)
    units = {u.name: u for u in campaign.target_units().filter(name__in=COMMENTS)}
    for name_of_unit, (achievements, problems, hopes) in COMMENTS.items():
        unit: Unit | None = units.get(name_of_unit)
        if unit is None:
            continue
        mode = Speaker.Mode.WRITTEN if name_of_unit in WRITTEN else Speaker.Mode.ORAL
        name = unit.secretary or f"{name_of_unit}书记"
        speaker = services.speaker_add(meeting=meeting, unit=unit, name=name, mode=mode, user=admin)
        services.comment_save(
            speaker=speaker,
            achievements=achievements,
            problems="\n".join(problems),
            hopes=hopes.format(name=name),
            user=admin,
        )
        if mode == Speaker.Mode.WRITTEN:
            services.report_upload(
                speaker=speaker, upload=_written_report(name_of_unit, problems), user=admin
            )
    services.meeting_set_state(meeting=meeting, state="held", user=admin)
    return meeting
