"""The report's content: what it says, in which order and numbering, in clean Chinese."""

import datetime as dt

import pytest

from assessment.models import Campaign, Target
from assessment.services import findings, overview
from assessment.services.editing import LATEST
from assessment.services.sampling import sample_draw
from core.prose import chinese_date, clean, continues, date_range, full_width, headline, run_on, sentence
from reports.context import Block, Kind, build_report
from tests.factories import ChecklistItemFactory, CriterionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("工作扎实有效", "工作扎实有效。"),
        ("工作扎实有效。。", "工作扎实有效。"),
        ("工作扎实有效.", "工作扎实有效。"),
        ("一是加强领导，", "一是加强领导。"),
        ("是否落实？", "是否落实？"),
        ("扣0.5分,未整改", "扣0.5分，未整改。"),
        ('开展"我为群众办实事"活动', "开展“我为群众办实事”活动。"),
        ("村(社区)党组织", "村（社区）党组织。"),
        ("青山县 交通运输局", "青山县交通运输局。"),
        ("", ""),
    ],
)
def test_sentences_are_cleaned_the_way_an_office_writes_them(typed, expected):
    assert sentence(typed) == expected


def test_latin_text_and_numbers_keep_their_punctuation():
    assert full_width("版本 v1.2, build 3") == "版本 v1.2, build 3"
    assert clean("2021-01-15 的 APP (测试)") == "2021-01-15 的 APP（测试）"


def test_line_breaks_and_control_characters_do_not_reach_the_report():
    assert sentence("第一行\n第二行\x07") == "第一行第二行。"
    assert sentence("Plan A\nPlan B") == "Plan A Plan B。"


def test_headlines_end_once():
    assert headline("凝聚人心有声势") == "凝聚人心有声势。"
    assert headline("凝聚人心有声势；") == "凝聚人心有声势。"


def test_dates_are_written_without_leading_zeros():
    assert chinese_date(dt.date(2022, 1, 5)) == "2022年1月5日"
    assert date_range(dt.date(2022, 1, 10), dt.date(2022, 1, 14)) == "2022年1月10日至1月14日"
    assert date_range(dt.date(2021, 12, 30), dt.date(2022, 1, 4)) == "2021年12月30日至2022年1月4日"


@pytest.fixture
def report_target(setup):
    target = setup["qs_target"]
    group = target.group
    group.start_date, group.end_date = dt.date(2022, 1, 10), dt.date(2022, 1, 14)
    group.save()
    sample_draw(target=target, seed=7, user=setup["admin"])
    return target


def headings(target) -> list[str]:
    return build_report(target).headings()


def test_the_skeleton_follows_the_seed_report(report_target, setup):
    report = build_report(report_target)
    assert report.title == "关于青山县2021年度党建工作年终考核情况的报告"
    assert report.blocks[1].text == (
        "按照市委统一部署，2022年1月10日至1月14日，市委第五考核组由钱组长同志带队，"
        "赴青山县开展2021年度党建工作年终考核。现将有关情况报告如下："
    )
    assert report.headings() == [
        "一、工作情况",
        "二、考核项目落实情况",
        "（一）老干部工作",
        "1.得分情况",
        "2.总体评价",
        "3.问题清单",
        "三、有关意见建议",
        "1.发现值得推广的典型",
        "2.工作改进建议",
    ]
    assert report.blocks[-2:] == [
        type(report.blocks[0])(Kind.SIGNATURE, "市委第五考核组"),
        type(report.blocks[0])(Kind.DATE, "2022年1月14日"),
    ]


def test_no_heading_is_left_empty(report_target):
    blocks = build_report(report_target).blocks
    for block, following in zip(blocks, blocks[1:], strict=False):
        if block.kind in (Kind.H2,):
            assert following.kind == Kind.H3
        elif block.kind == Kind.H3:
            assert following.kind == Kind.BODY and following.text


def test_the_work_overview_uses_the_draw_and_the_methods(report_target):
    body = build_report(report_target).blocks[3].text
    assert body.startswith("考核组抽查了3个县直机关单位、1个乡镇，每个乡镇抽查3个村。")
    assert "采取随机抽样、资料印证、实地调研、个别走访等方式" in body


def test_scores_evaluation_and_problems_read_as_sentences(report_target, setup):
    item, leader = setup["item"], setup["leader"]
    criterion = item.criteria.get()
    organ = report_target.unit.children.filter(kind="county_organ").first()
    findings.deduction_create(
        target=report_target,
        item=item,
        criterion=criterion,
        unit=organ,
        points="1.5",
        reason="信息库未及时更新。",
        user=leader,
    )
    findings.deduction_create(
        target=report_target,
        item=item,
        criterion=criterion,
        unit=None,
        points="0.5",
        reason="活动记录不全",
        user=leader,
    )
    findings.evaluation_lead_save(
        target=report_target, item=item, lead="老干部工作扎实有效。", version=LATEST, user=leader
    )
    findings.point_create(
        target=report_target, item=item, headline="领导重视到位", body="保障有力。", user=leader
    )
    findings.point_create(target=report_target, item=item, headline="服务精准", body="", user=leader)
    findings.problem_create(
        target=report_target, item=item, text="部分支部活动不经常", unit=organ, user=leader
    )
    findings.problem_create(target=report_target, item=item, text="台账不全。", user=leader)
    # Not decided yet: the deductions recorded so far, but no score.
    texts = [b.text for b in build_report(report_target).blocks]
    assert texts[texts.index("1.得分情况") + 1] == (
        "该项满分25分（尚未评分）。目前已记录扣分2分，其中："
        f"信息库未及时更新（{organ.name}），扣1.5分；活动记录不全，扣0.5分。"
    )
    findings.score_decide(target=report_target, item=item, decided=True, version=LATEST, user=leader)
    texts = [b.text for b in build_report(report_target).blocks]
    score = texts[texts.index("1.得分情况") + 1]
    assert score == (
        f"该项满分25分，考核得分23分，扣2分。其中：信息库未及时更新（{organ.name}），扣1.5分；活动记录不全，扣0.5分。"
    )
    assert (
        texts[texts.index("2.总体评价") + 1]
        == "老干部工作扎实有效。一是领导重视到位。保障有力。二是服务精准。"
    )
    assert texts[texts.index("3.问题清单") + 1] == f"一是部分支部活动不经常（{organ.name}）。二是台账不全。"


def test_a_list_of_one_is_written_without_yi_shi(report_target, setup):
    """有一无二: one problem, one point, one recommendation — no 一是; one example — no （1）."""
    item, leader = setup["item"], setup["leader"]
    findings.evaluation_lead_save(
        target=report_target, item=item, lead="老干部工作扎实有效。", version=LATEST, user=leader
    )
    findings.point_create(
        target=report_target, item=item, headline="领导重视到位", body="保障有力", user=leader
    )
    findings.problem_create(target=report_target, item=item, text="部分支部活动不经常", user=leader)
    overview.recommendation_create(
        target=report_target, headline="进一步强化工作统筹", body="明确职责", user=leader
    )
    overview.example_create(target=report_target, title="院落自治", body="全县推选院落长860个", user=leader)
    texts = [b.text for b in build_report(report_target).blocks]
    assert texts[texts.index("2.总体评价") + 1] == "老干部工作扎实有效。领导重视到位。保障有力。"
    assert texts[texts.index("3.问题清单") + 1] == "部分支部活动不经常。"
    assert texts[texts.index("2.工作改进建议") + 1] == "进一步强化工作统筹。明确职责。"
    assert texts[texts.index("1.发现值得推广的典型") + 1] == "院落自治。全县推选院落长860个。"
    assert not any("一是" in text or text.startswith("（1）") for text in texts)


def test_deductions_are_problems_found_never_no_problem(report_target, setup):
    item, leader = setup["item"], setup["leader"]
    findings.deduction_create(
        target=report_target, item=item, criterion=None, unit=None, points="1", reason="台账不全", user=leader
    )
    findings.score_decide(target=report_target, item=item, decided=True, version=LATEST, user=leader)
    report = build_report(report_target)
    blocks = report.blocks
    problems = blocks[[b.text for b in blocks].index("3.问题清单") + 1]
    assert problems == Block(
        Kind.BODY, "【待填写：问题清单（该项有扣分，请列明发现的问题）】", placeholder=True
    )
    assert not any("未发现该项存在明显问题" in b.text for b in blocks)
    assert "（一）老干部工作 有扣分，但问题清单为空" in report.warnings


def test_an_untouched_item_says_nothing_it_does_not_know(report_target):
    """Nobody decided anything: no 未扣分, no 未发现……问题, placeholders where text is to come."""
    report = build_report(report_target)
    blocks = report.blocks
    texts = [b.text for b in blocks]
    after = {
        heading: blocks[texts.index(heading) + 1] for heading in ("1.得分情况", "2.总体评价", "3.问题清单")
    }
    assert after == {
        "1.得分情况": Block(Kind.BODY, "该项满分25分（尚未评分）。", placeholder=True),
        "2.总体评价": Block(Kind.BODY, "【待填写：总体评价】", placeholder=True),
        "3.问题清单": Block(Kind.BODY, "（尚未评分）", placeholder=True),
    }
    assert blocks[4] == Block(
        Kind.BODY, "【待填写：工作情况】", placeholder=True
    )  # after the sampling sentence
    assert texts[texts.index("1.发现值得推广的典型") + 1] == "【待填写：值得推广的典型】"
    assert texts[texts.index("2.工作改进建议") + 1] == "【待填写：工作改进建议】"
    assert not any(("未扣分" in t or "未发现" in t or "尚未填写总体评价" in t) for t in texts)
    assert report.total.text == "未评分"
    assert report.warnings == [
        "工作情况尚未填写",
        "（一）老干部工作 尚未确认得分",
        "（一）老干部工作 尚未填写总体评价（导语）",
    ]


def test_an_item_decided_without_findings_says_so(report_target, setup):
    findings.score_decide(
        target=report_target, item=setup["item"], decided=True, version=LATEST, user=setup["leader"]
    )
    report = build_report(report_target)
    texts = [b.text for b in report.blocks]
    assert texts[texts.index("1.得分情况") + 1] == "该项满分25分，考核得分25分，未扣分。"
    assert texts[texts.index("3.问题清单") + 1] == "经考核，未发现该项存在明显问题。"
    assert texts[texts.index("1.发现值得推广的典型") + 1] == "考核中未发现需要专门推广的典型。"
    assert texts[texts.index("2.工作改进建议") + 1] == "暂无。"
    assert report.total.text == "25分"


def test_points_without_a_lead_keep_a_placeholder_for_it(report_target, setup):
    item, leader = setup["item"], setup["leader"]
    findings.point_create(
        target=report_target, item=item, headline="领导重视到位", body="保障有力", user=leader
    )
    findings.point_create(target=report_target, item=item, headline="服务精准", body="", user=leader)
    blocks = build_report(report_target).blocks
    start = [b.text for b in blocks].index("2.总体评价")
    assert blocks[start + 1 : start + 3] == [
        Block(Kind.BODY, "【待填写：总体评价导语】", placeholder=True),
        Block(Kind.BODY, "一是领导重视到位。保障有力。二是服务精准。"),
    ]


def test_examples_and_recommendations_are_numbered(report_target, setup):
    leader = setup["leader"]
    overview.example_create(target=report_target, title="院落自治", body="全县推选院落长860个", user=leader)
    overview.example_create(target=report_target, title="青山先锋发布会", body="", user=leader)
    overview.recommendation_create(
        target=report_target, headline="一是进一步强化工作统筹", body="明确职责", user=leader
    )
    overview.recommendation_create(target=report_target, headline="进一步打响党建品牌", body="", user=leader)
    texts = [b.text for b in build_report(report_target).blocks]
    start = texts.index("1.发现值得推广的典型")
    assert texts[start + 1 : start + 3] == ["（1）院落自治。全县推选院落长860个。", "（2）青山先锋发布会。"]
    start = texts.index("2.工作改进建议")
    assert texts[start + 1 : start + 3] == ["一是进一步强化工作统筹。明确职责。", "二是进一步打响党建品牌。"]


def test_numbering_stays_right_past_ten_and_twenty(report_target, setup):
    campaign = setup["campaign"]
    for order in range(2, 24):
        CriterionFactory(item=ChecklistItemFactory(campaign=campaign, order=order, title=f"项目{order}"))
    h2 = [h for h in headings(report_target) if h.startswith("（")]
    assert len(h2) == 23
    assert (h2[9], h2[10], h2[19], h2[22]) == (
        "（十）项目10",
        "（十一）项目11",
        "（二十）项目20",
        "（二十三）项目23",
    )


def test_draft_until_finalized(report_target):
    report = build_report(report_target)
    assert report.draft and report.file_name == "青山县2021年度党建考核报告（草稿）.docx"
    Target.objects.filter(pk=report_target.pk).update(status=Target.Status.FINALIZED)
    report = build_report(report_target)
    assert not report.draft and report.file_name == "青山县2021年度党建考核报告.docx"


def test_the_report_date_and_timestamp_come_from_the_data(report_target):
    first = build_report(report_target)
    assert build_report(report_target).timestamp == first.timestamp
    Campaign.objects.filter(pk=report_target.campaign_id).update(period_end=dt.date(2022, 1, 20))
    report_target.group.end_date = None
    report_target.group.save()
    assert build_report(report_target).blocks[-1].text == "2022年1月20日"


def test_the_report_takes_a_fixed_number_of_queries(report_target, setup, django_assert_max_num_queries):
    for n in range(10):
        findings.problem_create(
            target=report_target, item=setup["item"], text=f"问题{n}", user=setup["leader"]
        )
    with django_assert_max_num_queries(14):
        build_report(report_target)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # The seed's （2）: the body carries on the title's sentence, with the title's subject.
        (
            "青山县借助全媒体资源，每季度定期举办“青山先锋”发布会",
            "将作出突出贡献的党员群众遴选展示出来，营造干事创业的浓厚氛围。",
            "青山县借助全媒体资源，每季度定期举办“青山先锋”发布会，将作出突出贡献的党员群众遴选展示出来，营造干事创业的浓厚氛围。",
        ),
        # The seed's （1）: the body starts a sentence of its own.
        (
            "青山县全面推行村党组织领导下的“院落自治”基层治理新模式",
            "全县61个村（社区）推选“院落长”860个。",
            "青山县全面推行村党组织领导下的“院落自治”基层治理新模式。全县61个村（社区）推选“院落长”860个。",
        ),
        (
            "推行积分制管理",
            "以乡镇综治维稳中心为龙头，常态化开展巡逻",
            "推行积分制管理。以乡镇综治维稳中心为龙头，常态化开展巡逻。",
        ),
        ("建立联系制度", "并定期开展走访", "建立联系制度，并定期开展走访。"),
        ("建立联系制度", "，定期开展走访", "建立联系制度，定期开展走访。"),
        ("建立联系制度，", "定期开展走访", "建立联系制度，定期开展走访。"),
        ("主要做法：", "定期开展走访", "主要做法：定期开展走访。"),
        ("建立联系制度。", "使联系群众常态化", "建立联系制度，使联系群众常态化。"),
        ("青山先锋发布会", "", "青山先锋发布会。"),
    ],
)
def test_a_title_and_its_body_read_as_the_genre_writes_them(title, body, expected):
    assert run_on(title, body) == expected


def test_what_continues_a_title():
    assert continues("将作出突出贡献的党员群众遴选展示出来") and continues("，并定期走访")
    assert not continues("全县61个村推选院落长") and not continues("2021年，全县……")


def test_the_demo_shaped_example_reads_as_one_sentence(report_target, setup):
    overview.example_create(
        target=report_target,
        title="青山县借助全媒体资源，每季度定期举办“青山先锋”发布会",
        body="将作出突出贡献的党员群众遴选展示出来，解剖英雄的成功事迹。",
        user=setup["leader"],
    )
    texts = [b.text for b in build_report(report_target).blocks]
    example = texts[texts.index("1.发现值得推广的典型") + 1]
    assert (
        example
        == "青山县借助全媒体资源，每季度定期举办“青山先锋”发布会，将作出突出贡献的党员群众遴选展示出来，解剖英雄的成功事迹。"
    )
    assert "发布会。将" not in example
