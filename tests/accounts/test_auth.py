from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory


def test_login_page_is_chinese(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "请使用您的账户登录" in html
    assert "用户名" in html and "密码" in html


def test_anonymous_visitor_is_sent_to_login_with_next(client, db):
    response = client.get(reverse("units:index"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('units:index')}"


def test_login_with_right_password_lands_on_home(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": "zhangsan", "password": "pass-for-tests-1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_with_wrong_password_says_so_in_chinese(client, user):
    response = client.post(reverse("accounts:login"), {"username": "zhangsan", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_inactive_user_cannot_log_in(client, db):
    UserFactory(username="gone", is_active=False)
    response = client.post(reverse("accounts:login"), {"username": "gone", "password": "pass-for-tests-1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(user_client):
    assert user_client.get(reverse("accounts:logout")).status_code == 405
    response = user_client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert user_client.get(reverse("home")).status_code == 302


def test_password_change_takes_effect(user_client, user):
    response = user_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pass-for-tests-1",
            "new_password1": "Qingshan-2026-new",
            "new_password2": "Qingshan-2026-new",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("Qingshan-2026-new")
    assert "密码已修改" in user_client.get(response["Location"]).content.decode()


def test_password_change_with_wrong_old_password_is_refused_in_chinese(user_client, user):
    response = user_client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Qingshan-2026-new", "new_password2": "Qingshan-2026-new"},
    )
    assert response.status_code == 200
    assert "你的旧密码不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("pass-for-tests-1")


def test_user_shows_its_chinese_name(db):
    assert str(UserFactory(username="ls", name="李四")) == "李四"
    assert str(UserFactory(username="noname", name="")) == "noname"


def test_user_has_an_optional_home_unit(roster):
    User = get_user_model()
    person = User.objects.create_user(username="wangwu", password="x", home_unit=roster["qingshan"])
    assert person.home_unit == roster["qingshan"]
    assert User.objects.create_user(username="zhaoliu", password="x").home_unit is None


def test_staff_user_gets_every_model_permission_and_others_none(admin_user, user):
    assert admin_user.has_perm("units.change_unit") and admin_user.has_module_perms("units")
    assert not user.has_perm("units.change_unit")


def test_only_a_superuser_opens_djangos_user_admin(admin_user):
    client = Client()
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_user_changelist"))["Location"].startswith(
        reverse("admin:login")
    )
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
