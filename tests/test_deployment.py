"""A production server as it may really be set up: the database it refuses, and error pages that
still render when the static files were never collected."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 30 + "-production-secret-for-the-deploy-check-1234567890",
    "ALLOWED_HOSTS": "djkh.example.gov.cn",
}


def _check(database_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in (*PRODUCTION_ENV, "DATABASE_URL")}
    env.update(PRODUCTION_ENV, DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("url", ["sqlite:////tmp/djkh.sqlite3", "sqlite:///:memory:"])
def test_production_refuses_sqlite_with_a_clear_message(url):
    result = _check(url)
    assert result.returncode != 0
    assert "DATABASE_URL must name a PostgreSQL database in production" in result.stderr
    assert "生产环境必须使用 PostgreSQL 数据库" in result.stderr


def test_production_accepts_postgresql():
    result = _check("postgres://djkh:secret@127.0.0.1:5432/djkh")
    assert result.returncode == 0, result.stderr


# --- error pages without the static manifest -----------------------------------------------------


@pytest.fixture
def no_manifest(settings, tmp_path):
    """Production's hashed static files, on a server where collectstatic never ran."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    logging.disable(logging.CRITICAL)  # the failing page and the fallback are logged on purpose
    yield
    logging.disable(logging.NOTSET)


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_without_the_manifest_a_failing_page_still_gets_the_chinese_500_page(no_manifest, user):
    # Every ordinary page names its static files through the manifest, so it fails: the 500 page
    # must not fail the same way.
    response = _client(user).get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出现了错误" in html and "返回首页" in html
    assert 'href="/static/css/app.css"' in html  # the plain name: served once collectstatic has run


def test_without_the_manifest_the_404_and_403_pages_render(no_manifest, user):
    response = _client(user).get("/no-such-page/")
    assert response.status_code == 404 and "找不到您要访问的页面" in response.content.decode()
    response = _client(user).get("/units/new/")
    assert response.status_code == 403 and "您没有权限进行此操作" in response.content.decode()


def test_an_error_page_that_cannot_render_at_all_falls_back_to_plain_html(no_manifest, monkeypatch, rf):
    from core import views

    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views, "render_to_string", broken)
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出现了错误" in html and "<link" not in html and "<script" not in html
