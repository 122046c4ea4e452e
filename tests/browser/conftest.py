"""Browser tests: Debian's chromium driven by Playwright's Python package.

Playwright's own browser download cannot work here, so the fixture launches
/usr/bin/chromium (installed by tests/browser_setup.py if missing). Screenshots
land in test-artifacts/ for a person to look at.
"""

import os
from pathlib import Path

import pytest

from tests.browser_setup import LAUNCH_ARGS, ensure_chromium

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    # Playwright's sync API keeps an event loop running in this thread from here on;
    # Django's ORM refuses to run beside one unless told the caller knows what it does.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(executable), args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(f"{message.type}: {message.text}"))
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


@pytest.fixture
def screenshot_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pick_person(page, label: str, text: str, option: str) -> None:
    """Choose a person with the person picker labelled ``label``: type ``text``, click the option
    whose label (姓名 · 所在单位) is ``option``."""
    box = page.get_by_label(label)
    box.fill(text)
    picker = box.locator("xpath=ancestor::*[@data-person-picker][1]")
    picker.locator(f'[role=option][data-person-label="{option}"]').click()
    picker.locator(f'.app-person-chip:has-text("{option}")').wait_for()
