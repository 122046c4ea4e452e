"""Batch export: the request, the background task run by the real database worker, the pages."""

import hashlib
import io
import logging
import threading
import time
import types
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from assessment.models import CampaignReviewer, GroupMember, Target
from config import urls as project_urls
from reports import batch as batches
from reports.context import build_report
from reports.models import ReportBatch, ReportExport
from reports.tasks import build_batch
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    ChecklistItemFactory,
    CriterionFactory,
    GroupFactory,
    UserFactory,
    add_member,
    add_target,
    city,
    county,
)

# The project's URLs with reports/ included (config/urls.py may not include it yet).
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "reports" for p in urlpatterns):
    urlpatterns.append(path("reports/", include("reports.urls")))
handler403, handler404, handler500 = project_urls.handler403, project_urls.handler404, project_urls.handler500

pytestmark = pytest.mark.urls(__name__)

ZIP_NAME = "2021年度党建工作年终考核_考核报告.zip"


@pytest.fixture
def renderer(monkeypatch):
    """core.officialdoc, the real renderer: tests patch its render_docx."""
    import core.officialdoc as module

    return module


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def setup(db, renderer) -> dict:
    """2021年度党建工作年终考核 with three targets: 青山县 and 白云县 (group A), 绿水县 (group B)."""
    c = city("云山市")
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    CriterionFactory(item=ChecklistItemFactory(campaign=campaign, order=1, title="老干部工作"))
    group_a = GroupFactory(campaign=campaign, name="市委第五考核组")
    group_b = GroupFactory(campaign=campaign, name="市委第六考核组")
    targets = [
        add_target(group_a, county(c, "青山县")),
        add_target(group_b, county(c, "绿水县")),
        add_target(group_a, county(c, "白云县")),
    ]
    people = {
        "admin": AdminFactory(username="boss", name="管理员"),
        "reviewer": UserFactory(username="reviewer", name="赵审核"),
        "leader": UserFactory(username="leader", name="钱组长"),
        "outsider": UserFactory(username="outsider", name="无关人员"),
    }
    CampaignReviewer.objects.create(campaign=campaign, user=people["reviewer"])
    add_member(group_a, people["leader"], role=GroupMember.Role.LEADER)
    return {"campaign": campaign, "targets": targets, "renderer": renderer, **people}


def run_worker() -> str:
    """One pass of the real database worker: run everything queued, then exit."""
    out = io.StringIO()
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", stdout=out, stderr=out
    )
    return out.getvalue()


def ordered_targets(setup) -> list[Target]:
    """The campaign's targets ordered by county name, as the database orders them."""
    return list(
        Target.objects.filter(campaign=setup["campaign"]).select_related("unit").order_by("unit__name", "pk")
    )


def expected_entries(setup) -> list[str]:
    """One .docx per target, named as its report names itself."""
    return [build_report(t).file_name for t in ordered_targets(setup)]


# --- the request -------------------------------------------------------------------------


def test_request_records_the_batch_and_enqueues_exactly_one_task(setup):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    assert (batch.status, batch.total, batch.done, batch.requested_by) == ("queued", 3, 0, setup["admin"])
    task = DBTaskResult.objects.get()
    assert task.task_path == "reports.tasks.build_batch"
    assert task.args_kwargs == {"args": [batch.pk], "kwargs": {}}
    assert task.status == "READY"


def test_second_request_is_refused_while_one_is_queued_or_running(setup):
    first = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    with pytest.raises(batches.BatchInProgress) as refused:
        batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    assert refused.value.batch == first
    assert isinstance(refused.value, ValidationError)
    assert "正在批量导出（排队中）" in refused.value.messages[0]
    ReportBatch.objects.filter(pk=first.pk).update(status="running")
    with pytest.raises(batches.BatchInProgress, match="生成中"):
        batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    assert ReportBatch.objects.count() == 1 and DBTaskResult.objects.count() == 1
    ReportBatch.objects.filter(pk=first.pk).update(status="done")
    assert batches.batch_request(campaign=setup["campaign"], user=setup["admin"]).pk != first.pk


def test_a_campaign_without_targets_has_nothing_to_export(setup):
    with pytest.raises(ValidationError, match="还没有考核对象"):
        batches.batch_request(campaign=CampaignFactory(), user=setup["admin"])
    assert not DBTaskResult.objects.exists()


def test_a_batch_stuck_for_hours_no_longer_blocks_a_new_request(setup):
    stuck = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    long_ago = timezone.now() - batches.STALE_AFTER - timezone.timedelta(minutes=1)
    ReportBatch.objects.filter(pk=stuck.pk).update(status="running", requested_at=long_ago)
    fresh = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "后台任务可能已中断" in stuck.error and stuck.finished_at
    assert fresh.status == "queued"


# --- the worker (real database backend, committed rows) --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_worker_builds_a_zip_of_one_docx_per_target(setup):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    run_worker()

    batch.refresh_from_db()
    assert batch.status == "done" and batch.done == batch.total == 3 and not batch.error
    assert batch.finished_at is not None
    assert batch.file.name.endswith(".zip") and "考核报告" in batch.file.name
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    with batch.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == expected_entries(setup)
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        entries = {name: archive.read(name) for name in archive.namelist()}
    for export in ReportExport.objects.filter(batch=batch).select_related("target__unit"):
        document = docx.Document(io.BytesIO(entries[export.file_name]))
        assert export.target.unit.name in "\n".join(p.text for p in document.paragraphs)

    exports = list(ReportExport.objects.filter(batch=batch))
    assert len(exports) == 3
    for export in exports:
        data = entries[export.file_name]
        assert export.sha256 == hashlib.sha256(data).hexdigest()
        assert export.size == len(data)
        assert export.exported_by == setup["admin"]
        assert export.target_status == "drafting"
        assert export.file_name.startswith(export.target.unit.name)
    assert {e.target_id for e in exports} == {t.pk for t in setup["targets"]}


@pytest.mark.django_db(transaction=True)
def test_done_is_saved_after_each_report(setup, monkeypatch):
    seen = []
    real = setup["renderer"].render_docx

    def watching(context):
        seen.append(ReportBatch.objects.values_list("status", "done").get())
        return real(context)

    monkeypatch.setattr(setup["renderer"], "render_docx", watching)
    batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    run_worker()
    assert seen == [("running", 0), ("running", 1), ("running", 2)]
    assert ReportBatch.objects.values_list("status", "done").get() == ("done", 3)


@pytest.mark.django_db(transaction=True)
def test_a_failing_report_marks_the_batch_failed_with_a_message(setup, monkeypatch, caplog):
    real = setup["renderer"].render_docx
    first, second = ordered_targets(setup)[:2]

    def failing(context):
        if context.target_id != first.pk:
            raise RuntimeError("renderer broke")
        return real(context)

    monkeypatch.setattr(setup["renderer"], "render_docx", failing)
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    with caplog.at_level(logging.ERROR, logger="reports.batch"):
        run_worker()

    batch.refresh_from_db()
    assert batch.status == "failed" and batch.finished_at is not None
    assert (
        batch.error.startswith(f"生成“{second.unit.name}”的考核报告时出错")
        and "请稍后重新生成" in batch.error
    )
    assert batch.done == 1 and not batch.file
    assert not ReportExport.objects.exists()  # nothing was handed out
    assert "renderer broke" in caplog.text  # the traceback is logged
    assert DBTaskResult.objects.get().status == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_the_task_run_twice_for_one_batch_does_the_work_once(setup):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    build_batch.call(batch.pk)
    batch.refresh_from_db()
    first_file, first_finished = batch.file.name, batch.finished_at
    build_batch.call(batch.pk)  # a second worker, or a retry: the batch is no longer queued
    batch.refresh_from_db()
    assert (batch.status, batch.file.name, batch.finished_at) == ("done", first_file, first_finished)
    assert ReportExport.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_task_in_the_queue_is_a_no_op(setup, tmp_path):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    build_batch.enqueue(batch.pk)
    run_worker()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
    assert ReportExport.objects.count() == 3
    assert len(list(tmp_path.rglob("*.zip"))) == 1  # MEDIA_ROOT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers need row locks")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_build_one_batch_once(setup, monkeypatch, tmp_path):
    """Two workers (threads, each with its own connection) and two queued tasks for one batch."""
    real = setup["renderer"].render_docx

    def slow(context):
        time.sleep(0.2)  # keep the first worker busy while the second looks for work
        return real(context)

    monkeypatch.setattr(setup["renderer"], "render_docx", slow)
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    build_batch.enqueue(batch.pk)
    errors = []

    def work(worker_id):
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    tasks = list(DBTaskResult.objects.all())
    assert [t.status for t in tasks] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert all(len(t.worker_ids) == 1 for t in tasks)  # no task was claimed twice
    batch.refresh_from_db()
    assert batch.status == "done" and batch.done == 3
    assert ReportExport.objects.count() == 3
    assert len(list(tmp_path.rglob("*.zip"))) == 1


@pytest.mark.django_db(transaction=True)
def test_entry_names_stay_unique_when_counties_share_a_name(setup):
    other_city = city("雾岭市")
    group = setup["targets"][0].group
    add_target(group, county(other_city, "青山县"))
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    run_worker()
    batch.refresh_from_db()
    with batch.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == 4
    stem, suffix = build_report(setup["targets"][0]).file_name.rsplit(".", 1)
    assert f"{stem}.{suffix}" in names and f"{stem}（2）.{suffix}" in names
    assert set(ReportExport.objects.values_list("file_name", flat=True)) == set(names)


# --- the pages -------------------------------------------------------------------------


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_starts_a_batch_and_is_taken_to_its_page(setup):
    response = login(setup["admin"]).post(reverse("reports:batch_start", args=[setup["campaign"].pk]))
    batch = ReportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:batch_detail", args=[batch.pk])
    assert DBTaskResult.objects.count() == 1


def test_starting_again_while_running_shows_the_running_batch(setup):
    client = login(setup["admin"])
    first = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    response = client.post(reverse("reports:batch_start", args=[setup["campaign"].pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:batch_detail", args=[first.pk])
    assert "正在批量导出" in response.content.decode()
    assert ReportBatch.objects.count() == 1


def test_start_without_targets_goes_back_to_the_campaign_with_the_reason(setup):
    empty = CampaignFactory()
    response = login(setup["admin"]).post(reverse("reports:batch_start", args=[empty.pk]), follow=True)
    assert response.redirect_chain[-1][0] == empty.get_absolute_url()
    assert "没有可以导出的报告" in response.content.decode()


def test_start_is_post_only(setup):
    response = login(setup["admin"]).get(reverse("reports:batch_start", args=[setup["campaign"].pk]))
    assert response.status_code == 405


def test_page_polls_while_queued_or_running(setup):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    client = login(setup["admin"])
    html = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    progress_url = reverse("reports:batch_progress", args=[batch.pk])
    assert f'hx-get="{progress_url}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert '<progress class="app-progress" value="0" max="3"' in html
    assert "2021年度党建工作年终考核" in html and "排队中" in html
    assert " style=" not in html  # CSP: no inline styles

    ReportBatch.objects.filter(pk=batch.pk).update(status="running", done=2)
    partial = client.get(progress_url)
    fragment = partial.content.decode()
    assert partial["Cache-Control"] == "no-store"
    assert "<html" not in fragment and 'id="batch-progress"' in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress class="app-progress" value="2" max="3"' in fragment and "2 / 3" in fragment


@pytest.mark.django_db(transaction=True)
def test_polling_stops_when_done_and_offers_the_download(setup):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    run_worker()
    client = login(setup["admin"])
    fragment = client.get(reverse("reports:batch_progress", args=[batch.pk])).content.decode()
    assert "hx-trigger" not in fragment and "hx-get" not in fragment
    assert '<progress class="app-progress" value="3" max="3"' in fragment
    assert reverse("reports:batch_download", args=[batch.pk]) in fragment

    response = client.get(reverse("reports:batch_download", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''2021%E5%B9%B4%E5%BA%A6%E5%85%9A%E5%BB%BA%E5%B7%A5%E4%BD%9C"
        "%E5%B9%B4%E7%BB%88%E8%80%83%E6%A0%B8_%E8%80%83%E6%A0%B8%E6%8A%A5%E5%91%8A.zip"
    )
    body = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).namelist() == expected_entries(setup)


def test_failed_batch_shows_its_error_and_stops_polling(setup):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    ReportBatch.objects.filter(pk=batch.pk).update(status="failed", error="生成“青山县”的考核报告时出错")
    html = login(setup["admin"]).get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert "生成“青山县”的考核报告时出错" in html and "生成失败" in html
    assert "hx-trigger" not in html
    assert reverse("reports:batch_download", args=[batch.pk]) not in html


def test_download_only_when_done(setup):
    batch = batches.batch_request(campaign=setup["campaign"], user=setup["admin"])
    response = login(setup["admin"]).get(reverse("reports:batch_download", args=[batch.pk]))
    assert response.status_code == 404


def test_zip_file_name_is_safe():
    campaign = types.SimpleNamespace(title="2021/2022 年度:考核", year=2021)
    assert batches.zip_file_name(campaign) == "2021_2022 年度_考核_考核报告.zip"
    assert (
        batches.zip_file_name(types.SimpleNamespace(title="2021年度党建工作年终考核", year=2021)) == ZIP_NAME
    )


# --- permissions ---------------------------------------------------------------------------


def batch_urls(setup) -> list[tuple[str, str]]:
    batch = ReportBatch.objects.create(campaign=setup["campaign"], requested_by=setup["admin"], total=3)
    return [
        ("post", reverse("reports:batch_start", args=[setup["campaign"].pk])),
        ("get", reverse("reports:batch_detail", args=[batch.pk])),
        ("get", reverse("reports:batch_progress", args=[batch.pk])),
        ("get", reverse("reports:batch_download", args=[batch.pk])),
    ]


@pytest.mark.parametrize("who", ["reviewer", "leader", "outsider"])
def test_non_admins_are_refused(setup, who):
    client = login(setup[who])
    for method, url in batch_urls(setup):
        assert getattr(client, method)(url).status_code == 403, url
    assert ReportBatch.objects.count() == 1 and not DBTaskResult.objects.exists()


def test_anonymous_is_sent_to_the_login_page(setup):
    for method, url in batch_urls(setup):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_admins_see_every_campaigns_batches_and_missing_ids_are_404(setup):
    other = ReportBatch.objects.create(campaign=CampaignFactory(), requested_by=setup["admin"], total=1)
    client = login(AdminFactory(username="another-admin"))
    assert client.get(reverse("reports:batch_detail", args=[other.pk])).status_code == 200
    for name in ("batch_detail", "batch_progress", "batch_download"):
        assert client.get(reverse(f"reports:{name}", args=[other.pk + 1000])).status_code == 404
    assert client.post(reverse("reports:batch_start", args=[99999])).status_code == 404
