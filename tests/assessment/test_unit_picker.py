"""Any unit of the county in a deduction or a problem: the picker's search, the forms, and the
非抽查单位 mark on the workspace."""

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Deduction, Problem, Target
from assessment.services import findings
from assessment.services.sampling import current_draw, sample_draw
from tests.factories import UnitFactory, form_token, township, village
from units.models import Unit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ws(setup):
    target, item = setup["qs_target"], setup["item"]
    sample_draw(target=target, seed=7, user=setup["admin"])
    sampled = [s.unit for s in current_draw(target).units.select_related("unit").order_by("position")]
    # Units of the county outside the draw (made after it), and one of the other county.
    qs = setup["qingshan"]
    outside = UnitFactory(name="青山县交通运输局", kind=Unit.Kind.COUNTY_ORGAN, parent=qs)
    media = UnitFactory(name="青山县融媒体中心", kind=Unit.Kind.COUNTY_INSTITUTION, parent=qs)
    far_town = township(qs, "石桥镇")
    far_village = village(far_town, "石桥村")
    UnitFactory(name="青山县交通运输局旧址", kind=Unit.Kind.COUNTY_ORGAN, parent=qs, is_active=False)
    foreign = UnitFactory(name="绿水县交通运输局", kind=Unit.Kind.COUNTY_ORGAN, parent=setup["lvshui"])
    return {
        **setup,
        "target": target,
        "sampled": sampled,
        "outside": outside,
        "media": media,
        "far_village": far_village,
        "foreign": foreign,
        "url": reverse("campaigns:target_item", args=[target.pk, item.pk]),
        "search": reverse("campaigns:unit_search", args=[target.pk]),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def search(ws, query: str, user=None) -> str:
    response = client_for(user or ws["member"]).get(ws["search"], {"q": query}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def option_ids(html: str) -> list[int]:
    return [int(part.split('"', 1)[0]) for part in html.split('data-unit-id="')[1:]]


# -- the search ---------------------------------------------------------------------------------


def test_without_a_query_the_picker_lists_the_sample_by_stratum(ws):
    html = search(ws, "")

    assert option_ids(html) == [u.pk for u in ws["sampled"]]
    assert "抽查单位 · 县直机关单位" in html and "抽查单位 · 村（社区）" in html
    assert "输入名称可查找青山县的其他单位" in html
    assert "非抽查单位" not in html


def test_typing_finds_units_of_the_county_beyond_the_sample(ws):
    html = search(ws, "交通")

    # The active organ of this county: not the deactivated one, not the other county's.
    assert option_ids(html) == [ws["outside"].pk]
    assert "青山县的其他单位" in html and "非抽查单位" in html
    assert 'data-unit-name="青山县交通运输局" data-unit-where="" data-sampled="0"' in html


def test_a_village_is_found_by_its_township_and_shows_where_it_is(ws):
    html = search(ws, "石桥")

    assert option_ids(html) == [ws["far_village"].parent_id, ws["far_village"].pk]
    assert 'data-unit-name="石桥村" data-unit-where="石桥镇"' in html


def test_sampled_units_matching_the_query_come_first(ws):
    sampled_village = next(u for u in ws["sampled"] if u.kind == Unit.Kind.VILLAGE)

    ids = option_ids(search(ws, sampled_village.name))

    assert ids[0] == sampled_village.pk
    assert ids.count(sampled_village.pk) == 1


def test_a_unit_of_another_county_is_never_offered(ws):
    assert ws["foreign"].pk not in option_ids(search(ws, "绿水"))
    assert "青山县没有名称含“绿水”的在用单位。" in search(ws, "绿水")


def test_many_matches_are_cut_to_the_closest_with_a_note(ws):
    town = township(ws["qingshan"], "大营镇")
    for n in range(30):
        village(town, f"大营{n:02d}村")

    html = search(ws, "大营")

    assert len(option_ids(html)) == 20
    assert option_ids(html)[0] == town.pk  # a township before its villages
    assert "只列出最接近的 20 个，请输入更多字缩小范围。" in html


def test_the_search_takes_a_fixed_number_of_queries(ws, django_assert_max_num_queries):
    client = client_for(ws["member"])
    client.get(ws["search"], {"q": "村"})
    with django_assert_max_num_queries(8):
        assert client.get(ws["search"], {"q": "村"}).status_code == 200


def test_the_search_is_for_those_who_write_the_findings(ws):
    url = ws["search"] + "?q=交通"
    assert client_for(ws["leader"]).get(url).status_code == 200
    assert client_for(ws["admin"]).get(url).status_code == 200
    assert client_for(ws["reviewer"]).get(url).status_code == 403  # reads the county, writes nothing
    assert client_for(ws["other"]).get(url).status_code == 404  # another group's member
    assert client_for(ws["outsider"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page
    lv_search = reverse("campaigns:unit_search", args=[ws["lv_target"].pk])
    assert client_for(ws["member"]).get(lv_search + "?q=交通").status_code == 404  # another county


def test_the_search_closes_with_the_findings(ws):
    Target.objects.filter(pk=ws["target"].pk).update(status=Target.Status.SUBMITTED)

    assert client_for(ws["member"]).get(ws["search"] + "?q=交通").status_code == 403


# -- the forms --------------------------------------------------------------------------------


def blank_forms(ws) -> list[str]:
    client = client_for(ws["member"])
    criterion = ws["item"].criteria.get()
    t, i = ws["target"].pk, ws["item"].pk
    return [
        client.get(reverse("campaigns:deduction_create", args=[t, i]) + f"?criterion={criterion.pk}", **HTMX),
        client.get(reverse("campaigns:problem_create", args=[t, i]), **HTMX),
        client.get(reverse("campaigns:target_examples", args=[t])),
    ]


def test_the_forms_carry_a_picker_and_no_list_of_units(ws):
    for response in blank_forms(ws):
        html = response.content.decode()
        assert f'data-search-url="{ws["search"]}"' in html
        assert '<input type="hidden" name="unit" value="">' in html
        assert 'name="unit_label"' in html and 'role="combobox"' in html
        assert "<option" not in html.split("data-unit-picker")[1].split("app-unit-hint")[0]
        assert html.count("<option") <= 3  # the problem's 整改状态 only


def test_editing_shows_the_unit_with_its_place_and_whether_it_was_sampled(ws):
    criterion = ws["item"].criteria.get()
    client = client_for(ws["member"])
    for unit, off_sample in ((ws["sampled"][0], False), (ws["far_village"], True)):
        deduction = findings.deduction_create(
            target=ws["target"],
            item=ws["item"],
            criterion=criterion,
            unit=unit,
            points="0.5",
            reason="台账不全",
            user=ws["member"],
        )
        html = client.get(reverse("campaigns:deduction_edit", args=[deduction.pk]), **HTMX).content.decode()
        picker = html.split(f'id="deduction-{deduction.pk}-unit"')[0].rsplit("data-unit-picker", 1)[1]
        picker += html.split(f'id="deduction-{deduction.pk}-unit"')[1].split("</form>")[0]
        assert f'<input type="hidden" name="unit" value="{unit.pk}">' in picker
        assert f'value="{unit.name}"' in picker
        assert ("data-off-sample>非抽查单位" in picker) is off_sample
        if off_sample:
            assert "<span data-unit-where>石桥镇</span>" in picker


def post_deduction(ws, data: dict, user=None):
    criterion = ws["item"].criteria.get()
    url = reverse("campaigns:deduction_create", args=[ws["target"].pk, ws["item"].pk])
    payload = {
        "form_token": form_token(),
        "criterion": criterion.pk,
        "points": "1",
        "reason": "资料印证：未按要求报送",
        **data,
    }
    return client_for(user or ws["member"]).post(url, payload, **HTMX)


def test_a_deduction_at_a_county_organ_outside_the_sample_is_saved_and_marked(ws):
    outside = ws["outside"]

    response = post_deduction(ws, {"unit": outside.pk, "unit_label": outside.name})

    assert response.status_code == 200
    assert Deduction.objects.get().unit == outside
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    row = html.split('data-testid="deduction"')[1].split("</li>")[0]
    assert "青山县交通运输局" in row and 'data-testid="off-sample">非抽查单位' in row


def test_a_deduction_at_a_sampled_unit_is_not_marked(ws):
    unit = ws["sampled"][0]

    post_deduction(ws, {"unit": unit.pk, "unit_label": unit.name})

    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    assert unit.name in html.split('data-testid="deduction"')[1].split("</li>")[0]
    assert 'data-testid="off-sample"' not in html


def test_a_problem_at_a_unit_outside_the_sample_is_saved_and_marked(ws):
    url = reverse("campaigns:problem_create", args=[ws["target"].pk, ws["item"].pk])
    media = ws["media"]

    client_for(ws["member"]).post(
        url,
        {
            "form_token": form_token(),
            "text": "融媒体中心党支部“三会一课”记录不全",
            "unit": media.pk,
            "unit_label": media.name,
            "rectification": "open",
        },
        **HTMX,
    )

    assert Problem.objects.get().unit == media
    html = client_for(ws["member"]).get(ws["url"]).content.decode()
    row = html.split('data-testid="problem"')[1].split("</li>")[0]
    assert "青山县融媒体中心" in row and 'data-testid="off-sample">非抽查单位' in row


def test_a_name_typed_without_picking_is_found_in_the_county(ws):
    response = post_deduction(ws, {"unit": "", "unit_label": " 青山县交通运输局 "})

    assert response.status_code == 200
    assert Deduction.objects.get().unit == ws["outside"]


def test_a_name_typed_over_a_picked_unit_wins(ws):
    response = post_deduction(ws, {"unit": ws["sampled"][0].pk, "unit_label": "青山县融媒体中心"})

    assert response.status_code == 200
    assert Deduction.objects.get().unit == ws["media"]


def test_an_emptied_box_names_no_unit(ws):
    response = post_deduction(ws, {"unit": ws["outside"].pk, "unit_label": ""})

    assert response.status_code == 200
    assert Deduction.objects.get().unit is None


def test_an_unknown_name_is_refused_saying_so_and_nothing_is_written(ws):
    response = post_deduction(ws, {"unit": "", "unit_label": "县不存在局"})

    assert response.status_code == 422
    assert "青山县没有名为“县不存在局”的单位。请输入名称的一部分，从列表中选择，或清空此项。" in (
        response.content.decode()
    )
    assert 'value="县不存在局"' in response.content.decode()  # as the user left it
    assert not Deduction.objects.exists()


def test_a_name_two_units_share_asks_to_pick_one(ws):
    village(township(ws["qingshan"], "河口镇"), "石桥村")

    response = post_deduction(ws, {"unit": "", "unit_label": "石桥村"})

    assert response.status_code == 422
    assert "青山县有多个“石桥村”（石桥镇的石桥村、河口镇的石桥村），请从列表中选择其中一个。" in (
        response.content.decode()
    )
    assert not Deduction.objects.exists()


def test_a_unit_of_another_county_is_refused_by_id_or_by_name(ws):
    foreign = ws["foreign"]
    for data in (
        {"unit": foreign.pk},
        {"unit": foreign.pk, "unit_label": foreign.name},
        {"unit_label": foreign.name},
    ):
        response = post_deduction(ws, data)
        assert response.status_code == 422, data
    assert not Deduction.objects.exists()


# -- the 抽查单位 tab -----------------------------------------------------------------------------


def test_the_sample_tab_lists_units_outside_the_sample_with_their_findings(ws):
    criterion = ws["item"].criteria.get()
    for unit in (ws["outside"], ws["outside"], ws["sampled"][0]):
        findings.deduction_create(
            target=ws["target"],
            item=ws["item"],
            criterion=criterion,
            unit=unit,
            points="0.5",
            reason="缺",
            user=ws["member"],
        )
    findings.problem_create(
        target=ws["target"], item=ws["item"], text="问题", unit=ws["far_village"], user=ws["member"]
    )

    html = (
        client_for(ws["member"])
        .get(reverse("campaigns:target_sample", args=[ws["target"].pk]))
        .content.decode()
    )

    card = html.split('data-testid="off-sample-units"')[1].split("</ul>")[0]
    assert "2 个单位" in card
    assert card.index("青山县交通运输局") < card.index("石桥村")  # an organ before a village
    assert "扣分 2 条" in card and "问题 1 个" in card and "（石桥镇）" in card
    assert ws["sampled"][0].name not in card
