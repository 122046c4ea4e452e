"""Sessions end after 30 idle minutes and after 10 hours in all (configurable)."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from django.urls import reverse

from accounts.models import AuditLog
from accounts.signin import SEEN_AT, SIGNED_IN_AT

ROOT = Path(__file__).resolve().parent.parent.parent


def _shift(client, **seconds_ago) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def _sent_to_login(response, next_url="/") -> bool:
    return (
        response.status_code == 302 and response["Location"] == f"{reverse('accounts:login')}?next={next_url}"
    )


def test_thirty_idle_minutes_end_the_session(user_client, user):
    _shift(user_client, **{SEEN_AT: 30 * 60 + 5})
    response = user_client.get(reverse("home"))
    assert _sent_to_login(response)
    entry = AuditLog.objects.get(kind=AuditLog.Kind.LOGOUT)
    assert entry.actor == user and "30 分钟未操作" in entry.detail
    page = user_client.get(response["Location"]).content.decode()
    assert "30 分钟未操作，登录已超时" in page and "正在填写的内容仍保留在本机浏览器中" in page
    assert _sent_to_login(user_client.get(reverse("home")))  # and it stays ended


def test_activity_keeps_the_session_alive(user_client):
    _shift(user_client, **{SEEN_AT: 29 * 60})
    assert user_client.get(reverse("home")).status_code == 200
    assert time.time() - user_client.session[SEEN_AT] < 5  # seen again just now
    assert not AuditLog.objects.filter(kind=AuditLog.Kind.LOGOUT).exists()


def test_ten_hours_end_the_session_however_busy(user_client, user):
    _shift(user_client, **{SIGNED_IN_AT: 10 * 3600 + 5, SEEN_AT: 10})
    assert _sent_to_login(user_client.get(reverse("units:index")), reverse("units:index"))
    assert "登录已满 10 小时" in AuditLog.objects.get(kind=AuditLog.Kind.LOGOUT).detail


def test_an_expired_session_answers_htmx_with_401_so_the_draft_is_kept(user_client):
    _shift(user_client, **{SEEN_AT: 31 * 60})
    response = user_client.post(reverse("units:index"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert "登录已过期" in response.content.decode()


def test_the_idle_limit_is_a_setting(user_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    _shift(user_client, **{SEEN_AT: 6 * 60})
    assert _sent_to_login(user_client.get(reverse("home")))
    assert "5 分钟未操作" in AuditLog.objects.get(kind=AuditLog.Kind.LOGOUT).detail


def test_a_session_from_before_the_rules_starts_counting_now(user_client):
    session = user_client.session
    del session[SIGNED_IN_AT]
    del session[SEEN_AT]
    session.save()
    assert user_client.get(reverse("home")).status_code == 200
    assert time.time() - user_client.session[SIGNED_IN_AT] < 5


def test_the_limits_come_from_the_environment():
    code = "from django.conf import settings as s; print(s.SESSION_IDLE_TIMEOUT, s.SESSION_ABSOLUTE_TIMEOUT, s.SESSION_COOKIE_AGE)"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SESSION_IDLE_MINUTES": "45",
        "SESSION_MAX_HOURS": "8",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["2700", "28800", "28800"], result.stderr
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "SESSION_IDLE_MINUTES": "0"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SESSION_IDLE_MINUTES" in result.stderr


# --- whose drafts the page keeps (static/js/workspace.js) ----------------------------------------


def _draft_owner(client) -> str:
    html = client.get(reverse("home")).content.decode()
    match = re.search(r'data-draft-owner="([^"]*)"', html)
    assert match, "the sign-out form carries the draft owner"
    return match.group(1)


def test_each_person_gets_their_own_draft_key_that_does_not_reveal_the_id(user_client, admin_client, user):
    mine, theirs = _draft_owner(user_client), _draft_owner(admin_client)
    assert re.fullmatch(r"[0-9a-f]{32}", mine) and re.fullmatch(r"[0-9a-f]{32}", theirs)
    assert mine != theirs and mine != str(user.pk)
    assert _draft_owner(user_client) == mine  # stable across pages and sign-ins
