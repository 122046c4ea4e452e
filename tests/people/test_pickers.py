"""The person picker's search, and the campaign and group forms that use it (no Ctrl-click lists);
the group form's 考核方式 start unticked and at least one is required."""

import pytest
from django.urls import reverse

from accounts.models import User
from assessment.models import AssessmentGroup, GroupMember
from tests.factories import form_token
from units.models import Unit

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-person-label="')[1:]]


def test_search_by_name_or_unit_lists_name_and_unit(login, setup):
    finance = Unit.objects.get(name="青山县第1局")
    User.objects.filter(pk=setup["other"].pk).update(home_unit=finance)
    client = login(setup["admin"])
    assert _options(client.get(reverse("people:search"), {"q": "孙"}).content.decode()) == [
        "孙组员 · 青山县第1局"
    ]
    assert _options(client.get(reverse("people:search"), {"q": "青山县第1"}).content.decode()) == [
        "孙组员 · 青山县第1局"
    ]
    assert _options(client.get(reverse("people:search"), {"q": "组长"}).content.decode()) == ["钱组长"]


def test_search_leaves_out_deactivated_people_and_offers_to_create(login, setup):
    User.objects.filter(pk=setup["outsider"].pk).update(is_active=False)
    html = login(setup["admin"]).get(reverse("people:search"), {"q": "无关"}).content.decode()
    assert _options(html) == []
    assert "没有找到“无关”。" in html and reverse("people:create") in html


def test_search_says_where_someone_already_serves(login, setup):
    client = login(setup["admin"])
    url = reverse("people:search")
    html = client.get(url, {"q": "组", "campaign": setup["campaign"].pk}).content.decode()
    assert "已在市委第五考核组" in html and "已在市委第六考核组" in html
    # Editing 第五组: its own people are not elsewhere.
    html = client.get(
        url, {"q": "组", "campaign": setup["campaign"].pk, "group": setup["fifth"].pk}
    ).content.decode()
    assert "已在市委第五考核组" not in html and "已在市委第六考核组" in html


def test_the_group_form_has_pickers_a_create_link_and_no_method_ticked(login, setup):
    html = (
        login(setup["admin"])
        .get(reverse("campaigns:group_create", args=[setup["campaign"].pk]))
        .content.decode()
    )
    assert html.count("data-person-picker") == 2
    assert '<input type="hidden" name="members"' not in html  # no one chosen yet, and no list of everyone
    assert "<option" not in html.split('id="id_leader"')[0].rsplit("data-person-picker", 1)[-1]
    assert reverse("people:create") in html and "找不到？新建人员" in html
    assert 'name="methods"' in html and "checked" not in html.split('name="methods"')[1].split("</div>")[0]
    assert "js/person_picker.js" in html


def _group_data(setup, **fields):
    data = {
        "name": "市委第七考核组",
        "leader": setup["outsider"].pk,
        "members": [],
        "targets": [],
        "methods": ["document_check"],
        "form_token": form_token(),
    }
    data.update(fields)
    return data


def test_a_group_without_a_method_is_refused(login, setup):
    client = login(setup["admin"])
    response = client.post(
        reverse("campaigns:group_create", args=[setup["campaign"].pk]), _group_data(setup, methods=[])
    )
    assert "请至少选择一种考核方式。" in response.content.decode()
    assert not AssessmentGroup.objects.filter(name="市委第七考核组").exists()
    # The people chosen stay chosen on the page sent back.
    assert f'name="leader" value="{setup["outsider"].pk}"' in response.content.decode()


def test_a_group_without_a_leader_is_refused(login, setup):
    response = login(setup["admin"]).post(
        reverse("campaigns:group_create", args=[setup["campaign"].pk]), _group_data(setup, leader="")
    )
    assert "请指定考核组组长。" in response.content.decode()


def test_the_people_picked_are_saved(login, setup):
    extra = User.objects.create(username="newbie", name="新成员")
    response = login(setup["admin"]).post(
        reverse("campaigns:group_create", args=[setup["campaign"].pk]),
        _group_data(setup, members=[extra.pk], methods=["document_check", "symposium"]),
    )
    group = AssessmentGroup.objects.get(name="市委第七考核组")
    assert response["Location"] == group.get_absolute_url()
    assert {(m.user.username, m.role) for m in group.memberships.select_related("user")} == {
        ("outsider", "leader"),
        ("newbie", "member"),
    }
    assert group.methods == ["document_check", "symposium"]


def test_editing_a_group_shows_its_people_as_chips_and_keeps_a_deactivated_one(login, setup):
    User.objects.filter(pk=setup["member"].pk).update(is_active=False)
    client = login(setup["admin"])
    url = reverse("campaigns:group_edit", args=[setup["fifth"].pk])
    html = client.get(url).content.decode()
    assert f'data-person-id="{setup["leader"].pk}"' in html and "钱组长</span>" in html
    assert "李组员（已停用）" in html
    response = client.post(
        url,
        {
            "name": "市委第五考核组",
            "leader": setup["leader"].pk,
            "members": [setup["member"].pk],
            "targets": [setup["qingshan"].pk],
            "methods": ["document_check"],
        },
    )
    assert response.status_code == 302
    assert GroupMember.objects.filter(group=setup["fifth"], user=setup["member"]).exists()


def test_the_campaign_form_picks_reviewers(login, setup):
    client = login(setup["admin"])
    url = reverse("campaigns:edit", args=[setup["campaign"].pk])
    html = client.get(url).content.decode()
    assert "data-person-picker" in html and "赵审核</span>" in html and "按住 Ctrl" not in html
    data = {
        "title": setup["campaign"].title,
        "year": "2021",
        "issuer": "市委",
        "reviewers": [setup["outsider"].pk],
    }
    assert client.post(url, data).status_code == 302
    assert list(setup["campaign"].reviewers.values_list("username", flat=True)) == ["outsider"]
