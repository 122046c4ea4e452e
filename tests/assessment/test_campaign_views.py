"""The campaign pages as each role meets them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.exporting import checklist_template
from assessment.models import (
    Campaign,
    ChecklistImport,
    ChecklistItem,
    GroupMember,
    SampleDraw,
    SampledUnit,
    Target,
)
from assessment.services.editing import LATEST
from tests.factories import form_token

pytestmark = pytest.mark.django_db


def test_admin_creates_a_campaign_with_reviewers(login, setup):
    client = login(setup["admin"])
    response = client.post(
        reverse("campaigns:create"),
        {
            "title": "2022年度党建工作年终考核",
            "year": "2022",
            "issuer": "市委",
            "reviewers": [setup["reviewer"].pk],
            "form_token": form_token(),
        },
    )
    campaign = Campaign.objects.get(title="2022年度党建工作年终考核")
    assert response["Location"] == campaign.get_absolute_url()
    assert list(campaign.reviewers.all()) == [setup["reviewer"]]


def test_campaign_form_shows_service_errors(login, setup):
    response = login(setup["admin"]).post(
        reverse("campaigns:create"),
        {"title": "2021年度党建工作年终考核", "year": "2021", "issuer": "市委", "form_token": form_token()},
    )
    assert "已有名为“2021年度党建工作年终考核”的考核工作。" in response.content.decode()


def test_ordinary_user_cannot_create_a_campaign(login, setup):
    response = login(setup["outsider"]).post(reverse("campaigns:create"), {"title": "x", "year": "2022"})
    assert response.status_code == 403 and not Campaign.objects.filter(title="x").exists()


def test_reviewer_sees_every_group_member_only_their_own(login, setup):
    url = reverse("campaigns:detail", args=[setup["campaign"].pk])
    html = login(setup["reviewer"]).get(url).content.decode()
    assert "市委第五考核组" in html and "市委第六考核组" in html
    html = login(setup["member"]).get(url).content.decode()
    assert "市委第五考核组" in html and "市委第六考核组" not in html and "绿水县" not in html


def test_campaign_list_shows_only_campaigns_with_a_role(login, setup):
    html = login(setup["member"]).get(reverse("campaigns:index")).content.decode()
    assert "2021年度党建工作年终考核" in html
    html = login(setup["outsider"]).get(reverse("campaigns:index")).content.decode()
    assert "2021年度党建工作年终考核" not in html and "您目前没有参加任何考核工作" in html


def test_home_lists_exactly_the_inspectors_targets(login, setup):
    html = login(setup["member"]).get(reverse("home")).content.decode()
    assert html.count('data-testid="my-target"') == 1
    assert "青山县" in html and "市委第五考核组 · 成员" in html
    html = login(setup["leader"]).get(reverse("home")).content.decode()
    assert "市委第五考核组 · 组长" in html


def test_home_card_shows_the_targets_state_and_items_done(login, setup, django_assert_max_num_queries):
    from assessment.services import findings
    from tests.factories import ChecklistItemFactory

    item, target = setup["item"], setup["qs_target"]
    second = ChecklistItemFactory(campaign=setup["campaign"], order=2, title="统战工作")
    findings.score_decide(target=target, item=item, decided=True, version=LATEST, user=setup["member"])
    findings.evaluation_lead_save(
        target=target, item=item, lead="总体较好", version=LATEST, user=setup["member"]
    )
    findings.score_decide(
        target=target, item=second, decided=True, version=LATEST, user=setup["member"]
    )  # no evaluation
    Target.objects.filter(pk=target.pk).update(status=Target.Status.RETURNED)
    client = login(setup["member"])
    client.get(reverse("home"))
    # 8, the to-do list's two (assessment.selectors.todo), and whether the person is a unit's liaison
    with django_assert_max_num_queries(11):
        html = client.get(reverse("home")).content.decode()
    card = html.split('data-testid="my-target"')[1].split("</a>")[0]
    assert 'data-testid="my-target-status">退回修改<' in card
    assert "已完成 1/2 项" in card


def test_home_lists_a_reviewers_campaigns(login, setup):
    html = login(setup["reviewer"]).get(reverse("home")).content.decode()
    assert "我审核的考核工作" in html and "2021年度党建工作年终考核" in html


def test_status_change_from_the_overview(login, setup):
    login(setup["admin"]).post(reverse("campaigns:status", args=[setup["campaign"].pk]), {"status": "active"})
    assert Campaign.objects.get(pk=setup["campaign"].pk).status == "active"


def test_reviewer_cannot_change_status(login, setup):
    response = login(setup["reviewer"]).post(
        reverse("campaigns:status", args=[setup["campaign"].pk]), {"status": "active"}
    )
    assert response.status_code == 403
    assert Campaign.objects.get(pk=setup["campaign"].pk).status == "preparing"


# --- groups -----------------------------------------------------------------------


def test_group_form_warns_about_recusal_then_saves_with_a_reason(login, setup):
    setup["other"].home_unit = setup["qingshan"].children.first()
    setup["other"].save()
    client = login(setup["admin"])
    data = {
        "name": "市委第七考核组",
        "leader": setup["outsider"].pk,
        "members": [],
        "targets": [],
        "methods": ["random_sampling"],
        "form_token": form_token(),  # refused for the recusal, the same form is sent again
    }
    GroupMember.objects.filter(user=setup["other"]).delete()
    Target.objects.filter(unit=setup["qingshan"]).delete()
    data.update(members=[setup["other"].pk], targets=[setup["qingshan"].pk])
    response = client.post(reverse("campaigns:group_create", args=[setup["campaign"].pk]), data)
    html = response.content.decode()
    assert 'data-testid="recusal-warning"' in html
    assert f"孙组员 的所在单位“{setup['other'].home_unit.name}”位于考核对象“青山县”内" in html
    assert not Target.objects.filter(unit=setup["qingshan"]).exists()

    data["recusal_reason"] = "仅负责资料汇总，不参与评分"
    response = client.post(reverse("campaigns:group_create", args=[setup["campaign"].pk]), data)
    assert response.status_code == 302
    assert GroupMember.objects.get(user=setup["other"]).recusal_reason == "仅负责资料汇总，不参与评分"


def test_group_form_marks_people_serving_elsewhere(login, setup):
    client = login(setup["admin"])
    page = client.get(reverse("campaigns:group_create", args=[setup["campaign"].pk])).content.decode()
    search = page.split('data-search-url="')[1].split('"')[0].replace("&amp;", "&")
    assert search == reverse("people:search") + f"?campaign={setup['campaign'].pk}"
    html = client.get(search + "&q=孙组员").content.decode()
    assert "已在市委第六考核组" in html
    html = client.get(search + "&q=赵审核").content.decode()
    assert "已在审核人员" in html


def test_group_page_is_hidden_from_another_group(login, setup):
    assert login(setup["other"]).get(reverse("campaigns:group", args=[setup["fifth"].pk])).status_code == 404
    assert login(setup["member"]).get(reverse("campaigns:group", args=[setup["fifth"].pk])).status_code == 200


# --- checklist import ------------------------------------------------------------


def test_checklist_upload_previews_then_replaces_on_confirm(login, setup):
    client = login(setup["admin"])
    upload = SimpleUploadedFile("清单.xlsx", checklist_template())
    response = client.post(
        reverse("campaigns:checklist_import", args=[setup["campaign"].pk]),
        {"file": upload, "form_token": form_token()},
    )
    record = ChecklistImport.objects.get()
    assert response["Location"] == reverse("campaigns:checklist_import_preview", args=[record.pk])
    html = client.get(response["Location"]).content.decode()
    assert "导入后将替换现有的考核项目清单（1 个项目）" in html
    assert ChecklistItem.objects.filter(campaign=setup["campaign"]).get().title == "老干部工作"

    client.post(reverse("campaigns:checklist_import_confirm", args=[record.pk]))
    titles = list(ChecklistItem.objects.filter(campaign=setup["campaign"]).values_list("title", flat=True))
    assert titles and "老干部工作" not in titles
    record.refresh_from_db()
    assert record.status == "applied"


def test_checklist_upload_with_errors_writes_nothing(login, setup):
    client = login(setup["admin"])
    upload = SimpleUploadedFile("清单.xlsx", b"not a workbook")
    response = client.post(
        reverse("campaigns:checklist_import", args=[setup["campaign"].pk]),
        {"file": upload, "form_token": form_token()},
        follow=True,
    )
    assert "文件不是 Excel 工作簿" in response.content.decode()
    assert 'data-testid="confirm-import"' not in response.content.decode()
    assert ChecklistItem.objects.filter(campaign=setup["campaign"]).count() == 1


def test_checklist_export_downloads_for_a_member(login, setup):
    response = login(setup["member"]).get(reverse("campaigns:checklist_export", args=[setup["campaign"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- sampling ----------------------------------------------------------------------


def test_draw_preview_saves_nothing_and_draw_saves(login, setup):
    client = login(setup["admin"])
    url = reverse("campaigns:target_draw", args=[setup["qs_target"].pk])
    html = client.post(url, {"seed": "20220110", "preview": "1"}).content.decode()
    assert 'data-testid="draw-preview"' in html and "考核组抽查了" in html
    assert not SampleDraw.objects.exists()
    response = client.post(url, {"seed": "20220110", "draw": "1", "form_token": form_token()})
    assert response.status_code == 302
    draw = SampleDraw.objects.get()
    assert (draw.seed, draw.drawn_by) == (20220110, setup["admin"])


def test_draw_all_draws_every_target_with_one_seed(login, setup):
    login(setup["admin"]).post(
        reverse("campaigns:draw_all", args=[setup["campaign"].pk]),
        {"all-seed": "7", "form_token": form_token()},
    )
    assert sorted(SampleDraw.objects.values_list("target__unit__name", "seed")) == [
        ("绿水县", 7),
        ("青山县", 7),
    ]


def test_leader_adds_a_unit_by_hand_member_cannot(login, setup):
    from tests.factories import UnitFactory
    from units.models import Unit

    login(setup["admin"]).post(
        reverse("campaigns:draw_all", args=[setup["campaign"].pk]),
        {"all-seed": "7", "form_token": form_token()},
    )
    school = UnitFactory(
        name="青山县第一中学", kind=Unit.Kind.SCHOOL, parent=setup["qingshan"]
    )  # never drawn
    url = reverse("campaigns:sample_add", args=[setup["qs_target"].pk])
    assert login(setup["member"]).post(url, {"unit": school.pk, "reason": "线索"}).status_code == 403
    assert not SampledUnit.objects.filter(stratum="manual").exists()
    response = login(setup["leader"]).post(
        url, {"unit": school.pk, "reason": "群众反映食堂管理问题", "form_token": form_token()}
    )
    assert response.status_code == 302
    manual = SampledUnit.objects.get(stratum="manual")
    assert (manual.unit, manual.reason, manual.added_by) == (school, "群众反映食堂管理问题", setup["leader"])


def test_target_page_shows_sentence_and_print_sheet_the_seed(login, setup):
    login(setup["admin"]).post(
        reverse("campaigns:draw_all", args=[setup["campaign"].pk]),
        {"all-seed": "99", "form_token": form_token()},
    )
    client = login(setup["member"])
    html = client.get(reverse("campaigns:target_sample", args=[setup["qs_target"].pk])).content.decode()
    assert 'data-testid="sampling-sentence"' in html and "考核组抽查了3个县直机关单位" in html
    html = client.get(reverse("campaigns:sample_print", args=[setup["qs_target"].pk])).content.decode()
    assert "随机种子：99" in html and "青山县抽查单位名单" in html


def test_member_of_another_group_cannot_see_the_target(login, setup):
    assert (
        login(setup["other"]).get(reverse("campaigns:target", args=[setup["qs_target"].pk])).status_code
        == 404
    )


def test_default_plan_saved_by_admin_only(login, setup):
    url = reverse("campaigns:sampling", args=[setup["campaign"].pk])
    data = {
        f"plan-{k}": "2"
        for k in (
            "county_organs",
            "county_institutions",
            "townships",
            "villages_per_township",
            "stations_per_township",
        )
    }
    assert login(setup["reviewer"]).post(url, data).status_code == 403
    login(setup["admin"]).post(url, data)
    from assessment.services.sampling import effective_plan

    assert effective_plan(setup["qs_target"])["townships"] == 2
