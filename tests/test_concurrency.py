"""Concurrent saves, as a double click or a busy group makes them, against a file database.

SQLite (the default database) has one writer at a time: a save must wait for the other one
instead of failing with "database is locked" (a 500).
"""

from decimal import Decimal

import pytest

from tests.concurrency import file_database, query_file, race

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(transactional_db, setup):
    setup["criterion"] = setup["item"].criteria.get()
    return setup


def _problem_url(s) -> str:
    return f"/campaigns/targets/{s['qs_target'].pk}/items/{s['item'].pk}/problems/new/"


def test_six_racing_deductions_all_wait_and_are_saved(world, tmp_path):
    s = world
    url = f"/campaigns/targets/{s['qs_target'].pk}/items/{s['item'].pk}/deductions/new/"

    def deduction(n):
        return lambda client: client.post(
            url, {"criterion": s["criterion"].pk, "points": "0.5", "reason": f"并发扣分{n}"}, **HTMX
        ).status_code

    with file_database(tmp_path) as path:
        statuses = race([deduction(n) for n in range(6)], users=[s["leader"], s["member"]] * 3)
        rows = query_file(path, "SELECT reason, points FROM assessment_deduction ORDER BY reason")
    assert statuses == [200] * 6
    assert [r[0] for r in rows] == [f"并发扣分{n}" for n in range(6)]
    assert all(Decimal(str(r[1])) == Decimal("0.5") for r in rows)
