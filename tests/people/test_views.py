"""用户管理 as administrators meet it: the list, a person's page, create, edit, deactivate, reset a
password, unlock — and every other role refused."""

from html import unescape

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from accounts.models import AuditLog, User
from assessment.models import GroupMember
from tests.factories import AdminFactory, UnitFactory, UserFactory, form_token
from units.models import Unit

pytestmark = pytest.mark.django_db
Kind = AuditLog.Kind


def _fail_sign_in(username: str, ip: str = "10.0.0.7", times: int = 5) -> None:
    for _ in range(times):
        Client().post(reverse("accounts:login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.9.9"
    )
    return response.status_code == 302 and "login" not in response["Location"]


@pytest.fixture
def finance(setup):
    return Unit.objects.get(name="青山县第1局")


def _create(client, **fields):
    data = {"name": "", "username": "", "home_unit": "", "title": "", "phone": "", "form_token": form_token()}
    data.update(fields)
    return client.post(reverse("people:create"), data)


# --- the list ------------------------------------------------------------------------------------------


def _listed(client, **params) -> list[str]:
    html = client.get(reverse("people:index"), params).content.decode()
    return [part.split("</code>", 1)[0] for part in html.split('data-testid="person-row"')[1:]]


def _usernames(client, **params) -> list[str]:
    return [row.split("<code>", 1)[1] for row in _listed(client, **params)]


def test_the_list_shows_each_persons_unit_roles_and_state(login, setup, finance):
    User.objects.filter(pk=setup["other"].pk).update(home_unit=finance, title="科员", phone="13800000001")
    html = login(setup["admin"]).get(reverse("people:index")).content.decode()
    row = html.split('data-testid="person-row"')[1:]
    other = next(r for r in row if "<code>other</code>" in r)
    assert "青山县第1局" in other and "科员" in other and "13800000001" in other
    assert "2021 · 成员" in other and "市委第六考核组" in other
    assert "共 6 人" in html


def test_search_by_name_username_and_unit(login, setup, finance):
    User.objects.filter(pk=setup["other"].pk).update(home_unit=finance)
    client = login(setup["admin"])
    assert _usernames(client, q="钱组") == ["leader"]
    assert _usernames(client, q="review") == ["reviewer"]
    assert _usernames(client, q="第1局") == ["other"]


def test_the_unit_filter_takes_the_units_below(login, setup, finance):
    village = Unit.objects.filter(
        kind=Unit.Kind.VILLAGE, ancestry__startswith=setup["qingshan"].descendant_prefix
    ).first()
    User.objects.filter(pk=setup["other"].pk).update(home_unit=finance)
    User.objects.filter(pk=setup["member"].pk).update(home_unit=village)
    User.objects.filter(pk=setup["leader"].pk).update(home_unit=Unit.objects.get(name="绿水县第1局"))
    assert _usernames(login(setup["admin"]), unit=setup["qingshan"].pk) == ["member", "other"]


def test_the_role_filter_in_a_campaign_or_any(login, setup):
    client = login(setup["admin"])
    assert _usernames(client, role="leader") == ["leader"]
    assert _usernames(client, role="member", campaign=setup["campaign"].pk) == ["member", "other"]
    assert _usernames(client, role="reviewer") == ["reviewer"]
    assert _usernames(client, role="none") == ["boss", "outsider"]


def test_the_status_and_locked_filters(login, setup):
    User.objects.filter(pk=setup["outsider"].pk).update(is_active=False)
    _fail_sign_in("member")
    client = login(setup["admin"])
    assert "outsider" not in _usernames(client)
    assert _usernames(client, status="inactive") == ["outsider"]
    assert _usernames(client, locked="on") == ["member"]
    html = client.get(reverse("people:index")).content.decode()
    member = next(r for r in html.split('data-testid="person-row"') if "<code>member</code>" in r)
    assert 'data-testid="locked-badge"' in member


def test_the_list_is_paginated(login, setup):
    for n in range(55):
        UserFactory(username=f"zz{n:02d}")
    client = login(setup["admin"])
    first, second = client.get(reverse("people:index")), client.get(reverse("people:index"), {"page": 2})
    assert first.content.decode().count('data-testid="person-row"') == 50
    assert second.content.decode().count('data-testid="person-row"') == 11
    assert "?page=2" in first.content.decode()


def test_the_list_and_a_persons_page_offer_unlocking(login, setup):
    _fail_sign_in("member")
    client = login(setup["admin"])
    assert reverse("accounts:lockouts") in client.get(reverse("people:index")).content.decode()
    html = client.get(reverse("people:detail", args=[setup["member"].pk])).content.decode()
    assert 'data-testid="person-locks"' in html and reverse("accounts:lockouts") in html


# --- a person's page ----------------------------------------------------------------------------------


def test_a_persons_page_lists_their_roles_across_campaigns(login, setup):
    html = login(setup["admin"]).get(reverse("people:detail", args=[setup["leader"].pk])).content.decode()
    roles = html.split('data-testid="person-roles"')[1]
    assert (
        "2021年度党建工作年终考核" in roles
        and "组长" in roles
        and "市委第五考核组" in roles
        and "青山县" in roles
    )
    html = login(setup["admin"]).get(reverse("people:detail", args=[setup["outsider"].pk])).content.decode()
    assert "尚未参加任何考核工作" in html


# --- create ------------------------------------------------------------------------------------------


def test_create_a_person_shows_the_one_time_password_once(login, setup, finance):
    client = login(setup["admin"])
    response = _create(
        client,
        name="周小平",
        username="ZhouXP",
        home_unit=finance.pk,
        home_unit_label=finance.name,
        title="办公室主任",
        phone="138 0000 0002",
    )
    person = User.objects.get(username="zhouxp")
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert (person.name, person.home_unit, person.title, person.phone) == (
        "周小平",
        finance,
        "办公室主任",
        "13800000002",
    )
    assert person.must_change_password and not person.is_staff and person.is_active
    html = client.get(response["Location"]).content.decode()
    password = unescape(html.split('data-testid="password-value">')[1].split("<")[0])
    assert person.check_password(password)
    assert 'data-testid="one-time-password"' not in client.get(response["Location"]).content.decode()
    entry = AuditLog.objects.get(kind=Kind.PASSWORD_RESET, object_id=str(person.pk))
    assert entry.actor == setup["admin"] and "新建账户" in entry.detail
    # The person signs in with it and is sent to choose their own.
    signed_in = Client()
    signed_in.post(
        reverse("accounts:login"), {"username": "zhouxp", "password": password}, REMOTE_ADDR="10.9.9.9"
    )
    assert signed_in.get(reverse("home"))["Location"] == reverse("accounts:password_change")


def test_a_blank_username_is_made_from_the_pinyin(login, setup):
    UserFactory(username="zhangsan")
    client = login(setup["admin"])
    _create(client, name="张三")
    _create(client, name="张三")
    assert set(User.objects.filter(name="张三").values_list("username", flat=True)) == {
        "zhangsan2",
        "zhangsan3",
    }


def test_a_typed_unit_is_looked_up_and_an_ambiguous_one_refused(login, setup, finance):
    client = login(setup["admin"])
    _create(client, name="王五", home_unit_label="青山县第1局")
    assert User.objects.get(name="王五").home_unit == finance
    html = _create(client, name="赵六", home_unit_label="城关镇").content.decode()
    assert "“城关镇”对应多个单位：青山县/城关镇、绿水县/城关镇。请写出上级路径" in html
    assert not User.objects.filter(name="赵六").exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": ""}, "这个字段是必填项。"),
        ({"phone": "0791-8600000"}, "不是有效的手机号码"),
        ({"username": "LEADER"}, "用户名“leader”已被钱组长使用。"),
        ({"username": "张三"}, "用户名“张三”不符合要求"),
        ({"name": "𠮷田"}, "无法自动生成用户名，请填写用户名"),
    ],
)
def test_bad_input_is_refused_and_nothing_created(login, setup, fields, message):
    before = User.objects.count()
    response = _create(login(setup["admin"]), **{"name": "新人员", **fields})
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.count() == before


def test_a_double_submission_creates_one_person(login, setup):
    client = login(setup["admin"])
    token = form_token()
    _create(client, name="孔乙己", form_token=token)
    response = _create(client, name="孔乙己", form_token=token)
    assert User.objects.filter(name="孔乙己").count() == 1
    assert response["Location"] == reverse("people:detail", args=[User.objects.get(name="孔乙己").pk])


# --- edit ---------------------------------------------------------------------------------------------


def _edit(client, person, **fields):
    data = {
        "name": person.name,
        "username": person.username,
        "home_unit": person.home_unit_id or "",
        "title": person.title,
        "phone": person.phone,
        "is_staff": "on" if person.is_staff else "",
    }
    data.update(fields)
    return client.post(reverse("people:edit", args=[person.pk]), data)


def test_edit_a_person(login, setup, finance):
    client = login(setup["admin"])
    assert "孙组员" in client.get(reverse("people:edit", args=[setup["other"].pk])).content.decode()
    response = _edit(
        client,
        setup["other"],
        name="孙志强",
        username="sunzq",
        home_unit=finance.pk,
        title="科长",
        is_staff="on",
    )
    assert response["Location"] == reverse("people:detail", args=[setup["other"].pk])
    other = User.objects.get(pk=setup["other"].pk)
    assert (other.name, other.username, other.home_unit, other.title, other.is_staff) == (
        "孙志强",
        "sunzq",
        finance,
        "科长",
        True,
    )
    _edit(client, other, home_unit="", home_unit_label="")
    assert User.objects.get(pk=other.pk).home_unit is None


def test_an_administrator_keeps_their_own_admin_rights(login, setup):
    response = _edit(login(setup["admin"]), setup["admin"], is_staff="")
    assert "不能取消自己的系统管理员身份。" in response.content.decode()
    assert User.objects.get(pk=setup["admin"].pk).is_staff


def test_an_administrator_demotes_another_not_themselves(login, setup):
    other_admin = AdminFactory(username="boss2")
    response = _edit(login(other_admin), setup["admin"], is_staff="")
    assert response.status_code == 302 and not User.objects.get(pk=setup["admin"].pk).is_staff
    response = _edit(login(other_admin), User.objects.get(pk=other_admin.pk), is_staff="")
    assert "不能取消自己的系统管理员身份" in response.content.decode()


# --- deactivate and reactivate --------------------------------------------------------------------------


def test_deactivate_keeps_the_persons_work_and_stops_sign_in(login, setup):
    client = login(setup["admin"])
    page = client.get(reverse("people:deactivate", args=[setup["leader"].pk])).content.decode()
    assert 'data-testid="current-roles"' in page and "市委第五考核组" in page
    response = client.post(reverse("people:deactivate", args=[setup["leader"].pk]))
    assert response["Location"] == reverse("people:detail", args=[setup["leader"].pk])
    leader = User.objects.get(pk=setup["leader"].pk)
    assert not leader.is_active
    assert GroupMember.objects.filter(user=leader, role="leader").exists()
    assert not _signs_in("leader", "pass-for-tests-1")
    assert "已停用" in client.get(response["Location"]).content.decode()
    client.post(reverse("people:reactivate", args=[leader.pk]))
    assert User.objects.get(pk=leader.pk).is_active and _signs_in("leader", "pass-for-tests-1")


def test_a_deactivated_persons_session_ends(login, setup):
    member = Client()
    member.force_login(setup["member"])
    assert member.get(reverse("home")).status_code == 200
    login(setup["admin"]).post(reverse("people:deactivate", args=[setup["member"].pk]))
    assert member.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_nobody_deactivates_themselves(login, setup):
    client = login(setup["admin"])
    client.post(reverse("people:deactivate", args=[setup["admin"].pk]))
    assert User.objects.get(pk=setup["admin"].pk).is_active
    assert "不能停用自己的账户。" in client.get(reverse("people:index")).content.decode()


def test_deletion_is_not_offered(login, setup):
    html = login(setup["admin"]).get(reverse("people:detail", args=[setup["member"].pk])).content.decode()
    assert "删除" not in html


# --- passwords and locks -----------------------------------------------------------------------------


def test_reset_a_password(login, setup):
    client = login(setup["admin"])
    assert (
        "生成新密码"
        in client.get(reverse("people:reset_password", args=[setup["member"].pk])).content.decode()
    )
    response = client.post(reverse("people:reset_password", args=[setup["member"].pk]))
    html = client.get(response["Location"]).content.decode()
    password = unescape(html.split('data-testid="password-value">')[1].split("<")[0])
    member = User.objects.get(pk=setup["member"].pk)
    assert member.check_password(password) and not member.check_password("pass-for-tests-1")
    assert member.must_change_password
    assert AuditLog.objects.filter(
        kind=Kind.PASSWORD_RESET, object_id=str(member.pk), actor=setup["admin"]
    ).exists()


def test_unlock_from_a_persons_page(login, setup):
    _fail_sign_in("member", ip="10.0.0.7")
    _fail_sign_in("member", ip="10.0.0.8")
    assert not _signs_in_from("member", "10.0.0.7")
    response = login(setup["admin"]).post(reverse("people:unlock", args=[setup["member"].pk]))
    assert response["Location"] == reverse("people:detail", args=[setup["member"].pk])
    assert not AccessAttempt.objects.filter(username="member").exists()
    assert _signs_in_from("member", "10.0.0.7")
    assert AuditLog.objects.filter(kind=Kind.UNLOCK, object_id=str(setup["member"].pk)).exists()


def _signs_in_from(username: str, ip: str) -> bool:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": "pass-for-tests-1"}, REMOTE_ADDR=ip
    )
    return response.status_code == 302 and "login" not in response["Location"]


# --- superusers, and everyone else --------------------------------------------------------------------


def test_only_a_superuser_changes_a_superusers_account(login, setup):
    root = AdminFactory(username="root", is_superuser=True)
    client = login(setup["admin"])
    for name in ("people:edit", "people:reset_password", "people:deactivate"):
        assert client.get(reverse(name, args=[root.pk])).status_code == 403
        assert client.post(reverse(name, args=[root.pk]), {"name": "x", "username": "x"}).status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.username == "root" and not root.must_change_password
    assert "只有超级管理员可以修改" in client.get(reverse("people:detail", args=[root.pk])).content.decode()
    response = login(AdminFactory(username="root2", is_superuser=True)).post(
        reverse("people:reset_password", args=[root.pk])
    )
    assert response.status_code == 302 and User.objects.get(pk=root.pk).must_change_password


PAGES = [
    ("get", "people:index", False),
    ("get", "people:create", False),
    ("post", "people:create", False),
    ("get", "people:detail", True),
    ("post", "people:edit", True),
    ("post", "people:deactivate", True),
    ("post", "people:reactivate", True),
    ("post", "people:reset_password", True),
    ("post", "people:unlock", True),
    ("get", "people:search", False),
    ("get", "people:export", False),
    ("get", "people:template", False),
]


@pytest.mark.parametrize("role", ["reviewer", "leader", "member", "outsider"])
def test_every_other_role_is_refused_and_nothing_changes(login, setup, role):
    client = login(setup[role])
    target = setup["other"]
    before = list(User.objects.order_by("pk").values_list("username", "name", "is_active", "password"))
    for method, name, with_pk in PAGES:
        url = reverse(name, args=[target.pk] if with_pk else [])
        data = {"name": "篡改", "username": "hacked", "form_token": form_token()}
        assert getattr(client, method)(url, data).status_code == 403, (method, name)
    assert (
        list(User.objects.order_by("pk").values_list("username", "name", "is_active", "password")) == before
    )


def test_the_django_admin_is_for_superusers_only(login, setup):
    staff = login(setup["admin"])
    assert staff.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert reverse("admin:index") not in staff.get(reverse("home")).content.decode()
    root = login(AdminFactory(username="root", is_superuser=True))
    assert root.get(reverse("admin:index")).status_code == 200
    assert 'data-testid="django-admin-link"' in root.get(reverse("home")).content.decode()


def test_the_navbar_leads_administrators_to_user_management(login, setup):
    assert reverse("people:index") in login(setup["admin"]).get(reverse("home")).content.decode()
    assert reverse("people:index") not in login(setup["member"]).get(reverse("home")).content.decode()


def test_a_home_unit_must_be_in_use(login, setup):
    closed = UnitFactory(
        name="撤销局", kind=Unit.Kind.COUNTY_ORGAN, parent=setup["qingshan"], is_active=False
    )
    response = _create(login(setup["admin"]), name="钱七", home_unit=closed.pk, home_unit_label="撤销局")
    assert "“撤销局”已停用" in response.content.decode()
    assert not User.objects.filter(name="钱七").exists()


def test_account_changes_are_in_the_security_audit_trail(login, setup):
    client = login(setup["admin"])
    client.post(reverse("people:deactivate", args=[setup["member"].pk]))
    entry = AuditLog.objects.get(kind=Kind.UPDATE, model="accounts.user", actor=setup["admin"])
    assert entry.object_id == str(setup["member"].pk) and entry.path.endswith("/deactivate/")
    assert (entry.before, entry.after) == ({"is_active": True}, {"is_active": False})
