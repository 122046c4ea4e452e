"""Concurrent requests, as a double click or a busy group makes them, each client in a thread of
its own with its own database connection (tests/concurrency.py).

SQLite (the default database) has one writer at a time: a save must wait for the other one
instead of failing with "database is locked" (a 500). On both databases, the same form submitted
twice at once creates one record.
"""

import pytest

from assessment.services import findings
from tests.concurrency import file_database, query_file, race
from tests.factories import form_token

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(transactional_db, setup):
    setup["criterion"] = setup["item"].criteria.get()
    return setup


def _item_url(s, what: str) -> str:
    return f"/campaigns/targets/{s['qs_target'].pk}/items/{s['item'].pk}/{what}/new/"


def test_six_racing_deductions_all_wait_and_are_saved(world, tmp_path):
    s = world

    def deduction(n):
        data = {
            "criterion": s["criterion"].pk,
            "points": "0.5",
            "reason": f"并发扣分{n}",
            "form_token": form_token(),
        }
        return lambda client: client.post(_item_url(s, "deductions"), data, **HTMX).status_code

    with file_database(tmp_path) as path:
        statuses = race([deduction(n) for n in range(6)], users=[s["leader"], s["member"]] * 3)
        rows = query_file(path, "SELECT reason FROM assessment_deduction ORDER BY reason")
        audited = query_file(path, "SELECT count(*) FROM assessment_auditentry WHERE action = 'create'")
    assert statuses == [200] * 6
    assert [r[0] for r in rows] == [f"并发扣分{n}" for n in range(6)]
    assert audited == [(6,)]


def test_a_double_click_on_add_problem_makes_one_problem(world, tmp_path):
    s = world
    data = {"text": "双击提交的问题", "rectification": "open", "form_token": form_token()}

    def submit(client):
        response = client.post(_item_url(s, "problems"), data, **HTMX)
        return response.status_code, "双击提交的问题" in response.content.decode()

    with file_database(tmp_path) as path:
        answers = race([submit, submit], users=[s["member"], s["member"]])
        rows = query_file(path, "SELECT text FROM assessment_problem")
        audited = query_file(
            path, "SELECT count(*) FROM assessment_auditentry WHERE model = 'assessment.problem'"
        )
    # Both clicks are answered with the section showing the one problem the first one saved.
    assert answers == [(200, True), (200, True)]
    assert rows == [("双击提交的问题",)]
    assert audited == [(1,)]


def test_a_double_click_on_delete_deletes_once_and_fails_neither(world, tmp_path):
    s = world
    problem = findings.problem_create(
        target=s["qs_target"], item=s["item"], text="要删除的问题", user=s["member"]
    )

    def delete(client):
        return client.post(f"/campaigns/problems/{problem.pk}/delete/", {"version": "1"}, **HTMX).status_code

    with file_database(tmp_path) as path:
        statuses = race([delete, delete], users=[s["member"], s["leader"]])
        rows = query_file(path, "SELECT count(*) FROM assessment_problem")
        deleted = query_file(path, "SELECT count(*) FROM assessment_auditentry WHERE action = 'delete'")
    assert statuses == [200, 200]
    assert rows == [(0,)] and deleted == [(1,)]


def test_two_people_saving_the_narrative_at_once_one_is_told_of_the_other(world, tmp_path):
    s = world
    url = f"/campaigns/targets/{s['qs_target'].pk}/narrative/"

    def save(text):
        return lambda client: client.post(url, {"narrative": text, "version": "1"}, **HTMX).status_code

    with file_database(tmp_path) as path:
        statuses = race(
            [save("组长写的工作情况"), save("组员写的工作情况")], users=[s["leader"], s["member"]]
        )
        rows = query_file(
            path,
            "SELECT narrative, narrative_version FROM assessment_target WHERE id = ?",
            [s["qs_target"].pk],
        )
    assert sorted(statuses) == [200, 409]
    assert rows[0][1] == 2 and rows[0][0] in ("组长写的工作情况", "组员写的工作情况")
