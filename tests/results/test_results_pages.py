"""综合评定 as users meet it: the scheme, the records, the table, confirming and reopening, the
Excel sheet; who may do what."""

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from results.models import Award, Band, Item, ManualGrade, MeetingScore, ResultEvent, Scheme
from results.services import create_scheme
from tests.factories import (
    UserFactory,
)
from tests.results.helpers import finalize, url

pytestmark = pytest.mark.django_db


def test_the_results_page_without_a_scheme_offers_the_admin_to_create_one(client, world):
    campaign = world["campaign"]
    client.force_login(world["reviewer"])
    page = client.get(url("index", campaign)).content.decode()
    assert "本次考核尚未制定考核办法" in page and "考核办法由系统管理员制定。" in page
    assert client.post(url("scheme_create", campaign)).status_code == 403
    assert not Scheme.objects.exists()

    client.force_login(world["admin"])
    response = client.post(url("scheme_create", campaign))
    assert response.status_code == 302
    scheme = Scheme.objects.get(campaign=campaign)
    assert (scheme.weight_field, scheme.weight_meeting, scheme.weight_ballot) == (D(60), D(20), D(20))
    assert [(b.label, b.minimum) for b in scheme.bands.all()] == [
        ("好", D(90)),
        ("较好", D(80)),
        ("一般", D(60)),
        ("差", D(0)),
    ]


def test_unknown_components_show_unknown_never_full_marks(client, world):
    campaign, targets, items = world["campaign"], world["targets"], world["items"]
    client.force_login(world["admin"])
    client.post(url("scheme_create", campaign))
    finalize(targets["青山县"], items, deducted=D(5))  # 95
    MeetingScore.objects.create(
        campaign=campaign, unit=targets["青山县"].unit, score=D(90), entered_by=world["admin"]
    )
    page = client.get(url("index", campaign)).content.decode()
    assert "未知" in page and "暂定" in page
    # 民主测评 has no source yet: nobody's final score is known, nobody ranks, nobody is graded.
    assert page.count('data-testid="result-row"') == 3
    assert "95" in page  # the 实地考核 leg of 青山县 is shown
    results = client.get(url("index", campaign)).context["results"]
    assert all(r.result.score is None and r.result.grade is None for r in results.rows)


def test_the_scheme_form_saves_weights_and_bands_and_refuses_a_bad_sum_writing_nothing(client, world):
    campaign = world["campaign"]
    client.force_login(world["admin"])
    client.post(url("scheme_create", campaign))
    data = {
        "weight_field": "70",
        "weight_meeting": "30",
        "weight_ballot": "0",
        "meeting_source": "entered",
        "rectification_days": "30",
        "name_units": "on",
        "quota": "30",
        "band_label_0": "优秀",
        "band_min_0": "90",
        "band_label_1": "良好",
        "band_min_1": "80",
        "band_label_2": "一般",
        "band_min_2": "60",
        "band_label_3": "较差",
        "band_min_3": "0",
    }
    assert client.post(url("scheme", campaign), data).status_code == 302
    scheme = Scheme.objects.get()
    assert (scheme.weight_field, scheme.weight_ballot, scheme.quota) == (D(70), D(0), D(30))
    assert [b.label for b in scheme.bands.all()] == ["优秀", "良好", "一般", "较差"]

    bad = {**data, "weight_meeting": "20", "band_label_0": "甲"}
    page = client.post(url("scheme", campaign), bad).content.decode()
    assert "各组成部分的权重合计应为100%，现为90%。" in page
    scheme.refresh_from_db()
    assert scheme.weight_meeting == D(30) and Band.objects.filter(label="甲").count() == 0


def test_a_whole_year_confirmed_with_a_bonus_a_veto_and_a_manual_grade(client, world):
    campaign, targets, items = world["campaign"], world["targets"], world["items"]
    client.force_login(world["admin"])
    client.post(url("scheme_create", campaign))
    client.post(
        url("scheme", campaign),
        {
            "weight_field": "80",
            "weight_meeting": "20",
            "weight_ballot": "0",
            "meeting_source": "entered",
            "rectification_days": "30",
            "name_units": "on",
            "band_label_0": "好",
            "band_min_0": "90",
            "band_label_1": "较好",
            "band_min_1": "80",
            "band_label_2": "一般",
            "band_min_2": "60",
            "band_label_3": "差",
            "band_min_3": "0",
        },
    )
    client.post(
        url("item_add", campaign), {"kind": "bonus", "label": "获省级以上表彰", "points": "1", "cap": "2"}
    )
    client.post(
        url("item_add", campaign), {"kind": "veto", "label": "发生严重违纪违法问题", "veto_effect": "lowest"}
    )
    bonus, veto = Item.objects.get(kind="bonus"), Item.objects.get(kind="veto")

    for name, deducted in (("青山县", D(12)), ("绿水县", D(4)), ("白石区", D(0))):
        finalize(targets[name], items, deducted)
    units = {name: t.unit for name, t in targets.items()}
    client.post(
        url("meeting_scores", campaign),
        {
            f"score_{units['青山县'].pk}": "90",
            f"score_{units['绿水县'].pk}": "85.5",
            f"score_{units['白石区'].pk}": "95",
        },
    )
    assert MeetingScore.objects.count() == 3

    for _ in range(3):  # three awards of 1, capped at 2
        client.post(
            url("award_add", campaign, units["青山县"].pk), {"item": bonus.pk, "reason": "获省级表彰"}
        )
    client.post(
        url("award_add", campaign, units["白石区"].pk), {"item": veto.pk, "reason": "班子成员被立案审查"}
    )
    client.post(url("manual_grade", campaign, units["绿水县"].pk), {"grade": "好", "reason": "经部务会研究"})

    results = client.get(url("index", campaign)).context["results"]
    by_name = {r.target.unit.name: r.result for r in results.rows}
    # 青山县: 88×0.8 + 90×0.2 = 70.4 + 18 = 88.40, +2 → 90.40 好
    assert (by_name["青山县"].weighted, by_name["青山县"].score, by_name["青山县"].grade) == (
        D("88.40"),
        D("90.40"),
        "好",
    )
    # 绿水县: 96×0.8 + 85.5×0.2 = 76.8 + 17.1 = 93.90 好 (the manual 好 changes nothing but the mark)
    assert by_name["绿水县"].score == D("93.90") and by_name["绿水县"].manual
    # 白石区: 100×0.8 + 95×0.2 = 99.00, vetoed → 差, rank 1 still
    assert (by_name["白石区"].score, by_name["白石区"].grade, by_name["白石区"].rank) == (D("99.00"), "差", 1)

    page = client.get(url("index", campaign)).content.decode()
    assert "人工调整" in page and "一票否决" in page

    assert client.post(url("confirm", campaign)).status_code == 302
    scheme = Scheme.objects.get()
    assert scheme.is_confirmed and ResultEvent.objects.filter(action="confirm").count() == 1
    # Locked: nothing changes.
    before = Award.objects.count()
    client.post(url("award_add", campaign, units["青山县"].pk), {"item": bonus.pk, "reason": "再加"})
    assert Award.objects.count() == before
    response = client.post(
        url("meeting_scores", campaign), {f"score_{units['青山县'].pk}": "10"}, follow=True
    )
    assert "考核结果已确认" in response.content.decode()
    assert MeetingScore.objects.get(unit=units["青山县"]).score == D(90)

    # Reopening needs a reason.
    client.post(url("reopen", campaign), {"reason": " "})
    assert Scheme.objects.get().is_confirmed
    client.post(url("reopen", campaign), {"reason": "绿水县申诉，重新核实"})
    assert not Scheme.objects.get().is_confirmed
    assert ResultEvent.objects.get(action="reopen").reason == "绿水县申诉，重新核实"

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("xlsx", campaign)).content))
    rows = [[c.value for c in row] for row in workbook.active.iter_rows(min_row=3, max_row=5)]
    assert (
        rows[0][:2] == [1, "白石区"]
        and rows[0][-2] == "差"
        and "一票否决：发生严重违纪违法问题" in rows[0][-1]
    )
    green = next(r for r in rows if r[1] == "绿水县")
    assert green[-2] == "好（人工调整）" and "经部务会研究" in green[-1]


def test_confirming_is_refused_while_a_county_is_not_finalized(client, world):
    campaign, targets, items = world["campaign"], world["targets"], world["items"]
    client.force_login(world["admin"])
    client.post(url("scheme_create", campaign))
    client.post(
        url("scheme", campaign),
        {
            "weight_field": "100",
            "weight_meeting": "0",
            "weight_ballot": "0",
            "meeting_source": "entered",
            "rectification_days": "30",
            "name_units": "on",
            "band_label_0": "好",
            "band_min_0": "90",
            "band_label_1": "差",
            "band_min_1": "0",
        },
    )
    finalize(targets["青山县"], items)
    finalize(targets["绿水县"], items)
    response = client.post(url("confirm", campaign), follow=True)
    page = response.content.decode()
    assert "以下考核对象的结果尚未最终确定，不能确认：" in page and "白石区：实地考核尚未最终确定" in page
    assert not Scheme.objects.get().is_confirmed


def test_a_manual_grade_needs_a_reason_and_a_known_score(client, world):
    campaign, targets = world["campaign"], world["targets"]
    client.force_login(world["admin"])
    client.post(url("scheme_create", campaign))
    unit = targets["青山县"].unit
    page = client.post(url("manual_grade", campaign, unit.pk), {"grade": "好", "reason": ""}, follow=True)
    assert "人工调整等次必须写明理由。" in page.content.decode()
    page = client.post(url("manual_grade", campaign, unit.pk), {"grade": "好", "reason": "表彰"}, follow=True)
    assert "“青山县”的综合得分尚不确定，不能调整等次。" in page.content.decode()
    assert not ManualGrade.objects.exists()


def test_award_evidence_is_content_checked_and_nothing_is_written_when_refused(client, world):
    campaign, targets = world["campaign"], world["targets"]
    client.force_login(world["admin"])
    client.post(url("scheme_create", campaign))
    client.post(url("item_add", campaign), {"kind": "penalty", "label": "发生负面舆情", "points": "2"})
    item = Item.objects.get()
    fake = SimpleUploadedFile("通报.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(
        url("award_add", campaign, targets["青山县"].unit_id),
        {"item": item.pk, "reason": "舆情", "evidence": fake},
        follow=True,
    )
    assert "不是可接受的文件类型" in response.content.decode()
    assert not Award.objects.exists()


def test_an_item_with_records_is_not_deleted(client, world):
    campaign, targets = world["campaign"], world["targets"]
    client.force_login(world["admin"])
    client.post(url("scheme_create", campaign))
    client.post(url("item_add", campaign), {"kind": "bonus", "label": "获表彰", "points": "1"})
    item = Item.objects.get()
    client.post(url("award_add", campaign, targets["青山县"].unit_id), {"item": item.pk, "reason": "表彰"})
    page = client.post(url("item_delete", campaign, item.pk), follow=True).content.decode()
    assert "“获表彰”已有1条登记记录，请先删除这些记录。" in page
    assert Item.objects.exists()


def test_a_bad_meeting_score_is_refused_for_all_units(client, world):
    campaign, targets = world["campaign"], world["targets"]
    client.force_login(world["reviewer"])  # reviewers enter the 述职评议 scores
    create_scheme(campaign=campaign)
    a, b = targets["青山县"].unit, targets["绿水县"].unit
    page = client.post(
        url("meeting_scores", campaign), {f"score_{a.pk}": "88", f"score_{b.pk}": "九十"}
    ).content.decode()
    assert "“九十”不是数字。" in page
    page = client.post(
        url("meeting_scores", campaign), {f"score_{a.pk}": "88", f"score_{b.pk}": "120"}, follow=True
    )
    assert "述职评议得分应在0到100之间：绿水县。" in page.content.decode()
    assert not MeetingScore.objects.exists()


@pytest.mark.parametrize(
    "name,method,args",
    [
        ("index", "get", ()),
        ("scheme_create", "post", ()),
        ("scheme", "get", ()),
        ("item_add", "post", ()),
        ("meeting_scores", "get", ()),
        ("confirm", "post", ()),
        ("reopen", "post", ()),
        ("xlsx", "get", ()),
    ],
)
def test_group_people_are_refused_and_strangers_see_nothing(client, world, name, method, args):
    campaign = world["campaign"]
    create_scheme(campaign=campaign)
    client.force_login(world["leader"])
    assert getattr(client, method)(url(name, campaign, *args)).status_code == 403
    client.force_login(UserFactory(username="stranger"))
    assert getattr(client, method)(url(name, campaign, *args)).status_code == 404


@pytest.mark.parametrize("name", ["scheme", "item_add", "confirm", "reopen"])
def test_reviewers_read_but_do_not_set_the_scheme(client, world, name):
    campaign = world["campaign"]
    create_scheme(campaign=campaign)
    client.force_login(world["reviewer"])
    method = "get" if name == "scheme" else "post"
    assert getattr(client, method)(url(name, campaign)).status_code == 403
    assert client.get(url("index", campaign)).status_code == 200
