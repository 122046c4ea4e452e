"""The report's preview and download, as each role meets them, and the export_report command."""

import hashlib
import io

import docx
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment.models import Target
from reports.models import ReportExport

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_member_reads_the_preview_but_cannot_download(setup):
    target = setup["qs_target"]
    client = client_for(setup["member"])
    html = client.get(reverse("reports:preview", args=[target.pk])).content.decode()
    assert "关于青山县2021年度党建工作年终考核情况的报告" in html
    assert 'data-testid="download-report"' not in html and "草稿" in html
    assert client.get(reverse("reports:download", args=[target.pk])).status_code == 403
    assert not ReportExport.objects.exists()


def test_preview_lists_what_is_missing(setup):
    html = (
        client_for(setup["leader"])
        .get(reverse("reports:preview", args=[setup["qs_target"].pk]))
        .content.decode()
    )
    assert 'data-testid="report-warnings"' in html and "工作情况尚未填写" in html


@pytest.mark.parametrize("role", ["leader", "reviewer", "admin"])
def test_download_is_recorded_with_its_fingerprint(setup, role):
    target = setup["qs_target"]
    response = client_for(setup[role]).get(reverse("reports:download", args=[target.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    record = ReportExport.objects.get()
    assert record.exported_by == setup[role] and record.target_status == "drafting"
    assert record.sha256 == hashlib.sha256(response.content).hexdigest() == response["X-Content-SHA256"]
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text.replace("\n", "") == "关于青山县2021年度党建工作年终考核情况的报告"


def test_the_same_data_downloads_the_same_bytes(setup):
    client = client_for(setup["leader"])
    url = reverse("reports:download", args=[setup["qs_target"].pk])
    assert client.get(url).content == client.get(url).content
    assert ReportExport.objects.values("sha256").distinct().count() == 1


def test_another_group_cannot_see_the_report(setup):
    client = client_for(setup["other"])
    assert client.get(reverse("reports:preview", args=[setup["qs_target"].pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[setup["qs_target"].pk])).status_code == 404


def test_export_report_command_writes_the_file_and_records_it(setup, tmp_path):
    Target.objects.filter(pk=setup["qs_target"].pk).update(status=Target.Status.FINALIZED)
    out = io.StringIO()
    path = tmp_path / "青山县.docx"
    call_command(
        "export_report",
        campaign=setup["campaign"].title,
        target="青山县",
        output=str(path),
        user="boss",
        stdout=out,
    )
    record = ReportExport.objects.get()
    assert path.read_bytes() and hashlib.sha256(path.read_bytes()).hexdigest() == record.sha256
    assert out.getvalue().strip() == f"已导出青山县的考核报告到 {path}，SHA-256 {record.sha256}。"
    assert record.target_status == "finalized" and record.exported_by == setup["admin"]


def test_export_report_command_names_a_missing_target(setup, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="中没有名为“火星县”的考核对象"):
        call_command(
            "export_report",
            campaign=str(setup["campaign"].pk),
            target="火星县",
            output=str(tmp_path / "x.docx"),
        )
