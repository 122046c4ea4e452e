"""The screenshots of the guide (static/guide/): which demo account opens which page, and what part
of it is kept. tests/browser/test_guide_screenshots.py takes them; tests/guide/test_guide.py checks
that every screenshot a section names is here and on disk (this module imports no browser).

Pages are named by functions of the demo (``Demo``), since ids differ from one database to the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils import timezone

DEMO_PASSWORDS = {"admin": "demo-admin-2026"}
DEMO_PASSWORD = "demo-pass-2026"
#: Every timestamp the demo writes while loading is moved here (in order), so that the pictures
#: show the campaign's own days rather than the day the tests ran, and stay the same run to run.
SETTLED_AT = dt.datetime(2022, 1, 12, 9, 0)
#: Records no one may change, not even a test: the security log (no screenshot shows it).
APPEND_ONLY = {"accounts.auditlog"}
#: Screenshots wider than this are scaled down (the guide's column and the manual's page hold less).
MAX_WIDTH = 960


@dataclass(frozen=True)
class Demo:
    campaign: int
    targets: dict[str, int]  # county name → target id of the 2021 campaign
    batch: int | None = None
    meeting: int | None = None  # the 2021 campaign's 述职评议 meeting


@dataclass(frozen=True)
class Shot:
    name: str
    user: str
    path: Callable[[Demo], str]
    selector: str = "main"
    max_height: int = 900  # CSS pixels from the selector's top
    step: str = ""  # something to do on the page first (see the browser test)


SHOTS: tuple[Shot, ...] = (
    Shot("prepare-roster.png", "admin", lambda d: "/units/", max_height=560),
    Shot("prepare-people.png", "admin", lambda d: "/people/", max_height=560),
    Shot("prepare-campaign.png", "admin", lambda d: f"/campaigns/{d.campaign}/", max_height=700),
    Shot("prepare-checklist.png", "admin", lambda d: f"/campaigns/{d.campaign}/checklist/", max_height=620),
    Shot("draw-sampling.png", "admin", lambda d: f"/campaigns/{d.campaign}/sampling/", max_height=640),
    Shot(
        "draw-sheet.png",
        "leader2",
        lambda d: f"/campaigns/targets/{d.targets['绿水县']}/sample/",
        max_height=760,
    ),
    Shot("fieldwork-home.png", "member", lambda d: "/", max_height=420),
    Shot(
        "fieldwork-items.png",
        "leader2",
        lambda d: f"/campaigns/targets/{d.targets['绿水县']}/",
        max_height=760,
    ),
    Shot(
        "fieldwork-deduction.png",
        "leader2",
        lambda d: f"/campaigns/targets/{d.targets['绿水县']}/",
        selector="#deductions .app-criterion >> nth=2",
        max_height=600,
        step="open-deduction",
    ),
    Shot(
        "fieldwork-history.png",
        "leader2",
        lambda d: f"/campaigns/targets/{d.targets['绿水县']}/history/",
        max_height=760,
    ),
    Shot(
        "submit-preview.png", "leader2", lambda d: f"/reports/targets/{d.targets['绿水县']}/", max_height=640
    ),
    Shot(
        "review-dashboard.png",
        "reviewer",
        lambda d: f"/reports/campaigns/{d.campaign}/dashboard/",
        max_height=640,
    ),
    Shot("close-finalize.png", "admin", lambda d: f"/reports/targets/{d.targets['青山县']}/", max_height=420),
    Shot(
        "review-decide.png",
        "reviewer",
        lambda d: f"/reports/targets/{d.targets['青山县']}/",
        max_height=420,
        step="submit-qingshan",
    ),
    Shot("close-batch.png", "admin", lambda d: f"/reports/batches/{d.batch}/", max_height=420, step="batch"),
    Shot("meetings-detail.png", "admin", lambda d: f"/meetings/{d.meeting}/", max_height=760),
    Shot("rectification-liaison.png", "qsliaison", lambda d: "/", max_height=560),
    Shot(
        "rectification-ledger.png",
        "reviewer",
        lambda d: f"/rectification/campaigns/{d.campaign}/",
        max_height=520,
    ),
    Shot("account-password.png", "member", lambda d: "/accounts/password/", max_height=620),
)

BY_NAME = {shot.name: shot for shot in SHOTS}


def password(username: str) -> str:
    return DEMO_PASSWORDS.get(username, DEMO_PASSWORD)


def settle_clock(since: dt.datetime, at: dt.datetime = SETTLED_AT) -> None:
    """Move every timestamp written since ``since`` (the demo's loading, a step of the test) to
    ``at`` (the morning of 12 January 2022) and after, ten seconds apart in their original order."""
    base = timezone.make_aware(at)
    stamps = []
    for model in apps.get_models():
        if model._meta.app_label not in (
            "accounts",
            "core",
            "units",
            "assessment",
            "meetings",
            "liaison",
            "rectification",
            "reports",
            "people",
        ):
            continue
        if model._meta.label_lower in APPEND_ONLY:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                rows = model._default_manager.filter(**{f"{field.attname}__gte": since})
                stamps += [
                    (value, model, field.attname, pk) for pk, value in rows.values_list("pk", field.attname)
                ]
    for n, (_value, model, attname, pk) in enumerate(
        sorted(stamps, key=lambda s: (s[0], s[1]._meta.label, s[3]))
    ):
        model._default_manager.filter(pk=pk).update(**{attname: base + dt.timedelta(seconds=10 * n)})
    _settle_recorded_times(since)


def _settle_recorded_times(since: dt.datetime) -> None:
    """Times inside the history's before/after values (确认得分时间) follow their entry's time."""
    AuditEntry = apps.get_model("assessment", "AuditEntry")
    for entry in AuditEntry.objects.all():
        changed = False
        for values in (entry.before, entry.after):
            for key, value in (values or {}).items():
                if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
                    try:
                        moment = dt.datetime.fromisoformat(value)
                    except ValueError:
                        continue
                    if timezone.is_aware(moment) and moment >= since:
                        values[key], changed = entry.at.isoformat(), True
        if changed:
            AuditEntry.objects.filter(pk=entry.pk).update(before=entry.before, after=entry.after)
