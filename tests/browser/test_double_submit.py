"""A form sent twice from a real browser, and an autosave refused for want of its version."""

import pytest
from playwright.sync_api import expect

from assessment.models import Problem, Target
from tests.browser.conftest import login
from tests.browser.test_workspace import world  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One after the other: the suite's in-memory SQLite locks whole tables without waiting, so requests
# at the very same moment are left to tests/test_concurrency.py (a file database, and PostgreSQL).
SEND_TWICE = """async () => {
    const forms = document.querySelectorAll('#problems form.app-inline-form');
    const form = forms[forms.length - 1];
    const send = () => fetch(form.action, {method: 'POST', body: new FormData(form), headers: {'HX-Request': 'true'}});
    const first = await send();
    const second = await send();
    return [first.status, second.status];
}"""


def saved(response) -> bool:
    return response.request.method == "POST" and "/problems/new/" in response.url


def test_the_add_problem_form_sent_twice_makes_one_problem(page, world, screenshot):  # noqa: F811
    login(page, "li", "pass-for-tests-1")
    page.goto(page.base_url + world["target"].get_absolute_url())
    page.get_by_test_id("add-problem").click()
    form = page.locator("#problems form.app-inline-form").last
    form.locator("textarea[name=text]").fill("新村党支部“三会一课”记录不全。")
    # Both requests leave the browser (as a double click without htmx, or a resend, would send them).
    assert page.evaluate(SEND_TWICE) == [200, 200]
    assert Problem.objects.filter(text="新村党支部“三会一课”记录不全。").count() == 1
    # A third click on the same form, from the page itself, still adds nothing.
    with page.expect_response(saved):
        form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("problem")).to_have_count(1)
    assert Problem.objects.count() == 1
    screenshot("double-submit-one-problem")


def test_a_draft_restored_after_its_answer_was_lost_is_not_saved_twice(page, world):  # noqa: F811
    login(page, "li", "pass-for-tests-1")
    page.goto(page.base_url + world["target"].get_absolute_url())
    page.get_by_test_id("add-problem").click()
    form = page.locator("#problems form.app-inline-form").last
    form.locator("textarea[name=text]").fill("回复丢失前已保存的问题。")
    # The save reached the server but its answer never came back: the draft (with the form's
    # token) is still in this browser, and the page is reloaded.
    status = page.evaluate(
        """async () => {
            const forms = document.querySelectorAll('#problems form.app-inline-form');
            const form = forms[forms.length - 1];
            const answer = await fetch(form.action, {method: 'POST', body: new FormData(form), headers: {'HX-Request': 'true'}});
            return answer.status;
        }"""
    )
    assert status == 200
    page.reload()
    restored = page.locator("#problems form.app-inline-form").last
    expect(restored.locator("textarea[name=text]")).to_have_value("回复丢失前已保存的问题。")
    with page.expect_response(saved):
        restored.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("problem")).to_have_count(1)
    assert Problem.objects.filter(text="回复丢失前已保存的问题。").count() == 1


def test_an_autosave_without_its_version_says_why(page, world, screenshot):  # noqa: F811
    login(page, "li", "pass-for-tests-1")
    page.goto(page.base_url + f"/campaigns/targets/{world['target'].pk}/overview/")
    page.evaluate("document.getElementById('narrative-version').remove()")  # a page from before
    page.get_by_test_id("narrative").fill("没有版本号的页面上输入的工作情况。")
    expect(page.get_by_test_id("save-error")).to_contain_text("页面内容已过期，请刷新页面后再保存。")
    assert Target.objects.get(pk=world["target"].pk).narrative == ""
    screenshot("autosave-without-version")
