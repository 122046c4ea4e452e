"""The report's content: what it says, in which order and numbering, in clean Chinese."""

import datetime as dt

import pytest

from assessment.models import Campaign, Target
from assessment.sampling_services import sample_draw
from assessment.services import findings, overview
from assessment.services.editing import LATEST
from reports.context import Kind, build_report
from reports.text import chinese_date, clean, date_range, full_width, headline, sentence
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
    texts = [b.text for b in build_report(report_target).blocks]
    score = texts[texts.index("1.得分情况") + 1]
    assert score == (
        f"该项满分25分，考核得分23分，扣2分。其中：信息库未及时更新（{organ.name}），扣1.5分；活动记录不全，扣0.5分。"
    )
    assert (
        texts[texts.index("2.总体评价") + 1]
        == "老干部工作扎实有效。一是领导重视到位。保障有力。二是服务精准。"
    )
    assert texts[texts.index("3.问题清单") + 1] == f"一是部分支部活动不经常（{organ.name}）。"


def test_an_item_without_findings_says_so(report_target):
    texts = [b.text for b in build_report(report_target).blocks]
    assert texts[texts.index("1.得分情况") + 1] == "该项满分25分，考核得分25分，未扣分。"
    assert texts[texts.index("3.问题清单") + 1] == "经考核，未发现该项存在明显问题。"
    assert texts[texts.index("1.发现值得推广的典型") + 1] == "考核中未发现需要专门推广的典型。"


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
