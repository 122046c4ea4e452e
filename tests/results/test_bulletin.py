"""The 通报 and the 考核结果反馈: drafted from the data, edited, fixed; the Word files' text."""

import io
from decimal import Decimal as D

import docx
import pytest

from assessment.models import EvaluationPoint, ItemAssessment, Problem, Recommendation, TypicalExample
from results import services
from results.models import Bulletin, MeetingScore, Scheme
from tests.factories import UserFactory
from tests.results.helpers import finalize, url

pytestmark = pytest.mark.django_db


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]


@pytest.fixture
def year(world):
    """Three counties finalized with findings, 实地考核 80% and 述职评议 20%, results confirmed."""
    campaign, targets, items = world["campaign"], world["targets"], world["items"]
    author = UserFactory()
    services.create_scheme(campaign=campaign)
    services.update_scheme(
        campaign=campaign,
        weight_field=D(80),
        weight_meeting=D(20),
        weight_ballot=D(0),
        meeting_source="entered",
        quota=None,
        bands=[("好", D(90)), ("较好", D(80)), ("一般", D(60)), ("差", D(0))],
    )
    for name, deducted, meeting in (("青山县", D(3), 95), ("绿水县", D(15), 80), ("白石区", D(8), 90)):
        finalize(targets[name], items, deducted)
        MeetingScore.objects.create(
            campaign=campaign, unit=targets[name].unit, score=meeting, entered_by=author
        )
    for name, text in (
        ("青山县", "党支部“三会一课”记录不规范"),
        ("绿水县", "发展党员程序不严格"),
        ("白石区", "组织生活会质量不高"),
    ):
        Problem.objects.create(target=targets[name], item=items[0], text=text, created_by=author)
    assessment = ItemAssessment.objects.get(target=targets["青山县"], item=items[0])
    EvaluationPoint.objects.create(assessment=assessment, headline="凝聚人心有声势")
    TypicalExample.objects.create(target=targets["青山县"], title="院落自治")
    Recommendation.objects.create(target=targets["绿水县"], headline="进一步压实党建工作责任")
    Recommendation.objects.create(target=targets["白石区"], headline="进一步压实党建工作责任")
    services.confirm(campaign=campaign, actor=world["admin"])
    return world


def test_the_drafted_bulletin_names_grades_problems_with_examples_and_suggestions(client, year):
    campaign = year["campaign"]
    client.force_login(year["admin"])
    client.post(url("bulletin_draft", campaign))
    bulletin = Bulletin.objects.get()
    assert bulletin.title == f"关于{campaign.title}结果的通报"
    body = bulletin.body
    # 青山县: 97×0.8 + 95×0.2 = 96.6; 白石区: 92×0.8 + 90×0.2 = 91.6; 绿水县: 85×0.8 + 80×0.2 = 84
    assert "综合得分平均90.73分，最高96.6分，最低84分。" in body
    assert "“好”等次2个，“较好”等次1个" in body and "评定为“好”等次的是：青山县、白石区。" in body
    assert "二、主要成效" in body and "青山县凝聚人心有声势" in body and "青山县“院落自治”" in body
    assert "三、存在的问题" in body and "方面还有差距，3个县（市、区）不同程度存在问题。比如：" in body
    assert "白石区组织生活会质量不高；绿水县发展党员程序不严格；青山县党支部“三会一课”记录不规范。" in body
    assert "四、下一步工作要求" in body and "进一步压实党建工作责任。" in body
    assert "不能问题年年提、年年涛声依旧" in body


def test_units_are_not_named_in_problems_when_the_scheme_says_so(client, year):
    campaign = year["campaign"]
    scheme = Scheme.objects.get(campaign=campaign)
    scheme.confirmed_at = None
    scheme.name_units = False
    scheme.save()
    client.force_login(year["admin"])
    client.post(url("bulletin_draft", campaign))
    body = Bulletin.objects.get().body
    assert "比如：有的单位组织生活会质量不高；有的单位发展党员程序不严格；有的单位党支部“三会一课”" in body
    assert "评定为“好”等次的是：青山县、白石区。" in body  # the grades still name the units


def test_edit_fix_and_download_the_bulletin(client, year):
    campaign = year["campaign"]
    client.force_login(year["admin"])
    client.post(url("bulletin_draft", campaign))
    bulletin = Bulletin.objects.get()
    client.post(
        url("bulletin", campaign),
        {
            "title": bulletin.title,
            "body": "一、总体情况\n今年考核工作顺利完成。",
            "signature": "中共云山市委组织部",
            "date": "2022-01-28",
        },
    )
    bulletin.refresh_from_db()
    assert bulletin.body == "一、总体情况\n今年考核工作顺利完成。"
    first = client.get(url("bulletin_docx", campaign)).content
    assert paragraphs(first)[-4:] == [
        "一、总体情况",
        "今年考核工作顺利完成。",
        "中共云山市委组织部",
        "2022年1月28日",
    ]
    assert client.get(url("bulletin_docx", campaign)).content == first  # same data, same bytes

    client.post(url("bulletin_fix", campaign))
    bulletin.refresh_from_db()
    assert bulletin.fixed_at is not None
    client.post(
        url("bulletin", campaign), {"title": "改", "body": "改", "signature": "改", "date": "2022-01-28"}
    )
    client.post(url("bulletin_draft", campaign))
    bulletin.refresh_from_db()
    assert bulletin.title != "改" and bulletin.body == "一、总体情况\n今年考核工作顺利完成。"

    # Reopening the results makes the 通报 a draft again.
    client.post(url("reopen", campaign), {"reason": "申诉复核"})
    bulletin.refresh_from_db()
    assert bulletin.fixed_at is None


def test_a_bulletin_is_fixed_only_on_confirmed_results(client, year):
    campaign = year["campaign"]
    client.force_login(year["admin"])
    client.post(url("reopen", campaign), {"reason": "复核"})
    client.post(url("bulletin_draft", campaign))
    response = client.post(url("bulletin_fix", campaign), follow=True)
    assert "考核结果确认后才能将通报定稿。" in response.content.decode()
    assert Bulletin.objects.get().fixed_at is None


def test_reviewers_read_the_bulletin_but_do_not_draft_it(client, year):
    campaign = year["campaign"]
    client.force_login(year["reviewer"])
    assert "通报由系统管理员起草。" in client.get(url("bulletin", campaign)).content.decode()
    assert client.post(url("bulletin_draft", campaign)).status_code == 403
    assert not Bulletin.objects.exists()


def test_the_feedback_sheet_gives_the_result_components_problems_and_deadline(client, year):
    campaign, targets = year["campaign"], year["targets"]
    client.force_login(year["reviewer"])
    data = client.get(url("feedback_docx", campaign, targets["绿水县"].unit_id)).content
    text = paragraphs(data)
    assert text[0].replace("\n", "") == f"关于绿水县{campaign.title}结果的反馈"
    assert text[1] == "绿水县党委："
    assert "你单位综合得分84分，在3个考核对象中排第3位，等次为“较好”。" in text[2]
    assert text[3] == "其中，实地考核85分（权重80%），述职评议80分（权重20%）。"
    assert "一、存在的主要问题" in text and "发展党员程序不严格。" in text
    assert any(t.startswith("请你单位对照上述问题") and "前将整改方案报送市委组织部。" in t for t in text)
    assert text[-2] == "市委组织部"
