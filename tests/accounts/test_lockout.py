"""Sign-in lockout: five failures lock a (username, address) pair, an address failing across many
usernames is slowed then locked on its own, and nobody can aim a lockout at a colleague."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.test import Client
from django.urls import reverse

from accounts import lockout
from accounts.models import AuditLog
from tests.factories import UserFactory

PASSWORD = "pass-for-tests-1"
Kind = AuditLog.Kind


def _login(username: str, password: str, ip: str = "10.0.0.1", client: Client | None = None):
    return (client or Client()).post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _fail(username: str, ip: str = "10.0.0.1", times: int = 1) -> list[int]:
    return [_login(username, "wrong-password", ip).status_code for _ in range(times)]


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


@pytest.fixture
def no_slowdown(settings):
    """Address-wide failures without the growing wait between them (tested on its own below)."""
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 0
    return settings


def _age_attempts(seconds: int) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


# --- the pair ------------------------------------------------------------------------------------


def test_five_failures_lock_the_username_at_that_address_only(user):
    assert _fail("zhangsan", times=5) == [200, 200, 200, 200, 429]
    refused = _login("zhangsan", PASSWORD)
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "该账户从当前网络地址连续 5 次登录失败，已被锁定 15 分钟" in text
    assert "其他账户和其他地址不受影响" in text
    # The same person from another address still signs in.
    assert _signed_in(_login("zhangsan", PASSWORD, ip="10.0.0.9"))


def test_four_failures_then_the_right_password_signs_in_and_starts_afresh(user):
    _fail("zhangsan", times=4)
    assert _signed_in(_login("zhangsan", PASSWORD))
    assert not AccessAttempt.objects.exists()
    assert _fail("zhangsan", times=4) == [200] * 4


def test_one_persons_typos_do_not_lock_the_colleagues_behind_the_same_nat(user, admin_user):
    _fail("zhangsan", ip="10.0.0.5", times=5)
    # They keep trying while locked: refused without checking, and not counted.
    assert set(_fail("zhangsan", ip="10.0.0.5", times=15)) == {429}
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert _signed_in(_login("guanli", PASSWORD, ip="10.0.0.5"))


def test_five_made_up_usernames_from_one_address_do_not_lock_a_real_user_there(user):
    for name in ("wang01", "wang02", "wang03", "wang04", "wang05"):
        _fail(name, ip="10.0.0.6")
    assert _signed_in(_login("zhangsan", PASSWORD, ip="10.0.0.6"))


def test_a_lock_ends_a_cool_off_after_the_last_failure(user):
    _fail("zhangsan", times=5)
    _age_attempts(14 * 60)
    assert _login("zhangsan", PASSWORD).status_code == 429
    _age_attempts(61)
    assert _signed_in(_login("zhangsan", PASSWORD))


# --- the address ---------------------------------------------------------------------------------


def test_an_address_failing_across_usernames_is_locked_for_everyone_there(user, no_slowdown):
    statuses = [_login(f"guess{i:02}", "wrong-password", "10.0.0.7").status_code for i in range(20)]
    assert statuses == [200] * 19 + [429]
    refused = _login("zhangsan", PASSWORD, ip="10.0.0.7")
    assert refused.status_code == 429
    assert "当前网络地址在 15 分钟内以多个账户连续登录失败" in refused.content.decode()
    # The real user elsewhere is not affected.
    assert _signed_in(_login("zhangsan", PASSWORD, ip="10.0.0.8"))


def test_a_username_counts_at_most_five_towards_the_address_lock(user, no_slowdown):
    # Three people lock themselves out (15 points); one more made-up name is not enough (16).
    for name in ("li", "wang", "zhao"):
        _fail(name, ip="10.0.0.7", times=5)
    _fail("nobody", ip="10.0.0.7")
    assert lockout.standing("zhangsan", "10.0.0.7").address_score == 16
    assert _signed_in(_login("zhangsan", PASSWORD, ip="10.0.0.7"))


def test_the_address_is_slowed_before_it_is_locked(user, settings):
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 0
    for i in range(14):
        _fail(f"guess{i:02}", ip="10.0.0.7")
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 60
    # 14 failures: four past the slowdown threshold, so each attempt waits 2**4 = 16 seconds.
    refused = _login("zhangsan", PASSWORD, ip="10.0.0.7")
    assert refused.status_code == 429
    assert "请 16 秒后再试" in refused.content.decode()
    assert not AuditLog.objects.filter(kind=Kind.LOGIN).exists()  # the password was not even checked
    assert lockout.standing("zhangsan", "10.0.0.7").address_failures == 14  # and not counted
    _age_attempts(17)
    assert _signed_in(_login("zhangsan", PASSWORD, ip="10.0.0.7"))


def test_below_the_slowdown_threshold_nobody_waits(user):
    _fail("guess", ip="10.0.0.7", times=4)
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _fail(name, ip="10.0.0.7")
    assert lockout.standing("x", "10.0.0.7").delay() == 0  # 9 failures
    assert _signed_in(_login("zhangsan", PASSWORD, ip="10.0.0.7"))


# --- the record ----------------------------------------------------------------------------------


def test_every_failure_is_recorded_with_the_username_tried_the_address_and_why(user):
    UserFactory(username="gone", is_active=False)
    _fail("zhangsan", ip="10.0.0.3")
    _fail("nobody-by-this-name", ip="10.0.0.3")
    _fail("gone", ip="10.0.0.3")
    entries = AuditLog.objects.filter(kind=Kind.LOGIN_FAILED).order_by("pk")
    assert [(e.username, e.ip, e.result, e.detail) for e in entries] == [
        ("zhangsan", "10.0.0.3", "failure", "密码错误。"),
        ("nobody-by-this-name", "10.0.0.3", "failure", "用户名不存在。"),
        ("gone", "10.0.0.3", "failure", "账号已停用。"),
    ]
    assert entries[0].actor is None and entries[0].label == "张三"


def test_a_lockout_is_recorded_once_after_the_failure_that_caused_it(user):
    _fail("zhangsan", ip="10.0.0.3", times=7)
    kinds = list(
        AuditLog.objects.filter(kind__in=[Kind.LOGIN_FAILED, Kind.LOCKOUT])
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [Kind.LOGIN_FAILED] * 5 + [Kind.LOCKOUT] + [Kind.LOGIN_FAILED] * 2
    lock = AuditLog.objects.get(kind=Kind.LOCKOUT)
    assert (lock.username, lock.ip) == ("zhangsan", "10.0.0.3")
    assert lock.after == {"范围": "用户名+地址", "用户名": "zhangsan", "地址": "10.0.0.3", "失败次数": 5}
    assert "其他地址不受影响" in lock.detail
    refused = AuditLog.objects.filter(kind=Kind.LOGIN_FAILED).order_by("-pk").first()
    assert refused.detail == "已锁定，未核对密码。"


def test_an_address_lock_is_recorded(no_slowdown, db):
    for i in range(20):
        _fail(f"guess{i:02}", ip="10.0.0.7")
    lock = AuditLog.objects.get(kind=Kind.LOCKOUT)
    assert lock.after["范围"] == "地址（所有用户名）" and lock.ip == "10.0.0.7"
    assert "以 20 个用户名登录失败 20 次" in lock.detail


def test_sign_in_and_sign_out_are_recorded(user):
    client = Client()
    _login("zhangsan", PASSWORD, ip="10.0.0.4", client=client)
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.0.0.4")
    login, logout = AuditLog.objects.filter(kind__in=[Kind.LOGIN, Kind.LOGOUT]).order_by("pk")
    assert (login.kind, login.actor, login.username, login.ip) == (Kind.LOGIN, user, "zhangsan", "10.0.0.4")
    assert (logout.kind, logout.actor, logout.ip) == (Kind.LOGOUT, user, "10.0.0.4")


def test_signing_out_when_nobody_is_signed_in_records_nothing(db):
    Client().post(reverse("accounts:logout"))
    assert not AuditLog.objects.filter(kind=Kind.LOGOUT).exists()


# --- who is locked, and unlocking ------------------------------------------------------------------


def test_current_lockouts_lists_pairs_and_addresses(user, no_slowdown):
    _fail("zhangsan", ip="10.0.0.1", times=5)
    _fail("zhangsan", ip="10.0.0.2", times=3)  # not locked
    for i in range(20):
        _fail(f"guess{i:02}", ip="10.0.0.7")
    locks = {(lock.scope, lock.username, lock.ip, lock.failures) for lock in lockout.current_lockouts()}
    assert locks == {("pair", "zhangsan", "10.0.0.1", 5), ("address", "", "10.0.0.7", 20)}
    mine = lockout.current_lockouts(username="zhangsan")
    assert [(lock.scope, lock.ip) for lock in mine] == [("pair", "10.0.0.1")]
    since = AuditLog.objects.get(kind=Kind.LOCKOUT, username="zhangsan").at
    assert mine[0].since == since


def test_unlock_lifts_the_pair_and_is_recorded(user, admin_user):
    _fail("zhangsan", times=5)
    assert lockout.unlock(actor=admin_user, username="zhangsan", ip="10.0.0.1") == 5
    assert _signed_in(_login("zhangsan", PASSWORD))
    entry = AuditLog.objects.get(kind=Kind.UNLOCK)
    assert (entry.actor, entry.label) == (admin_user, "张三")
    assert entry.before == {"用户名": "zhangsan", "地址": "10.0.0.1", "失败次数": 5}


def test_unlock_by_username_alone_lifts_every_address(user, admin_user):
    _fail("zhangsan", ip="10.0.0.1", times=5)
    _fail("zhangsan", ip="10.0.0.2", times=5)
    _fail("lisi", ip="10.0.0.1", times=5)
    assert lockout.unlock(actor=admin_user, username="zhangsan") == 10
    assert [lock.username for lock in lockout.current_lockouts()] == ["lisi"]


def test_unlock_of_an_address_lifts_it_for_everyone(user, admin_user, no_slowdown):
    for i in range(20):
        _fail(f"guess{i:02}", ip="10.0.0.7")
    lockout.unlock(actor=admin_user, ip="10.0.0.7")
    assert _signed_in(_login("zhangsan", PASSWORD, ip="10.0.0.7"))


def test_unlock_is_for_administrators_and_needs_a_target(user, admin_user):
    _fail("zhangsan", times=5)
    with pytest.raises(PermissionDenied):
        lockout.unlock(actor=user, username="zhangsan", ip="10.0.0.1")
    with pytest.raises(Exception, match="请指定"):
        lockout.unlock(actor=admin_user)
    assert lockout.current_lockouts()
    assert not AuditLog.objects.filter(kind=Kind.UNLOCK).exists()


def test_unlocking_nothing_records_nothing(admin_user):
    assert lockout.unlock(actor=admin_user, username="zhangsan") == 0
    assert not AuditLog.objects.filter(kind=Kind.UNLOCK).exists()


# --- the page --------------------------------------------------------------------------------------


def test_the_lockouts_page_lists_each_lock_with_an_unlock_button(user, admin_client):
    _fail("zhangsan", ip="10.0.0.1", times=5)
    html = admin_client.get(reverse("accounts:lockouts")).content.decode()
    assert "登录锁定" in html and "zhangsan" in html and "10.0.0.1" in html
    assert html.count("解除锁定</button>") == 1


def test_the_unlock_button_unlocks_and_says_so(user, admin_client, admin_user):
    _fail("zhangsan", ip="10.0.0.1", times=5)
    response = admin_client.post(
        reverse("accounts:lockout_unlock"), {"username": "zhangsan", "ip": "10.0.0.1"}, follow=True
    )
    html = response.content.decode()
    assert "已解除用户名 zhangsan 在地址 10.0.0.1的登录锁定" in html
    assert "目前没有被锁定的账户或地址" in html
    assert AuditLog.objects.get(kind=Kind.UNLOCK).actor == admin_user


def test_an_unlock_with_a_bad_address_is_refused_clearly(user, admin_client):
    _fail("zhangsan", times=5)
    response = admin_client.post(
        reverse("accounts:lockout_unlock"), {"username": "zhangsan", "ip": "not-an-ip"}, follow=True
    )
    assert "输入一个有效的 IPv4 或 IPv6 地址" in response.content.decode()
    assert AccessAttempt.objects.exists()
    response = admin_client.post(reverse("accounts:lockout_unlock"), {"username": "", "ip": ""}, follow=True)
    assert "请指定要解除锁定的用户名或地址" in response.content.decode()
    assert not AuditLog.objects.filter(kind=Kind.UNLOCK).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_administrators_see_or_use_the_lockouts_page(user_client, user, method):
    _fail("zhangsan", times=5)
    url = reverse("accounts:lockouts" if method == "get" else "accounts:lockout_unlock")
    response = getattr(user_client, method)(url, {"username": "zhangsan", "ip": "10.0.0.1"})
    assert response.status_code == 403
    assert AccessAttempt.objects.exists()


def test_the_navbar_offers_the_lockouts_page_to_administrators_only(admin_client, user_client):
    url = reverse("accounts:lockouts")
    assert url in admin_client.get(reverse("home")).content.decode()
    assert url not in user_client.get(reverse("home")).content.decode()
