"""The password policy, changing one's own password, and passwords an administrator sets."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import AuditLog, User
from accounts.passwords import reset_password
from accounts.pinyin import SYLLABLES, split_pinyin
from tests.factories import UserFactory
from units.demo.data import DEMO_ACCOUNTS

Kind = AuditLog.Kind
PASSWORD = "pass-for-tests-1"


def _refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user or User(username="wangwu", name="王五"))
    except ValidationError as error:
        return error.messages
    return []


# --- the rules --------------------------------------------------------------------------------------


def test_a_password_meeting_every_rule_is_accepted():
    assert _refusals("Qingshan-2026-new") == []
    assert _refusals("Djkh#2026x") == []


def test_at_least_eight_characters():
    assert _refusals("Dj#26xk") == ["密码太短：至少需要 8 个字符，现在只有 7 个。"]


@pytest.mark.parametrize(
    "password, found",
    [("djkhxyzwq", 1), ("djkhxyzw9", 2), ("DJKHXYZ#9", 3), ("djkhxyz#!", 2), ("Djkhxyzwq", 2)],
)
def test_at_least_three_kinds_of_characters(password, found):
    message = f"密码须包含大写字母、小写字母、数字、符号中的至少 3 种，现在只有 {found} 种。"
    assert (message in _refusals(password)) == (found < 3)


@pytest.mark.parametrize(
    "password", ["P@ssw0rd", "Admin@123", "Admin@2026", "1qaz@WSX", "Aa123456", "Woaini@1314"]
)
def test_common_passwords_are_refused(password):
    assert "这是一个常见密码，很容易被猜到。" in _refusals(password)


PINYIN = "密码中的字母连起来是汉语拼音（像“dangjian”、姓名或单位名称的拼音），很容易被猜到。请加入不能拼成拼音的字母组合。"


@pytest.mark.parametrize(
    "password",
    ["Dangjian@2024", "Zhangsan@123", "ZHONGGUO#2026", "Wang!Li1990", "Qingshan-2026", "Lvshui#0817"],
)
def test_passwords_whose_letters_are_pinyin_are_refused(password):
    assert PINYIN in _refusals(password)


@pytest.mark.parametrize("password", ["Djkh#2026x", "Demo-pass-2026", "Qingshan-2026-new", "Tq7#9xL2m"])
def test_letters_that_are_not_all_pinyin_pass_that_rule(password):
    assert PINYIN not in _refusals(password)


def test_the_pinyin_table_splits_words_as_people_type_them():
    assert split_pinyin("dangjian") == ["dang", "jian"]
    assert split_pinyin("zhangsan") == ["zhang", "san"]
    assert split_pinyin("xian") == ["xian"]
    assert split_pinyin("Zhuangzu") == ["zhuang", "zu"]
    assert split_pinyin("lvshui") == ["lv", "shui"]
    assert split_pinyin("djkh") is None
    assert split_pinyin("password") is None
    assert split_pinyin("") is None
    assert split_pinyin("x" * 5000) is None  # no recursion, no time
    assert 400 <= len(SYLLABLES) <= 420
    assert {"zhuang", "shuang", "chuang", "nve", "lve", "er"} <= SYLLABLES
    assert not {"m", "ng", "v", "b", "zhong" + "g"} & SYLLABLES


def test_too_close_to_the_persons_name():
    assert "密码与用户名太相似。" in _refusals("Wangwu@1990x", User(username="wangwu1990x"))


def test_every_demo_account_password_meets_the_policy():
    for account in DEMO_ACCOUNTS:
        person = User(username=account.username, name=account.name)
        assert _refusals(account.password, person) == [], account.username


# --- changing one's own password ----------------------------------------------------------------------


def _change(client, old, new, confirm=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": confirm or new},
    )


def test_changing_ones_password_is_recorded(user_client, user):
    response = _change(user_client, PASSWORD, "Qingshan-2026-new")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Qingshan-2026-new")
    entry = AuditLog.objects.get(kind=Kind.PASSWORD_CHANGE)
    assert (entry.actor, entry.model, entry.object_id) == (user, "accounts.user", str(user.pk))
    assert "Qingshan" not in str(entry.before) + str(entry.after) + entry.detail


def test_a_weak_new_password_is_refused_in_chinese_and_nothing_changes(user_client, user):
    response = _change(user_client, PASSWORD, "dangjian")
    assert response.status_code == 200
    html = response.content.decode()
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 种" in html
    assert "汉语拼音" in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditLog.objects.filter(kind=Kind.PASSWORD_CHANGE).exists()


def test_the_new_password_must_differ_from_the_old(user_client, user):
    response = _change(user_client, PASSWORD, PASSWORD)
    assert "新密码不能与原密码相同。" in response.content.decode()
    assert not AuditLog.objects.filter(kind=Kind.PASSWORD_CHANGE).exists()


def test_the_password_page_explains_the_policy(user_client):
    html = user_client.get(reverse("accounts:password_change")).content.decode()
    assert "至少 8 个字符" in html and "汉语拼音" in html


# --- a password an administrator sets ---------------------------------------------------------------


def test_an_administrator_set_password_must_be_changed_at_first_sign_in(user, admin_user):
    reset_password(user=user, password="Temp#2026pass", actor=admin_user)
    user.refresh_from_db()
    assert user.must_change_password
    entry = AuditLog.objects.get(kind=Kind.PASSWORD_RESET)
    assert (entry.actor, entry.object_id) == (admin_user, str(user.pk))
    assert "下次登录时须修改密码" in entry.detail

    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "zhangsan", "password": "Temp#2026pass"})
    assert response.status_code == 302
    # Every page leads to the password page until the person chose their own.
    for url in (reverse("home"), reverse("units:index"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change"), (
            url
        )
    assert client.get(reverse("units:index"), HTTP_HX_REQUEST="true").status_code == 401
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "您的密码是系统管理员设置的" in page

    assert _change(client, "Temp#2026pass", "Qingshan-2026-new").status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_resetting_needs_an_administrator_and_a_good_password(user, admin_user):
    other = UserFactory(username="lisi")
    with pytest.raises(PermissionDenied):
        reset_password(user=other, password="Temp#2026pass", actor=user)
    with pytest.raises(ValidationError):
        reset_password(user=other, password="dangjian", actor=admin_user)
    other.refresh_from_db()
    assert other.check_password(PASSWORD) and not other.must_change_password
    assert not AuditLog.objects.filter(kind=Kind.PASSWORD_RESET).exists()


def test_an_administrator_setting_their_own_password_need_not_change_it(admin_user):
    reset_password(user=admin_user, password="Temp#2026pass", actor=admin_user)
    admin_user.refresh_from_db()
    assert not admin_user.must_change_password


@pytest.fixture
def superuser(admin_user):
    """Django's admin is for superusers only (accounts.admin)."""
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    return admin_user


def test_a_password_set_in_djangos_admin_must_be_changed_and_is_recorded(
    superuser, admin_client, admin_user, user
):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(
        url, {"password1": "Temp#2026pass", "password2": "Temp#2026pass", "usable_password": "true"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Temp#2026pass") and user.must_change_password
    entry = AuditLog.objects.get(kind=Kind.PASSWORD_RESET)
    assert (entry.actor, entry.object_id) == (admin_user, str(user.pk))


def test_a_weak_password_is_refused_in_djangos_admin_too(superuser, admin_client, user):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(
        url, {"password1": "dangjian", "password2": "dangjian", "usable_password": "true"}
    )
    assert response.status_code == 200
    assert "汉语拼音" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.must_change_password
    assert not AuditLog.objects.filter(kind=Kind.PASSWORD_RESET).exists()


def test_a_user_created_in_djangos_admin_must_change_the_initial_password(
    superuser, admin_client, admin_user
):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "xinren",
            "name": "新人",
            "password1": "Temp#2026pass",
            "password2": "Temp#2026pass",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(username="xinren")
    assert person.must_change_password
    assert "新建账户" in AuditLog.objects.get(kind=Kind.PASSWORD_RESET, object_id=str(person.pk)).detail


def test_the_admins_own_password_link_leads_to_the_products_page(superuser, admin_client):
    response = admin_client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
