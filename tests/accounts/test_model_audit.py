"""Every write of every model in the security audit log, with before and after (accounts.model_audit)."""

import io
import json

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts import model_audit
from accounts.acting import acting, command_line
from accounts.models import AuditLog
from assessment.models import AuditEntry, ChecklistItem, Deduction, ItemAssessment, SampledUnit
from assessment.services import findings
from assessment.services.campaigns import campaign_set_reviewers
from assessment.services.checklist import item_move
from assessment.services.editing import LATEST
from assessment.services.evidence import evidence_attach
from assessment.services.sampling import sample_draw
from core.models import FormToken
from tests.factories import ChecklistItemFactory, UserFactory, form_token
from units.importing import roster_import
from units.models import Unit

Kind = AuditLog.Kind


def mark() -> int:
    """The last entry so far: what a test's fixtures wrote stays out of ``entries(since=…)``."""
    last = AuditLog.objects.order_by("-pk").first()
    return last.pk if last else 0


def entries(model=None, kind=None, since=0, **filters):
    found = AuditLog.objects.order_by("pk").filter(pk__gt=since)
    if model:
        found = found.filter(model=model)
    if kind:
        found = found.filter(kind=kind)
    return list(found.filter(**filters))


# --- through the pages: who, from where, before and after ------------------------------------------


def test_creating_a_unit_on_its_page_records_who_where_and_every_value(admin_client, admin_user, roster):
    town = roster["qs_town"]
    admin_client.post(
        reverse("units:create"),
        {
            "form_token": form_token(),
            "parent": town.pk,
            "name": "石桥村",
            "kind": "village",
            "secretary": "王五",
        },
        REMOTE_ADDR="10.0.0.7",
    )
    unit = Unit.objects.get(name="石桥村")
    (entry,) = entries("units.unit", Kind.CREATE, object_id=str(unit.pk))
    assert (entry.actor, entry.username, entry.ip, entry.path) == (
        admin_user,
        "guanli",
        "10.0.0.7",
        "/units/new/",
    )
    assert entry.label == "石桥村" and entry.before is None
    assert entry.after["name"] == "石桥村" and entry.after["kind"] == "village"
    assert entry.after["parent"] == {"id": town.pk, "label": "城关镇"}
    assert entry.after["secretary"] == "王五" and entry.after["is_active"] is True
    assert "ancestry" not in entry.after and "created_at" not in entry.after  # derived, bookkeeping


def test_editing_a_unit_records_only_what_changed(admin_client, roster):
    village = roster["qs_village"]
    admin_client.post(
        reverse("units:edit", args=[village.pk]),
        {"name": "新村社区", "kind": "village", "parent": roster["qs_town"].pk, "contact": "13800000001"},
    )
    (entry,) = entries("units.unit", Kind.UPDATE, object_id=str(village.pk))
    assert entry.before == {"name": "新村", "contact": ""}
    assert entry.after == {"name": "新村社区", "contact": "13800000001"}
    assert entry.label == "新村社区"


def test_a_save_that_changes_nothing_is_not_recorded(roster):
    before = AuditLog.objects.count()
    village = Unit.objects.get(pk=roster["qs_village"].pk)
    village.save()
    village.name = "新村"
    village.save(update_fields=["name"])
    assert AuditLog.objects.count() == before


def test_deactivating_a_subtree_records_each_unit(admin_client, roster):
    town, village = roster["qs_town"], roster["qs_village"]
    admin_client.post(reverse("units:deactivate", args=[town.pk]))
    found = {e.object_id: e for e in entries("units.unit", Kind.UPDATE)}
    assert set(found) == {str(town.pk), str(village.pk)}
    assert found[str(village.pk)].before == {"is_active": True}
    assert found[str(village.pk)].after == {"is_active": False}
    assert found[str(village.pk)].username == "guanli"


# --- deletions, cascades ---------------------------------------------------------------------------------


def test_a_cascade_records_every_row_it_takes_and_why(setup):
    target = setup["qs_target"]
    deduction = findings.deduction_create(
        target=target,
        item=setup["item"],
        criterion=None,
        unit=None,
        points="1.5",
        reason="未制定清单",
        user=setup["member"],
    )
    target_pk = target.pk
    target.delete()
    (gone,) = entries("assessment.deduction", Kind.DELETE)
    assert gone.object_id == str(deduction.pk)
    assert gone.before["points"] == "1.5" and gone.before["reason"] == "未制定清单"
    assert gone.before["target"] == {"id": target_pk, "label": "青山县"}
    assert gone.detail == "因删除考核对象“青山县”而一并删除。"
    # The county's own history goes with it, and that is on record too.
    assert entries("assessment.auditentry", Kind.DELETE)
    (county,) = entries("assessment.target", Kind.DELETE)
    assert county.before["unit"]["label"] == "青山县" and county.detail == ""


def test_the_applications_own_change_records_are_recorded_only_when_deleted(setup):
    findings.deduction_create(
        target=setup["qs_target"],
        item=setup["item"],
        criterion=None,
        unit=None,
        points="1",
        reason="理由",
        user=setup["member"],
    )
    assert AuditEntry.objects.exists()
    assert not entries("assessment.auditentry")
    assert entries("assessment.deduction", Kind.CREATE)


# --- values ---------------------------------------------------------------------------------------------------


def test_a_password_is_never_stored_only_that_it_changed(db):
    user = UserFactory(username="wangwu")
    old_hash, since = user.password, mark()
    user.set_password("Another-pass-2")
    user.save()
    (entry,) = entries("accounts.user", Kind.UPDATE, since)
    assert entry.before == {"password": "（原密码）"} and entry.after == {"password": "（新密码）"}
    everything = json.dumps([e.before for e in entries()] + [e.after for e in entries()], ensure_ascii=False)
    assert old_hash not in everything and user.password not in everything
    assert "pbkdf2" not in everything and "md5$" not in everything


def test_signing_in_is_not_an_update_of_the_user(client, user):
    since = mark()
    client.post(reverse("accounts:login"), {"username": "zhangsan", "password": "pass-for-tests-1"})
    assert entries(kind=Kind.LOGIN, since=since)
    assert not entries("accounts.user", Kind.UPDATE, since)  # last_login moved, nothing a reader needs


def test_a_file_is_recorded_by_its_name(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deduction = findings.deduction_create(
        target=setup["qs_target"],
        item=setup["item"],
        criterion=None,
        unit=None,
        points="1",
        reason="理由",
        user=setup["member"],
    )
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, format="PNG")
    evidence = evidence_attach(
        deduction=deduction, upload=SimpleUploadedFile("现场.png", png.getvalue()), user=setup["member"]
    )
    (entry,) = entries("assessment.evidence", Kind.CREATE)
    assert entry.after["file"] == evidence.file.name and entry.after["file"].startswith("evidence/")
    assert entry.after["original_name"] == "现场.png" and entry.label == "现场.png"


def test_a_long_json_value_is_kept_cut_short(db):
    value = model_audit.plain(Unit._meta.get_field("name"), "x")
    assert value == "x"
    from core.models import Upload  # noqa: F401  (an abstract model: its subclasses hold summaries)
    from units.models import RosterImport

    field = RosterImport._meta.get_field("summary")
    stored = model_audit.plain(field, {"rows": ["很长的内容"] * 10_000})
    assert isinstance(stored, str) and stored.endswith("已截断）") and len(stored) < 21_000


def test_many_to_many_changes_list_the_whole_set_before_and_after(db):
    user = UserFactory(username="wangwu")
    group = Group.objects.create(name="审核组")
    since = mark()
    user.groups.add(group)
    (entry,) = entries("accounts.user", Kind.UPDATE, since)
    assert entry.before == {"groups": []} and entry.after == {"groups": ["审核组"]}


# --- who acts outside a request ---------------------------------------------------------------------------------


def test_a_task_run_for_someone_is_recorded_as_theirs(db):
    boss = UserFactory(username="boss")
    with acting(boss):
        unit = Unit.objects.create(name="云山市", kind=Unit.Kind.CITY)
    (entry,) = entries("units.unit", Kind.CREATE)
    assert entry.actor == boss and entry.username == "boss" and entry.object_id == str(unit.pk)


def test_a_command_is_named_with_the_system_account_that_ran_it(db):
    with command_line(["manage.py", "import_units"]):
        Unit.objects.create(name="云山市", kind=Unit.Kind.CITY)
    (entry,) = entries("units.unit", Kind.CREATE)
    assert entry.actor is None and entry.path.startswith("manage.py import_units（系统用户 ")


def test_a_password_changed_on_the_command_line_is_a_password_entry(db, monkeypatch):
    from django.core.management import call_command

    user = UserFactory(username="wangwu")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Qingshan#2024x")
    with command_line(["manage.py", "changepassword"]):
        call_command("changepassword", "wangwu", stdout=io.StringIO())
    (entry,) = entries("accounts.user", Kind.PASSWORD_RESET)
    assert entry.object_id == str(user.pk) and entry.detail == "在命令行修改了密码。"
    assert entry.after == {"password": "（新密码）"} and entry.path.startswith("manage.py changepassword")


# --- what is not audited ---------------------------------------------------------------------------------------------


def test_sessions_form_tokens_and_the_log_itself_are_not_audited(client, user):
    client.force_login(user)
    FormToken.objects.create(token="6f1f7f0e-3c7a-4d43-9a36-9e7a5c1f0a11", user=user, path="/x/")
    assert Session.objects.exists()
    models = {e.model for e in entries()}
    assert not models & {"sessions.session", "core.formtoken", "accounts.auditlog", "axes.accessattempt"}


# --- bulk writes ---------------------------------------------------------------------------------------------------------


def test_a_bulk_update_through_model_audit_records_only_the_rows_it_changed(setup):
    target, item = setup["qs_target"], setup["item"]
    decided = findings.score_decide(
        target=target, item=item, decided=True, version=LATEST, user=setup["leader"]
    )
    assert decided.score_decided_at
    findings.deduction_create(
        target=target, item=item, criterion=None, unit=None, points="1", reason="理由", user=setup["member"]
    )  # withdraws the decision (a bulk update)
    (entry,) = entries("assessment.itemassessment", Kind.UPDATE, after__score_decided_at=None)
    assert entry.before["score_decided_by"] == {"id": setup["leader"].pk, "label": "钱组长"}
    assert entry.after == {"score_decided_at": None, "score_decided_by": None}
    assert ItemAssessment.objects.get(pk=decided.pk).score_decided_at is None


def test_a_bulk_update_that_matches_nothing_writes_nothing(setup):
    with CaptureQueriesContext(connection) as queries:
        count = model_audit.update(ItemAssessment.objects.filter(target=setup["qs_target"]), bonus=1)
    assert count == 0 and len(queries.captured_queries) == 1  # the read, no UPDATE, no entry


def test_renumbering_records_each_items_order_before_and_after_not_the_steps(setup):
    campaign = setup["campaign"]
    second = ChecklistItemFactory(campaign=campaign, order=2, title="基层组织建设")
    first = setup["item"]
    item_move(item=second, up=True, user=setup["admin"])
    found = {e.object_id: (e.before, e.after) for e in entries("assessment.checklistitem", Kind.UPDATE)}
    assert found == {
        str(first.pk): ({"order": 1}, {"order": 2}),
        str(second.pk): ({"order": 2}, {"order": 1}),
    }


def test_bulk_created_rows_are_recorded_each(setup, django_user_model):
    reviewer = UserFactory(username="newreviewer", name="孙审核")
    since = mark()
    campaign_set_reviewers(campaign=setup["campaign"], users=[setup["reviewer"], reviewer])
    (entry,) = entries("assessment.campaignreviewer", Kind.CREATE, since)
    assert entry.after["user"] == {"id": reviewer.pk, "label": "孙审核"}
    result = sample_draw(target=setup["qs_target"], seed=3, user=setup["admin"])
    drawn = SampledUnit.objects.filter(draw=result.draw)
    recorded = entries("assessment.sampledunit", Kind.CREATE)
    assert drawn.count() > 0 and {e.object_id for e in recorded} == {
        str(pk) for pk in drawn.values_list("pk", flat=True)
    }
    assert all(e.after["unit"]["label"] for e in recorded)


def _roster(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(["单位名册"])
    sheet.append(["序号", "单位名称", "单位类别", "上级单位", "党组织类型", "党组织书记"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_roster_import_records_the_units_it_creates_and_each_it_changes(roster):
    data = _roster(
        [
            [1, "石桥村", "村（社区）", "青山县/城关镇", "党支部", "王五"],
            [2, "新乡", "乡镇（街道）", "青山县", "党委", ""],
            [3, "新乡一村", "村（社区）", "新乡", "党支部", ""],
            [4, "新村", "村（社区）", "青山县/城关镇", "党支部", "赵六"],
        ]
    )
    importer, since = UserFactory(username="importer"), mark()
    with acting(importer):
        plan = roster_import(data=data, file_name="名册.xlsx")
    assert plan.ok, plan.errors
    # One entry for the units created in bulk, each named by its path; one per unit changed.
    (created,) = entries("units.unit", Kind.CREATE, since)
    assert created.label == "名册导入：新增 3 个单位" and created.detail == "导入文件 名册.xlsx"
    assert sorted(created.after["新增单位"]) == [
        "云山市/青山县/城关镇/石桥村",
        "云山市/青山县/新乡",
        "云山市/青山县/新乡/新乡一村",
    ]
    assert created.username == "importer"
    (changed,) = entries("units.unit", Kind.UPDATE, since)
    assert changed.object_id == str(roster["qs_village"].pk)
    assert changed.before["secretary"] == "" and changed.after["secretary"] == "赵六"


def test_the_suite_refuses_a_bulk_write_that_goes_around_the_trail(roster):
    code = "Unit.objects.filter(pk=pk).update(name='改名')"
    scope = {"__name__": "units.somewhere", "Unit": Unit, "pk": roster["qs_village"].pk}
    with pytest.raises(AssertionError, match="bypasses the security audit trail"):
        exec(code, scope)
    exec("Unit.objects.filter(pk=pk).update(ancestry=Unit.objects.get(pk=pk).ancestry)", scope)  # derived
    exec("model_audit.update(Unit.objects.filter(pk=pk), name='改名')", {**scope, "model_audit": model_audit})
    assert Unit.objects.get(pk=roster["qs_village"].pk).name == "改名"


# --- one transaction ---------------------------------------------------------------------------------------------------------


def test_an_entry_commits_or_rolls_back_with_its_write(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        Unit.objects.create(name="云山市", kind=Unit.Kind.CITY)
        raise RuntimeError
    assert not entries("units.unit")


def test_every_model_of_our_apps_is_audited_or_excluded_on_purpose():
    from django.apps import apps

    ours = {m._meta.label_lower for m in apps.get_models() if m._meta.app_label in model_audit.AUDITED_APPS}
    audited = {m._meta.label_lower for m in model_audit.audited_models()}
    assert ours - audited == set(model_audit.NOT_AUDITED)
    assert "auth.group" in audited
    assert Deduction._meta.label_lower in audited and ChecklistItem._meta.label_lower in audited
