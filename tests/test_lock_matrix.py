"""The locked-state matrix: every write URL × every state it must refuse × every role.

Beside the authorization matrix (tests/test_authz_matrix.py, whose URL walk, roles and
objects this reuses): there the question is *who* may write; here it is *when*. Every
URL of the product is declared here as a read, a write outside any county's work (with
why), or a write under the lock (assessment.domain.locks) with the states it must
refuse. A new URL without a declaration fails `test_every_url_has_a_lock_expectation`.

For each locked write and each refused state, every role sends a valid request: the
database (every table of our apps but the security audit log, which records refusals,
and the stored files) must be unchanged, and whoever the authorization matrix lets in
must be told why (the lock's message naming the county and its state). A control sends
the same request while the county is open and checks that it does change something, so a
request that would be refused for some other reason cannot pass for a lock.
"""

import hashlib
import io
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditLog
from assessment.importing import checklist_plan
from assessment.models import (
    AssessmentGroup,
    Campaign,
    ChecklistImport,
    ChecklistItem,
    Criterion,
    Deduction,
    EvaluationPoint,
    Evidence,
    ItemAssessment,
    Problem,
    Recommendation,
    SamplingPlan,
    Target,
    TypicalExample,
)
from core.uploads import upload_store
from tests.assessment.test_checklist_import import checklist_file, item_rows
from tests.factories import UnitFactory, UserFactory
from tests.test_authz_matrix import (  # noqa: F401 (context is a fixture)
    LOGIN,
    MATRIX,
    NAMESPACE_RULES,
    ROLES,
    _namespace,
    all_urls,
    context,
)
from units.models import Unit

Status = Target.Status
SUBMITTED, APPROVED, FINALIZED, CLOSED = "submitted", "approved", "finalized", "closed"
HANDED_IN = (SUBMITTED, APPROVED, FINALIZED)
ALL_LOCKED = (*HANDED_IN, CLOSED)

#: What a refusal says: the lock's own message ("…不能修改；如需修改请先由管理员重新打开/开启…"),
#: or the workflow's (a step from a state it cannot be taken from).
REFUSALS = ("不能修改；如需修改请先由管理员重新", "不能进行此操作")


def token() -> str:
    return str(uuid.uuid4())


def png() -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(data, format="PNG")
    return SimpleUploadedFile("现场2.png", data.getvalue(), content_type="image/png")


@dataclass
class Lock:
    """A write under the lock: the request, and the states in which it must be refused.

    ``data`` is built from the context for every request (fresh form tokens, files);
    ``prepare`` adds what the request needs (a second item to move, …) to the context;
    ``open_state`` is the state in which the control request must succeed."""

    states: tuple[str, ...]
    kwargs: dict[str, str]
    data: Callable[[dict], dict] = lambda c: {}
    prepare: Callable[[dict], None] | None = None
    open_state: str = Status.DRAFTING
    method: str = "post"
    #: Who may send it, where the authorization matrix's row is about the GET of the same URL.
    writers: tuple[str, ...] | None = None


def on(name: str, **rest) -> dict:
    return {"kwargs": {"pk": name}, **rest}


def on_item(**rest) -> dict:
    return {"kwargs": {"pk": "target", "item_pk": "item"}, **rest}


def version(name: str, attr: str = "version") -> Callable[[dict], dict]:
    return lambda c: {"version": getattr(type(c[name]).objects.get(pk=c[name].pk), attr)}


# --- what some requests need -------------------------------------------------------------------


def second_item(c: dict) -> None:
    last = ChecklistItem.objects.filter(campaign=c["campaign"]).order_by("-order").first().order
    c["spare_item"] = ChecklistItem.objects.create(
        campaign=c["campaign"], order=last + 1, title="意识形态工作", full_score=10
    )
    Criterion.objects.create(item=c["spare_item"], order=1, text="落实意识形态工作责任制")


def second_of(model, name: str, **fields) -> Callable[[dict], None]:
    def prepare(c: dict) -> None:
        c[f"{name}2"] = model.objects.create(**fields, **{k: c[v] for k, v in REFS[model].items()})

    return prepare


REFS = {
    EvaluationPoint: {"assessment": "assessment"},
    Problem: {"target": "target", "item": "item", "created_by": "uploader"},
    TypicalExample: {"target": "target"},
    Recommendation: {"target": "target"},
}


def no_findings(c: dict) -> None:
    """A checklist is replaced whole only before scoring begins."""
    Evidence.objects.all().delete()
    for model in (Deduction, Problem, EvaluationPoint, ItemAssessment):
        model.objects.all().delete()


def stored_upload(c: dict) -> None:
    no_findings(c)
    data = checklist_file(*item_rows())
    plan = checklist_plan(data=data, file_name="清单.xlsx", campaign=c["campaign"])
    assert plan.ok, plan.error_messages()
    c["stored_upload"] = upload_store(
        model=ChecklistImport,
        name="清单.xlsx",
        data=data,
        user=c["uploader"],
        plan=plan,
        campaign=c["campaign"],
    )


def submittable(c: dict) -> None:
    """The narrative written, every item decided and evaluated: the leader may hand the work in."""
    Target.objects.filter(pk=c["target"].pk).update(narrative="工作扎实")
    ItemAssessment.objects.filter(pk=c["assessment"].pk).update(
        lead="总体较好", score_decided_at=timezone.now(), score_decided_by=c["uploader"]
    )


def new_leader(c: dict) -> None:
    c["new_leader"] = UserFactory(username="newleader")


def new_unit(c: dict) -> None:
    c["organ"] = UnitFactory(name="青山县财政局", kind=Unit.Kind.COUNTY_ORGAN, parent=c["county"])


def override(c: dict) -> None:
    SamplingPlan.objects.create(campaign=c["campaign"], target=c["target"], county_organs=2)


def bonus_allowed(c: dict) -> None:
    Campaign.objects.filter(pk=c["campaign"].pk).update(bonus_enabled=True, bonus_cap=5)


PLAN = {"county_organs": 2, "county_institutions": 1, "townships": 1, "villages_per_township": 1}
PLAN = {**PLAN, "stations_per_township": 0}

LOCKED: dict[str, Lock] = {
    # the campaign's settings are in every county's report
    "campaigns:edit": Lock(
        ALL_LOCKED,
        **on("campaign"),
        data=lambda c: {
            "title": "2021年度考核（改）",
            "year": 2021,
            "issuer": "市委",
            "reviewers": c["reviewer"].pk,
        },
    ),
    # the checklist is every county's
    "campaigns:item_create": Lock(
        ALL_LOCKED,
        **on("campaign"),
        data=lambda c: {
            "form_token": token(),
            "title": "组织建设",
            "full_score": "10",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-text": "按期换届",
            "criteria-0-points": "",
            "criteria-0-method": "",
        },
    ),
    "campaigns:item_edit": Lock(
        ALL_LOCKED,
        **on("item"),
        data=lambda c: {
            "title": c["item"].title,
            "full_score": "45",
            "reason": "上级调整分值",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "1",
            "criteria-0-id": c["criterion"].pk,
            "criteria-0-text": c["criterion"].text,
            "criteria-0-points": "",
            "criteria-0-method": "",
        },
    ),
    "campaigns:item_delete": Lock(
        ALL_LOCKED, **on("spare_item"), prepare=second_item, data=lambda c: {"reason": "重复"}
    ),
    "campaigns:item_move": Lock(
        ALL_LOCKED, **on("item"), prepare=second_item, data=lambda c: {"direction": "down"}
    ),
    "campaigns:checklist_import": Lock(
        ALL_LOCKED,
        **on("campaign"),
        prepare=no_findings,
        data=lambda c: {
            "form_token": token(),
            "file": SimpleUploadedFile("清单.xlsx", checklist_file(*item_rows())),
        },
    ),
    "campaigns:checklist_import_confirm": Lock(ALL_LOCKED, **on("stored_upload"), prepare=stored_upload),
    # groups: a new group touches no county's work, but nothing is added to a closed campaign
    "campaigns:group_create": Lock(
        (CLOSED,),
        **on("campaign"),
        prepare=new_leader,
        data=lambda c: {
            "form_token": token(),
            "name": "市委第七考核组",
            "leader": c["new_leader"].pk,
            "methods": ["document_check"],
        },
    ),
    "campaigns:group_edit": Lock(
        ALL_LOCKED,
        **on("group"),
        data=lambda c: {
            "name": "市委第九考核组",
            "leader": c["leader"].pk,
            "members": [c["member"].pk],
            "targets": [c["county"].pk],
            "methods": ["document_check"],
        },
    ),
    "campaigns:target_move": Lock(
        ALL_LOCKED, **on("target"), data=lambda c: {"group": c["group_b"].pk, "reason": "调整分工"}
    ),
    # sampling
    "campaigns:sampling": Lock(
        ALL_LOCKED,
        **on("campaign"),
        writers=("admin",),
        data=lambda c: {f"plan-{k}": v for k, v in PLAN.items()},
    ),
    "campaigns:draw_all": Lock(
        ALL_LOCKED, **on("campaign"), data=lambda c: {"form_token": token(), "all-seed": 7}
    ),
    "campaigns:target_draw": Lock(
        ALL_LOCKED, **on("target"), data=lambda c: {"form_token": token(), "seed": 7, "draw": "1"}
    ),
    "campaigns:target_plan": Lock(ALL_LOCKED, **on("target"), data=lambda c: dict(PLAN)),
    "campaigns:target_plan#reset": Lock(
        ALL_LOCKED, **on("target"), prepare=override, data=lambda c: {"reset": "1"}
    ),
    "campaigns:sample_add": Lock(
        ALL_LOCKED,
        **on("target"),
        prepare=new_unit,
        data=lambda c: {"form_token": token(), "unit": c["organ"].pk, "reason": "群众反映"},
    ),
    "campaigns:sample_remove": Lock(ALL_LOCKED, **on("manual_sample")),
    # the workflow: each step from the states it is taken from, none in a closed campaign
    "campaigns:target_submit": Lock(ALL_LOCKED, **on("target"), prepare=submittable),
    "campaigns:target_return": Lock(
        (FINALIZED, CLOSED),
        **on("target"),
        open_state=SUBMITTED,
        data=lambda c: {"comment": "请补充"},
    ),
    "campaigns:target_approve": Lock((APPROVED, FINALIZED, CLOSED), **on("target"), open_state=SUBMITTED),
    "campaigns:target_finalize": Lock((SUBMITTED, FINALIZED, CLOSED), **on("target"), open_state=APPROVED),
    "campaigns:target_reopen": Lock(
        (CLOSED,), **on("target"), open_state=FINALIZED, data=lambda c: {"comment": "补充"}
    ),
    # findings
    "campaigns:deduction_create": Lock(
        ALL_LOCKED, **on_item(), data=lambda c: {"form_token": token(), "points": "1", "reason": "台账不全"}
    ),
    "campaigns:deduction_edit": Lock(
        ALL_LOCKED,
        **on("deduction"),
        data=lambda c: {**version("deduction")(c), "points": "2", "reason": "改"},
    ),
    "campaigns:deduction_delete": Lock(ALL_LOCKED, **on("deduction"), data=version("deduction")),
    "campaigns:score_decide": Lock(
        ALL_LOCKED, **on_item(), data=lambda c: {**version("assessment")(c), "decided": "1"}
    ),
    "campaigns:bonus": Lock(
        ALL_LOCKED,
        **on_item(),
        prepare=bonus_allowed,
        data=lambda c: {**version("assessment")(c), "bonus": "1", "bonus_reason": "创新"},
    ),
    "campaigns:lead": Lock(
        ALL_LOCKED, **on_item(), data=lambda c: {**version("assessment")(c), "lead": "新导语"}
    ),
    "campaigns:point_create": Lock(
        ALL_LOCKED, **on_item(), data=lambda c: {"form_token": token(), "headline": "组织有力"}
    ),
    "campaigns:point_edit": Lock(
        ALL_LOCKED, **on("point"), data=lambda c: {**version("point")(c), "headline": "改"}
    ),
    "campaigns:point_delete": Lock(ALL_LOCKED, **on("point"), data=version("point")),
    "campaigns:point_move": Lock(
        ALL_LOCKED,
        **on("point"),
        prepare=second_of(EvaluationPoint, "point", headline="第二点", position=1),
        data=lambda c: {**version("point")(c), "direction": "down"},
    ),
    "campaigns:problem_create": Lock(
        ALL_LOCKED,
        **on_item(),
        data=lambda c: {"form_token": token(), "text": "制度不全", "rectification": "open"},
    ),
    "campaigns:problem_edit": Lock(
        ALL_LOCKED,
        **on("problem"),
        data=lambda c: {**version("problem")(c), "text": "改", "rectification": "open"},
    ),
    "campaigns:problem_delete": Lock(ALL_LOCKED, **on("problem"), data=version("problem")),
    "campaigns:problem_move": Lock(
        ALL_LOCKED,
        **on("problem"),
        prepare=second_of(Problem, "problem", text="第二个问题", position=1),
        data=lambda c: {**version("problem")(c), "direction": "down"},
    ),
    "campaigns:narrative": Lock(
        ALL_LOCKED,
        **on("target"),
        data=lambda c: {**version("target", "narrative_version")(c), "narrative": "工作扎实"},
    ),
    "campaigns:example_create": Lock(
        ALL_LOCKED, **on("target"), data=lambda c: {"form_token": token(), "title": "村民议事"}
    ),
    "campaigns:example_edit": Lock(
        ALL_LOCKED, **on("example"), data=lambda c: {**version("example")(c), "title": "改"}
    ),
    "campaigns:example_delete": Lock(ALL_LOCKED, **on("example"), data=version("example")),
    "campaigns:example_move": Lock(
        ALL_LOCKED,
        **on("example"),
        prepare=second_of(TypicalExample, "example", title="第二个典型", position=1),
        data=lambda c: {**version("example")(c), "direction": "down"},
    ),
    "campaigns:recommendation_create": Lock(
        ALL_LOCKED, **on("target"), data=lambda c: {"form_token": token(), "headline": "强化统筹"}
    ),
    "campaigns:recommendation_edit": Lock(
        ALL_LOCKED, **on("recommendation"), data=lambda c: {**version("recommendation")(c), "headline": "改"}
    ),
    "campaigns:recommendation_delete": Lock(
        ALL_LOCKED, **on("recommendation"), data=version("recommendation")
    ),
    "campaigns:recommendation_move": Lock(
        ALL_LOCKED,
        **on("recommendation"),
        prepare=second_of(Recommendation, "recommendation", headline="第二条建议", position=1),
        data=lambda c: {**version("recommendation")(c), "direction": "down"},
    ),
    "campaigns:evidence_delete": Lock(ALL_LOCKED, **on("evidence")),
    "campaigns:deduction_evidence": Lock(
        ALL_LOCKED, **on("deduction"), data=lambda c: {"form_token": token(), "file": png()}
    ),
    "campaigns:problem_evidence": Lock(
        ALL_LOCKED, **on("problem"), data=lambda c: {"form_token": token(), "file": png()}
    ),
}

#: Writes that change no county's work, and why the lock does not apply.
UNLOCKED = {
    "accounts:login": "signing in",
    "accounts:logout": "signing out",
    "accounts:password_change": "one's own password",
    "accounts:lockout_unlock": "sign-in lockouts",
    "units:create": "the roster (units are the same in every campaign)",
    "units:edit": "the roster",
    "units:deactivate": "the roster",
    "units:reactivate": "the roster",
    "units:import": "the roster: an upload kept for preview",
    "units:import_confirm": "the roster",
    "people:create": "user accounts",
    "people:edit": "user accounts",
    "people:deactivate": "user accounts",
    "people:reactivate": "user accounts",
    "people:reset_password": "user accounts",
    "people:unlock": "user accounts",
    "people:import": "user accounts: an upload kept for preview",
    "people:import_confirm": "user accounts",
    "people:import_passwords_download": "user accounts",
    "campaigns:create": "a new campaign has no county yet",
    # Closing and reopening a campaign is the lock itself: reopening is how a closed one opens again.
    "campaigns:status": "the campaign's own lock",
    # Report files are built from the work, never change it: a finalized report is downloaded most.
    "reports:batch_start": "builds report files from the work, changes none of it",
    "reports:download": "records a download (ReportExport) of the report as it stands",
    # 综合评定 has a lock of its own, its confirmation (tests/results: every write refused once
    # confirmed, reopening with a reason); a county handed in is what its results are made of.
    **dict.fromkeys(
        [
            "results:scheme_create",
            "results:scheme",
            "results:item_add",
            "results:item_delete",
            "results:award_add",
            "results:award_delete",
            "results:manual_grade",
            "results:meeting_scores",
            "results:confirm",
            "results:reopen",
            "results:bulletin",
            "results:bulletin_draft",
            "results:bulletin_fix",
        ],
        "综合评定: its own lock (confirming the results)",
    ),
    # 民主测评: its own states (准备中 → 投票中 → 已结束, reopening with a reason), checked by its
    # services and tests (tests/ballots), not by the counties' hand-in
    "ballots:index": "民主测评: a new ballot of the campaign",
    "ballots:from_meeting": "民主测评: a new ballot of a 述职评议 meeting",
    "ballots:settings": "民主测评: frozen by the ballot's own state once open",
    "ballots:subjects": "民主测评: the people rated, frozen by the ballot's own state once open",
    "ballots:state": "民主测评: opening, closing, reopening",
    "ballots:present": "民主测评: 实到, until the ballot closes",
    "ballots:issue": "民主测评: codes, until the ballot closes",
    "ballots:entry": "民主测评: paper ballots while open",
    "ballots:import": "民主测评: an upload kept for preview",
    "ballots:import_confirm": "民主测评: paper ballots while open",
    "ballots:batch_withdraw": "民主测评: paper ballots while open",
    "ballots:vote": "民主测评: the phone ballot, gated by its code",
    # The assessed unit's part: its own windows (files before approval, feedback from approval to
    # its deadline, rulings before 定稿) — checked by its services and tests (tests/liaison)
    "liaison:file_add": "被考核单位: its files, until its work is approved",
    "liaison:file_delete": "被考核单位: its files, until its work is approved",
    "liaison:answer": "被考核单位: its feedback, from approval to the deadline",
    "liaison:objection_file": "被考核单位: its feedback, from approval to the deadline",
    "liaison:submit": "被考核单位: its feedback, from approval to the deadline",
    "liaison:rule": "被考核单位: a ruling on an objection, before 定稿",
    "liaison:attach": "被考核单位: a file attached as evidence, refused by the evidence lock (tests/liaison)",
    "liaison:liaison_add": "被考核单位: who answers for a unit",
    "liaison:liaison_remove": "被考核单位: who answers for a unit",
    "liaison:deadlines": "被考核单位: the campaign's time limits",
    # 整改台账: its own states (未整改 → 整改中 → 申请销号 → 已销号), after 定稿 — checked by its
    # services and tests (tests/rectification)
    **dict.fromkeys(
        [
            "rectification:sync",
            "rectification:remind_overdue",
            "rectification:measures",
            "rectification:progress",
            "rectification:completion",
            "rectification:request",
            "rectification:close",
            "rectification:send_back",
            "rectification:edit",
            "rectification:remind",
        ],
        "整改台账: an entry's own states, after 定稿",
    ),
    "rectification:recurrence": "整改台账: whether a problem was found before (an answer beside the finding)",
    "rectification:workdays": "工作日调整: the calendar of working days",
    "rectification:workday_delete": "工作日调整: the calendar of working days",
    # 述职评议: its own states (筹备中 → 已召开 → 已归档), the speakers and 点评 locked once held —
    # checked by its services and tests (tests/meetings), not by the counties' hand-in
    "meetings:create": "述职评议: a new meeting of the campaign (refused once the campaign is closed)",
    "meetings:edit": "述职评议: the meeting's details, until it is archived",
    "meetings:state": "述职评议: held, archived",
    "meetings:agenda_add": "述职评议: the agenda, locked once held",
    "meetings:agenda_edit": "述职评议: the agenda, locked once held",
    "meetings:agenda_delete": "述职评议: the agenda, locked once held",
    "meetings:agenda_move": "述职评议: the agenda, locked once held",
    "meetings:agenda_document": "述职评议: an official's speech, until the meeting is archived",
    "meetings:speaker_add": "述职评议: the speakers, locked once held",
    "meetings:speakers_from_targets": "述职评议: the speakers, locked once held",
    "meetings:speaker_edit": "述职评议: the speakers, locked once held",
    "meetings:speaker_delete": "述职评议: the speakers, locked once held",
    "meetings:speaker_move": "述职评议: the speakers, locked once held",
    "meetings:comment": "述职评议: the 点评, locked once held",
    "meetings:report_upload": "述职评议: the duty report, locked once held",
    "meetings:report_problems": "述职评议: the 点评, locked once held",
    "meetings:import": "述职评议: an upload kept for preview",
    "meetings:import_confirm": "述职评议: the speakers, locked once held",
    "meetings:room_set": "述职评议: what the projector shows, until archived",
}


def test_every_url_has_a_lock_expectation():
    declared = {name.split("#")[0] for name in LOCKED} | set(UNLOCKED) | READS
    undeclared = [
        name for name, _ in all_urls() if name not in declared and _namespace(name) not in NAMESPACE_RULES
    ]
    assert not undeclared, (
        f"URLs without a declared lock expectation (LOCKED, UNLOCKED or READS): {undeclared}"
    )
    names = {name for name, _ in all_urls()}
    assert not declared - names, f"stale rows: {declared - names}"
    assert not (set(UNLOCKED) | READS) & {name.split("#")[0] for name in LOCKED}


#: Pages and downloads: GET only (a POST is refused with 405, or reads).
READS = {
    "home",
    "liaison:unit",
    "liaison:file",
    "liaison:target_tab",
    "liaison:manage",
    "rectification:ledger",
    "rectification:ledger_xlsx",
    "rectification:unit_report",
    "rectification:entry",
    "rectification:event_file",
    "rectification:mine",
    "rectification:mine_report",
    "favicon",
    "accounts:password_change_done",
    "accounts:lockouts",
    "accounts:audit_log",
    "accounts:audit_log_export",
    "units:index",
    "units:picker",
    "units:detail",
    "units:import_preview",
    "units:template",
    "units:export",
    "people:index",
    "people:search",
    "people:detail",
    "people:import_preview",
    "people:import_passwords",
    "people:template",
    "people:export",
    "campaigns:index",
    "campaigns:detail",
    "campaigns:checklist",
    "campaigns:checklist_export",
    "campaigns:checklist_template",
    "campaigns:checklist_import_preview",
    "campaigns:group",
    "campaigns:target",
    "campaigns:sample_print",
    "campaigns:target_item",
    "campaigns:target_overview",
    "campaigns:target_examples",
    "campaigns:target_sample",
    "campaigns:target_history",
    "campaigns:unit_search",
    "campaigns:evidence_file",
    "campaigns:evidence_thumbnail",
    "reports:preview",
    "reports:batch_detail",
    "reports:batch_progress",
    "reports:batch_download",
    "reports:dashboard",
    "reports:scores",
    "reports:compare",
    "reports:problems",
    "reports:common_problems",
    "reports:charts",
    "reports:scores_xlsx",
    "guide:index",
    "guide:section",
    "guide:for_page",
    "guide:manual",
    "results:index",
    "results:unit",
    "results:xlsx",
    "results:bulletin_docx",
    "results:feedback_docx",
    "ballots:detail",
    "meetings:index",
    "meetings:detail",
    "meetings:import_preview",
    "meetings:import_template",
    "meetings:script",
    "meetings:feedback",
    "meetings:feedback_all",
    "meetings:report_download",
    "meetings:agenda_document_download",
    "meetings:room",
    "ballots:slips",
    "ballots:paper_form",
    "ballots:template",
    "ballots:screen",
    "ballots:import_preview",
    "ballots:results",
    "ballots:results_xlsx",
    "ballots:results_docx",
    "ballots:vote_code",
}


def test_reads_write_nothing(context):  # noqa: F811
    """What READS claims: a POST to a read changes nothing, for the administrator who may read all."""
    client = Client()
    client.force_login(context["people"]["admin"])
    for name in sorted(READS):
        row = MATRIX.get(name)
        kwargs = {k: context[v].pk for k, v in (row.kwargs if row else {}).items()}
        before = fingerprint()
        client.post(reverse(name, kwargs=kwargs), {"form_token": token()})
        assert fingerprint() == before, name


# --- the database's fingerprint ------------------------------------------------------------------

APPS = ("accounts", "core", "units", "assessment", "reports", "results", "people")


def fingerprint() -> dict[str, tuple[int, str]]:
    """Every table of our apps (the security audit log excepted): its row count and a hash of its
    values; and the stored files."""
    prints = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model is AuditLog:
                continue
            rows = list(model._base_manager.order_by("pk").values_list())
            prints[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    root = os.environ.get("LOCK_MATRIX_MEDIA")
    if root:
        prints["files"] = (
            0,
            repr(sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)),
        )
    return prints


def changed(before: dict, after: dict) -> list[str]:
    return [label for label in sorted(set(before) | set(after)) if before.get(label) != after.get(label)]


# --- the states ---------------------------------------------------------------------------------


def enter(state: str, c: dict) -> None:
    """Put every county of the campaign in ``state`` (closed: a campaign closed while they were open)."""
    targets = Target.objects.filter(campaign=c["campaign"])
    if state == CLOSED:
        targets.update(status=Status.RETURNED)
        Campaign.objects.filter(pk=c["campaign"].pk).update(status=Campaign.Status.CLOSED)
    else:
        targets.update(status=state, status_changed_at=timezone.now() - timedelta(hours=1))


def allowed(name: str, role: str) -> bool:
    """Whether the authorization matrix lets ``role`` act on ``name`` (else a 403/404/login answers)."""
    if LOCKED[name].writers is not None:
        return role in LOCKED[name].writers
    expected = MATRIX[name.split("#")[0]].expect[role]
    return expected not in (LOGIN, 403, 404)


@pytest.fixture
def c(context, settings, monkeypatch):  # noqa: F811
    """The authorization matrix's world, with what the requests here refer to."""
    monkeypatch.setenv("LOCK_MATRIX_MEDIA", str(settings.MEDIA_ROOT))
    people = context["people"]
    criterion = context["item"].criteria.get()
    Campaign.objects.filter(pk=context["campaign"].pk).update(status=Campaign.Status.ACTIVE)
    return {
        **context,
        **{role: people[role] for role in ("leader", "member", "reviewer")},
        "uploader": people["admin"].__class__.objects.get(username="uploader"),
        "criterion": criterion,
        "assessment": ItemAssessment.objects.get(target=context["target"]),
        "group_b": AssessmentGroup.objects.filter(campaign=context["campaign"])
        .exclude(pk=context["group"].pk)
        .get(),
    }


def send(client: Client, name: str, lock: Lock, c: dict, *, follow: bool = True):
    url = reverse(name.split("#")[0], kwargs={k: c[v].pk for k, v in lock.kwargs.items()})
    return getattr(client, lock.method)(url, lock.data(c), follow=follow)


def _client(role: str, c: dict) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(c["people"][role])
    return client


def _in_savepoint(run):
    """Run, then roll back whatever it wrote: each request meets the same database."""
    with transaction.atomic():
        result = run()
        transaction.set_rollback(True)
    return result


def check_state(c: dict, state: str) -> list[str]:
    failures = []
    clients = {role: _client(role, c) for role in ROLES}  # signing in writes last_login: before, not during
    for name, lock in sorted(LOCKED.items()):
        if state not in lock.states:
            continue

        def one_url(name=name, lock=lock):
            if lock.prepare:
                lock.prepare(c)
            enter(state, c)
            before = fingerprint()
            for role in ROLES:
                response = _in_savepoint(
                    lambda role=role: (
                        send(clients[role], name, lock, c, follow=allowed(name, role)),
                        fingerprint(),
                    )
                )
                response, after = response
                if diff := changed(before, after):
                    failures.append(f"{name} in {state} as {role}: changed {diff}")
                if allowed(name, role):
                    text = response.content.decode()
                    if not any(phrase in text for phrase in REFUSALS):
                        failures.append(
                            f"{name} in {state} as {role}: no refusal shown ({response.status_code})"
                        )

        _in_savepoint(one_url)
    return failures


@pytest.mark.parametrize("state", ALL_LOCKED)
def test_nothing_changes_in_a_locked_state(c, state):
    failures = check_state(c, state)
    assert not failures, "\n".join(failures)


def test_each_request_writes_while_the_county_is_open(c):
    """The control: the same requests, by the administrator, while the county is open, change the
    database: the refusals above are the lock's, not a bad request's."""
    failures = []
    client = _client("admin", c)
    for name, lock in sorted(LOCKED.items()):

        def one_url(name=name, lock=lock):
            if lock.prepare:
                lock.prepare(c)
            enter(lock.open_state, c)
            before = fingerprint()
            response = send(client, name, lock, c, follow=False)
            if not changed(before, fingerprint()):
                failures.append(f"{name} in {lock.open_state}: nothing written ({response.status_code})")

        _in_savepoint(one_url)
    assert not failures, "\n".join(failures)
