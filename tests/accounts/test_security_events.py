"""Security events in the audit log: refused writes, downloads and exports, sign-in records cleared
outside the unlock page, and the admin that cannot delete any of the records."""

import io

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.acting import command_line
from accounts.audit import record
from accounts.models import AuditLog
from assessment.services import findings
from assessment.services.evidence import evidence_attach
from reports.models import ReportBatch
from tests.factories import AdminFactory, form_token

Kind, Result = AuditLog.Kind, AuditLog.Result


def last(kind) -> AuditLog:
    return AuditLog.objects.filter(kind=kind).order_by("-pk").first()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- refused writes ------------------------------------------------------------------------------


def test_a_refused_write_is_recorded_with_who_where_and_why(user_client, user, roster):
    response = user_client.post(
        reverse("units:create"),
        {"form_token": form_token(), "parent": roster["qs_town"].pk, "name": "石桥村", "kind": "village"},
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 403
    entry = last(Kind.DENIED)
    assert (entry.actor, entry.username, entry.ip, entry.result) == (
        user,
        "zhangsan",
        "10.9.8.7",
        Result.FAILURE,
    )
    assert entry.path == "/units/new/" and entry.label == "units:create"
    assert entry.detail == "只有系统管理员可以进行此操作。"


def test_a_refused_read_is_not_a_refused_write(user_client, roster):
    assert user_client.get(reverse("units:create")).status_code == 403
    assert not AuditLog.objects.filter(kind=Kind.DENIED).exists()


def test_a_post_without_its_csrf_token_is_recorded_as_refused(user, roster):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    entry = last(Kind.DENIED)
    assert entry.actor == user and entry.path == "/accounts/logout/"


def test_signing_out_is_recorded(user_client, user):
    user_client.post(reverse("accounts:logout"))
    entry = last(Kind.LOGOUT)
    assert entry.actor == user and entry.username == "zhangsan"


# --- downloads and exports ---------------------------------------------------------------------------


@pytest.fixture
def evidence(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deduction = findings.deduction_create(
        target=setup["qs_target"],
        item=setup["item"],
        criterion=None,
        unit=None,
        points="1",
        reason="未制定清单",
        user=setup["member"],
    )
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, format="PNG")
    return evidence_attach(
        deduction=deduction, upload=SimpleUploadedFile("现场照片.png", png.getvalue()), user=setup["member"]
    )


def test_downloading_evidence_is_recorded_with_the_file(setup, evidence):
    response = client_for(setup["reviewer"]).get(reverse("campaigns:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    entry = last(Kind.DOWNLOAD)
    assert (entry.actor, entry.model, entry.object_id) == (
        setup["reviewer"],
        "assessment.evidence",
        str(evidence.pk),
    )
    assert entry.label == "现场照片.png"


def test_a_thumbnail_shown_in_a_page_is_not_a_download(setup, evidence):
    client_for(setup["reviewer"]).get(reverse("campaigns:evidence_thumbnail", args=[evidence.pk]))
    assert not AuditLog.objects.filter(kind=Kind.DOWNLOAD).exists()


def test_a_report_export_is_recorded_with_its_fingerprint(setup):
    response = client_for(setup["leader"]).get(reverse("reports:download", args=[setup["qs_target"].pk]))
    assert response.status_code == 200
    entry = last(Kind.EXPORT)
    assert entry.actor == setup["leader"] and entry.model == "assessment.target"
    assert entry.object_id == str(setup["qs_target"].pk) and entry.label.endswith(".docx")
    assert entry.detail == f"SHA-256 {response['X-Content-SHA256']}"


@pytest.mark.parametrize(
    ("url_name", "kind", "label"),
    [
        ("units:export", Kind.EXPORT, "单位名册_"),
        ("units:template", Kind.DOWNLOAD, "单位名册模板.xlsx"),
        ("campaigns:checklist_template", Kind.DOWNLOAD, "考核项目清单模板.xlsx"),
        ("campaigns:checklist_export", Kind.EXPORT, "2021年度党建工作年终考核_考核项目清单.xlsx"),
        ("reports:scores_xlsx", Kind.EXPORT, "2021年度党建工作年终考核"),
    ],
)
def test_every_excel_file_handed_out_is_recorded(setup, url_name, kind, label):
    args = [setup["campaign"].pk] if url_name.endswith(("_export", "_xlsx")) else []
    response = client_for(setup["admin"]).get(reverse(url_name, args=args))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    entry = last(kind)
    assert entry.actor == setup["admin"] and entry.label.startswith(label) and entry.label.endswith(".xlsx")
    if args:
        assert (entry.model, entry.object_id) == ("assessment.campaign", str(setup["campaign"].pk))


def test_downloading_a_zip_of_reports_is_recorded(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    batch = ReportBatch.objects.create(
        campaign=setup["campaign"],
        requested_by=setup["admin"],
        status=ReportBatch.Status.DONE,
        total=1,
        done=1,
    )
    batch.file.save("batch.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    response = client_for(setup["admin"]).get(reverse("reports:batch_download", args=[batch.pk]))
    assert response.status_code == 200
    entry = last(Kind.DOWNLOAD)
    assert entry.label == "2021年度党建工作年终考核_考核报告.zip" and entry.model == "assessment.campaign"


# --- sign-in records ---------------------------------------------------------------------------------------------


def _attempt(username: str, ip: str) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        attempt_time=timezone.now(),
        failures_since_start=5,
    )


def test_axes_reset_commands_are_recorded_with_who_ran_them(user):
    _attempt("zhangsan", "10.0.0.1")
    _attempt("lisi", "10.0.0.2")
    with command_line(["manage.py", "axes_reset_username"]):
        call_command("axes_reset_username", "zhangsan", stdout=io.StringIO())
    entry = last(Kind.UNLOCK)
    assert entry.object_id == str(user.pk) and entry.path.startswith(
        "manage.py axes_reset_username（系统用户 "
    )
    assert "清除了 1 条登录失败记录（用户名：zhangsan" in entry.detail
    with command_line(["manage.py", "axes_reset"]):
        call_command("axes_reset", stdout=io.StringIO())
    entry = last(Kind.UNLOCK)
    assert entry.label == "全部登录失败记录" and "清除了 1 条登录失败记录" in entry.detail
    assert not AccessAttempt.objects.exists()


def test_clearing_axes_login_logs_is_recorded(db):
    AccessLog.objects.create(
        username="zhangsan", ip_address="10.0.0.1", user_agent="t", http_accept="*/*", path_info="/"
    )
    call_command("axes_reset_logs", "--age", "0", stdout=io.StringIO())
    entry = last(Kind.DELETE)
    assert entry.model == "axes.accesslog" and "登录日志 1 条" in entry.detail


def test_the_admin_deletes_no_sign_in_record_and_no_audit_entry(db):
    admin = AdminFactory(username="root", is_superuser=True)
    attempt = _attempt("zhangsan", "10.0.0.1")
    log = AccessLog.objects.create(
        username="zhangsan", ip_address="10.0.0.1", user_agent="t", http_accept="*/*", path_info="/"
    )
    entry = record(Kind.LOGIN, username="zhangsan")
    client = client_for(admin)
    for model, obj in (
        ("axes_accessattempt", attempt),
        ("axes_accesslog", log),
        ("accounts_auditlog", entry),
    ):
        assert client.get(reverse(f"admin:{model}_delete", args=[obj.pk])).status_code == 403
        assert (
            client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
        )
        changelist = client.get(reverse(f"admin:{model}_changelist"))
        assert changelist.status_code == 200 and "delete_selected" not in changelist.content.decode()
        client.post(
            reverse(f"admin:{model}_changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]},
    )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert AccessLog.objects.filter(pk=log.pk).exists()
    assert AuditLog.objects.filter(pk=entry.pk).exists()
