"""The security baseline: CSP, upload caps, throttled logins, Chinese error pages, deploy settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.net import client_ip
from core.views import server_error

ROOT = Path(__file__).resolve().parent.parent


def test_pages_carry_a_strict_content_security_policy(admin_client, roster):
    response = admin_client.get(reverse("units:detail", args=[roster["qingshan"].pk]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("home", []),
        ("units:index", []),
        ("units:detail", ["qingshan"]),
        ("units:import", []),
        ("units:edit", ["qs_town"]),
    ],
)
def test_pages_have_no_inline_scripts_or_styles(admin_client, roster, url_name, args):
    html = admin_client.get(reverse(url_name, args=[roster[a].pk for a in args])).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts), scripts
    assert " style=" not in html
    assert "javascript:" not in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_login_page_has_no_inline_scripts(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))


@override_settings(MAX_REQUEST_BYTES=2000)
def test_request_body_over_the_cap_is_refused_before_reading(admin_client):
    response = admin_client.post(
        reverse("units:import"), data=b"x" * 5000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "上传的内容过大" in response.content.decode()


@override_settings(ROSTER_UPLOAD_MAX_BYTES=1000)
def test_roster_upload_over_its_cap_is_refused_with_a_message(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("名册.xlsx", b"PK\x03\x04" + b"0" * 5000)
    response = admin_client.post(reverse("units:import"), {"file": big})
    assert response.status_code == 200
    assert "名册文件不能超过 0 MB" in response.content.decode() or "文件过大" in response.content.decode()


def test_unknown_page_is_a_chinese_404(admin_client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "找不到您要访问的页面" in response.content.decode()


def test_unknown_page_for_anonymous_is_404_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "找不到您要访问的页面" in response.content.decode()


def test_forbidden_page_is_a_chinese_403(user_client):
    response = user_client.get(reverse("units:import"))
    assert response.status_code == 403
    assert "您没有权限进行此操作" in response.content.decode()
    assert "只有系统管理员可以进行此操作" in response.content.decode()


def test_server_error_page_is_chinese_and_needs_no_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出现了错误" in response.content.decode()


def test_csrf_failure_is_a_chinese_page(user, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


# --- client addresses (sign-in lockout itself: tests/accounts/test_lockout.py) -----------------


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_behind_one_proxy_is_the_address_the_proxy_saw():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    assert client_ip(request) == "10.1.2.3"


def test_client_ip_without_proxies_ignores_forwarded_headers():
    request = RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.9.9.9"


# --- production settings ----------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 30 + "-production-secret-for-the-deploy-check-1234567890",
    "ALLOWED_HOSTS": "djkh.example.gov.cn",
    "DATABASE_URL": "postgres://djkh:secret@127.0.0.1:5432/djkh",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_invalid_boolean_in_environment_fails_loudly():
    result = _manage("check", env={**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "ture"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_production_keeps_database_connections_with_health_checks():
    code = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["60", "True"], result.stderr
    result = _manage(
        "shell", "--no-imports", "-c", code, env={**PRODUCTION_ENV, "DATABASE_CONN_MAX_AGE": "0"}
    )
    assert result.stdout.split() == ["0", "True"], result.stderr
