"""HTTP methods: every view takes only the methods its page uses (a page and a file: GET and
HEAD; a form: GET and POST; an action: POST); anything else is 405. The URLs, the objects and the
roles are the authorization matrix's (tests/test_authz_matrix.py)."""

import pytest
from django.urls import reverse

from tests.test_authz_matrix import LOGIN, MATRIX, _client, context  # noqa: F401 (context is a fixture)

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SAFE = {"GET", "HEAD"}  # pages and files (require_safe)
FORM = {"GET", "POST"}  # a form and its submission (require_http_methods(["GET", "POST"]))
ACTION = {"POST"}  # an action (require_POST)

#: Views whose row above requests one method but that take a form's two.
FORMS = {
    "rectification:workdays",
    "accounts:login",
    "accounts:password_change",
    "units:create",
    "units:edit",
    "units:deactivate",
    "units:import",
    "people:create",
    "people:edit",
    "people:deactivate",
    "people:reset_password",
    "people:import",
    "people:import_passwords",
    "campaigns:create",
    "campaigns:edit",
    "results:scheme",
    "results:meeting_scores",
    "results:bulletin",
    "campaigns:checklist_import",
    "campaigns:item_create",
    "campaigns:item_edit",
    "campaigns:item_delete",
    "campaigns:group_create",
    "campaigns:group_edit",
    "campaigns:target_move",
    "campaigns:sampling",
    "campaigns:target_draw",
    "campaigns:target_plan",
    "campaigns:sample_add",
    # the workspace's records: the blank or filled-in form (htmx), then its submission
    "campaigns:deduction_create",
    "campaigns:deduction_edit",
    "campaigns:point_create",
    "campaigns:point_edit",
    "campaigns:problem_create",
    "campaigns:problem_edit",
    "campaigns:example_edit",
    "campaigns:recommendation_edit",
    "meetings:create",
    "meetings:edit",
    "meetings:agenda_edit",
    "meetings:speaker_add",
    "meetings:speaker_edit",
    "meetings:comment",
    "meetings:import",
    "ballots:index",
    "ballots:settings",
    "ballots:subjects",
    "ballots:entry",
    "ballots:import",
    "ballots:vote",
}
#: GET without HEAD (require_GET): the unit picker and the batch pages.
GET_ONLY = {
    "campaigns:unit_search",
    "reports:batch_detail",
    "reports:batch_progress",
    "reports:batch_download",
}


def allowed_methods(name: str) -> set[str]:
    if name in FORMS:
        return FORM
    if name in GET_ONLY:
        return {"GET"}
    return ACTION if MATRIX[name].method == "post" else SAFE


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_method_the_view_does_not_take_is_405(name, context):  # noqa: F811
    """Sent by someone who may open the page (a view without a method restriction answers PUT or
    DELETE as it answers GET, and fails here)."""
    row = MATRIX[name]
    url = reverse(name, kwargs={k: context[v].pk for k, v in row.kwargs.items()})
    client = _client("admin" if row.expect["anonymous"] == LOGIN else "anonymous", context)
    allowed = allowed_methods(name)
    for method in [m for m in METHODS if m not in allowed]:
        assert client.generic(method, url).status_code == 405, f"{method} {name}"
    for method in sorted(allowed, key=METHODS.index):  # POST last: it may end the session (logout)
        assert client.generic(method, url).status_code != 405, f"{method} {name}"
