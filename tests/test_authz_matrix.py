"""The authorization matrix: every URL pattern × every role.

The URL list is walked from the resolver, so a new view without a row here
fails `test_every_url_has_a_declared_expectation` until someone decides who may
open it. Each row names the request to make and the expected outcome per role.

Outcomes: LOGIN (redirected to the login page), an HTTP status, or REDIRECT
(any redirect that is not the login page: the action was allowed and done).
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import AdminFactory, UserFactory, city, county, township
from units.models import RosterImport

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
ANY_LOGIN = "any-login"
REDIRECT = "redirect"
ROLES = ("anonymous", "user", "admin")


@dataclass
class Row:
    expect: dict[str, object]
    method: str = "get"
    kwargs: dict[str, str] = field(default_factory=dict)  # URL kwargs: names of objects in the context
    data: dict[str, str] = field(default_factory=dict)


def everyone(status) -> dict:
    return {"anonymous": LOGIN, "user": status, "admin": status}


def admins_only(status=200) -> dict:
    return {"anonymous": LOGIN, "user": 403, "admin": status}


MATRIX: dict[str, Row] = {
    "home": Row(everyone(200)),
    "favicon": Row({"anonymous": 301, "user": 301, "admin": 301}),
    "accounts:login": Row({"anonymous": 200, "user": REDIRECT, "admin": REDIRECT}),
    # Logging out ends on the login page, for everyone.
    "accounts:logout": Row({"anonymous": LOGIN, "user": LOGIN, "admin": LOGIN}, method="post"),
    "accounts:password_change": Row(everyone(200)),
    "accounts:password_change_done": Row(everyone(200)),
    "units:index": Row(everyone(200)),
    "units:detail": Row(everyone(200), kwargs={"pk": "county"}),
    "units:create": Row(admins_only(), data={"parent": "county"}),
    "units:edit": Row(admins_only(), kwargs={"pk": "township"}),
    "units:deactivate": Row(admins_only(), kwargs={"pk": "township"}),
    "units:reactivate": Row(admins_only(REDIRECT), method="post", kwargs={"pk": "township"}),
    "units:import": Row(admins_only()),
    "units:import_preview": Row(admins_only(), kwargs={"pk": "upload"}),
    "units:import_confirm": Row(admins_only(REDIRECT), method="post", kwargs={"pk": "upload"}),
    "units:template": Row(admins_only()),
    "units:export": Row(admins_only()),
}

#: Django's admin site is one rule for the whole namespace: staff only. Anonymous
#: users meet a login page (ours or the admin's); signed-in non-staff users are
#: sent to the admin's login page (Django's behaviour, not a 403).
NAMESPACE_RULES = {"admin": {"anonymous": ANY_LOGIN, "user": ADMIN_LOGIN, "admin": "ok"}}


def _walk(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            found += _walk(entry, child_ns or namespace)
        elif entry.name:
            found.append((f"{namespace}:{entry.name}" if namespace else entry.name, entry))
    return found


def all_urls() -> list[tuple[str, URLPattern]]:
    return _walk(get_resolver())


def _namespace(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else ""


def test_every_url_has_a_declared_expectation():
    undeclared = [
        name for name, _ in all_urls() if name not in MATRIX and _namespace(name) not in NAMESPACE_RULES
    ]
    assert not undeclared, f"URLs without a row in the authorization matrix: {undeclared}"


def test_matrix_has_no_stale_rows():
    names = {name for name, _ in all_urls()}
    assert not set(MATRIX) - names


@pytest.fixture
def context(db) -> dict:
    c = city()
    qs = county(c, "青山县")
    town = township(qs, "城关镇")
    uploader = AdminFactory(username="uploader")
    upload = RosterImport.objects.create(
        original_name="名册.xlsx", sha256="0" * 64, status=RosterImport.Status.FAILED, uploaded_by=uploader
    )
    return {"county": qs, "township": town, "upload": upload}


def _client(role: str) -> Client:
    client = Client()
    if role == "user":
        client.force_login(UserFactory(username="ordinary"))
    elif role == "admin":
        client.force_login(AdminFactory(username="boss"))
    return client


def _check(response, expected, name: str, role: str) -> None:
    location = response.get("Location", "")
    where = f"{name} as {role}: got {response.status_code} {location}"
    if expected == LOGIN:
        assert response.status_code == 302 and location.startswith(reverse("accounts:login")), where
    elif expected == ANY_LOGIN:
        assert response.status_code == 302, where
        assert location.startswith((reverse("accounts:login"), reverse("admin:login"))), where
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302 and location.startswith(reverse("admin:login")), where
    elif expected == REDIRECT:
        assert response.status_code == 302, where
        assert not location.startswith(reverse("accounts:login")), where
    elif expected == "ok":
        # Allowed in; read-only admins (units, login attempts) refuse add and delete by design.
        refused_by_design = response.status_code == 403 and name.endswith(("_add", "_delete"))
        assert (response.status_code < 400 or refused_by_design) and "login" not in location, where
    else:
        assert response.status_code == expected, where


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_app_url(name, role, context):
    row = MATRIX[name]
    url = reverse(name, kwargs={k: context[v].pk for k, v in row.kwargs.items()})
    data = {k: context[v].pk for k, v in row.data.items()}
    response = getattr(_client(role), row.method)(url, data)
    _check(response, row.expect[role], name, role)


ADMIN_SAMPLES = {"app_label": "units"}


def _admin_kwargs(name: str, pattern: URLPattern, context: dict) -> dict | None:
    keys = list(pattern.pattern.regex.groupindex)
    if not keys:
        return {}
    if keys == ["app_label"]:
        return ADMIN_SAMPLES
    if keys == ["object_id"]:
        # admin:units_unit_change → the sample unit; other models: whatever exists or a missing id.
        return {"object_id": str(context["township"].pk if "_unit_" in name else 1)}
    return None  # view_on_site and friends need objects of their own; the index rule covers them


@pytest.mark.parametrize("role", ROLES)
def test_admin_site(role, context):
    client = _client(role)
    checked = 0
    for name, pattern in all_urls():
        if _namespace(name) != "admin":
            continue
        kwargs = _admin_kwargs(name, pattern, context)
        if kwargs is None:
            continue
        if name in ("admin:logout", "admin:autocomplete"):
            continue  # logout would end the session for the next URLs; autocomplete needs a query
        response = client.get(reverse(name, kwargs=kwargs))
        expected = NAMESPACE_RULES["admin"][role]
        if name == "admin:login" and role != "admin":
            expected = 200
        _check(response, expected, name, role)
        checked += 1
    assert checked > 10
