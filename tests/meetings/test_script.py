"""The chair's script (meetings.domain.script) in the genre of seed 001: the order, the calls,
numbering past ten, written speakers named but never called, the 点评 with 一是/二是 (and none
for a single problem), the officials called by name, the 民主测评 call last."""

from meetings.domain.script import (
    MARK,
    AgendaText,
    MeetingText,
    Official,
    SpeakerText,
    comment_paragraphs,
    parse_officials,
    problems_sentence,
    script_paragraphs,
)

TOWNS = [
    "城关镇",
    "东坝镇",
    "西河镇",
    "南岭镇",
    "北山镇",
    "白沙镇",
    "青石乡",
    "红岩乡",
    "柳溪乡",
    "桃源乡",
    "松林乡",
    "梅岭乡",
]


def speaker(
    n: int, unit: str, *, oral: bool = True, problems=("问题甲", "问题乙"), kind="township"
) -> SpeakerText:
    return SpeakerText(
        unit=unit,
        kind=kind,
        name=f"述职人{n}",
        title=f"{unit}党委书记",
        oral=oral,
        achievements=f"{unit}抓基层党建工作思路清晰",
        problems=tuple(problems),
        hopes=f"希望述职人{n}同志进一步压实责任。",
    )


AGENDA = (
    AgendaText("reports", "述职和点评"),
    AgendaText(
        "comprehensive",
        "综合点评",
        (Official("县委常委、纪委书记、监委主任", "李明"), Official("县委常委、组织部部长", "王华")),
    ),
    AgendaText("superior", "上级点评", (Official("市委组织部组织二科科长", "赵强"),)),
    AgendaText("ballot", "民主测评"),
)


def meeting(speakers) -> MeetingText:
    return MeetingText(
        title="2021年度全县党组织书记抓基层党建工作述职评议会议",
        guests=(Official("市委组织部组织二科科长", "赵强"),),
        minutes=8,
        agenda=AGENDA,
        speakers=tuple(speakers),
    )


def test_a_county_meeting_reads_as_the_chairs_script():
    speakers = [speaker(n, town) for n, town in enumerate(TOWNS, start=1)]
    speakers.append(speaker(13, "县教育局", oral=False, kind="county_organ"))
    text = script_paragraphs(meeting(speakers))
    assert text[0] == "同志们："
    assert text[1].startswith("今天，我们召开2021年度全县党组织书记抓基层党建工作述职评议会议，主要任务是，")
    assert "市委组织部组织二科科长赵强同志到会指导工作" in text[2]
    assert text[3] == "今天会议共有四项议程，下面依次进行。"
    assert text[4] == (
        "第一项议程。请各乡镇党委书记依次述职，由我逐一点评。述职时间控制在8分钟，"
        "要善于讲“亮点”，敢于揭“痛点”，精于谋“新点”。"
    )
    assert text[5] == "一、首先请城关镇党委书记述职人1同志述职。"
    assert text[6] == MARK
    assert text[7] == "点评：城关镇抓基层党建工作思路清晰。但还存在以下问题：一是问题甲。二是问题乙。"
    assert text[8] == "希望述职人1同志进一步压实责任。"
    calls = [p for p in text if p.endswith("同志述职。")]
    assert len(calls) == 12  # the written speaker is not called
    assert calls[9] == "十、请桃源乡党委书记述职人10同志述职。"
    assert calls[10] == "十一、请松林乡党委书记述职人11同志述职。"
    assert calls[11] == "十二、请梅岭乡党委书记述职人12同志述职。"
    second = text.index(
        "下面，进行会议第二项议程。请县委常委、纪委书记、监委主任李明同志，县委常委、组织部部长王华同志进行综合点评。"
    )
    assert text[second + 1 : second + 5] == ["首先，请李书记点评。", MARK, "下面，请王部长点评。", MARK]
    assert text[second + 5] == "下面，进行会议第三项议程。请市委组织部组织二科科长赵强同志作点评，大家欢迎！"
    closing = text[-2]
    assert closing.startswith("同志们，这次述职评议会议")
    assert "县教育局党委书记述职人13同志作了书面述职" in closing
    assert text[-1] == "下面，进行会议第四项议程，进行民主测评。请大家填写完测评表后散会。"


def test_a_single_problem_is_written_without_yi_shi_and_none_without_the_sentence():
    assert problems_sentence(["党建品牌创建力度不够大。"]) == "但还存在以下问题：党建品牌创建力度不够大。"
    assert problems_sentence([]) == ""
    assert problems_sentence(["甲；", "乙。"]) == "但还存在以下问题：一是甲。二是乙。"


def test_what_is_not_written_yet_is_a_visible_placeholder():
    blank = SpeakerText(unit="城关镇", name="张三", title="城关镇党委书记")
    assert comment_paragraphs(blank) == ["点评：【待填写：点评成绩】", "【待填写：希望】"]
    text = script_paragraphs(MeetingText(title="会议", agenda=(AgendaText("reports", "述职和点评"),)))
    assert "【待填写：口头述职人】" in text


def test_an_agenda_in_another_order_or_without_a_ballot_still_closes():
    agenda = (
        AgendaText("superior", "上级点评", (Official("市委组织部部长", "钱进"),)),
        AgendaText("reports", "述职和点评"),
    )
    text = script_paragraphs(MeetingText(title="会议", agenda=agenda, speakers=(speaker(1, "城关镇"),)))
    assert text[2] == "今天会议共有两项议程，下面依次进行。"
    assert text[3] == "第一项议程。请市委组织部部长钱进同志作点评，大家欢迎！"
    assert text[5].startswith("下面，进行会议第二项议程。请各乡镇党委书记依次述职")
    assert text[-1].startswith("同志们，这次述职评议会议")


def test_officials_are_written_one_a_line_title_then_name():
    officials, errors = parse_officials("县委常委、组织部部长 王华\n\n市委组织部组织二科科长\u3000赵强\n李明")
    assert officials == [Official("县委常委、组织部部长", "王华"), Official("市委组织部组织二科科长", "赵强")]
    assert errors == ["第4行“李明”：请写成“职务 姓名”，中间空一格。"]
    assert Official("县委常委、纪委书记、监委主任", "李明").called == "李书记"
    assert Official("市委组织部组织二科科长", "赵强").called == "赵科长"
    assert Official("党代表", "孙丽").called == "孙丽同志"


def test_the_problems_of_a_duty_report_are_its_own_points():
    from meetings.domain.duty_report import problems_in

    report = [
        "一、主要工作",
        "一是坚持正面引导，壮大主流舆论。加强阵地管理。",
        "二、存在问题及原因",
        "（一）抓基层党建工作责任制方面",
        "一是对基层党员的教育、管理、培训重视不够。对党员的培训方式不新。",
        "二是对工作落实的问责力度还不够。有的村班子成员能力差。",
        "（二）履行党风廉政建设责任制方面",
        "一是对抓党风建设的思想认识不够到位。对抓党风廉政建设的认识还需加强。",
        "产生以上问题的原因主要有以下几个方面：",
        "一是抓工作深入度和执行力不够强。",
        "三、下半年工作打算",
        "（一）全面提升组织力。",
    ]
    assert problems_in(report) == [
        "对基层党员的教育、管理、培训重视不够",
        "对工作落实的问责力度还不够",
        "对抓党风建设的思想认识不够到位",
    ]
    one_paragraph = [
        "二、存在问题",
        "一年来，X区在加强党的建设工作上虽取得一定成绩，但仍有一定差距，主要体现在：一些党员干部学习还不够深入；"
        "一些基层党组织管党治党的责任压得还不实。",
        "三、下步工作",
    ]
    assert problems_in(one_paragraph) == [
        "一些党员干部学习还不够深入",
        "一些基层党组织管党治党的责任压得还不实",
    ]
    assert problems_in(["一、主要工作", "做了很多工作。"]) == []


def test_who_is_called_is_said_as_the_chair_says_it():
    from meetings.domain.script import who_reports

    towns = [speaker(1, "城关镇"), speaker(2, "东坝镇")]
    organs = [speaker(3, "县教育局", kind="county_organ"), speaker(4, "县文旅体局", kind="county_organ")]
    assert who_reports(towns) == "各乡镇党委书记"
    assert who_reports(towns + organs) == "各乡镇党委书记及县教育局、县文旅体局党组织书记"
    assert who_reports([speaker(1, "青山县", kind="county")]) == "各县（市、区）委书记"
    assert who_reports(organs) == "各述职单位党组织书记"
