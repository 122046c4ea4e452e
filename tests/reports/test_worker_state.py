"""The worker's state is visible: a batch export queued while no background worker runs says so on
its page (polled every second) and on the administrator's home; a worker that beats recently
silences it (core.worker, core/management/commands/db_worker.py)."""

import datetime as dt
import io
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLog
from core import worker
from core.models import WorkerHeartbeat
from reports import batch as batches
from reports.models import ReportBatch
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    GroupFactory,
    UserFactory,
    add_member,
    add_target,
    city,
    county,
)

MESSAGE = "后台任务未运行，请联系系统管理员启动"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    group = GroupFactory(campaign=campaign, name="市委第五考核组")
    add_target(group, county(city("云山市"), "青山县"))
    leader = UserFactory(username="leader", name="钱组长")
    add_member(group, leader, role="leader")
    return {"campaign": campaign, "admin": AdminFactory(username="boss", name="管理员"), "leader": leader}


def heartbeat(seconds_ago: float, queues=("default",), worker_id="w1") -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": "worker-host",
            "pid": 4242,
            "queues": list(queues),
            "started_at": timezone.now() - dt.timedelta(hours=1),
            "seen_at": timezone.now() - dt.timedelta(seconds=seconds_ago),
        },
    )


def queued(world) -> ReportBatch:
    return batches.batch_request(campaign=world["campaign"], user=world["admin"])


# --- what counts as running -------------------------------------------------------------------------


def test_no_heartbeat_is_no_worker(db):
    assert not worker.running()


def test_a_recent_heartbeat_is_a_running_worker(db):
    heartbeat(3)
    assert worker.running()


def test_a_heartbeat_older_than_the_limit_is_a_stopped_worker(db, settings):
    settings.WORKER_STOPPED_AFTER_SECONDS = 20
    heartbeat(25)
    assert not worker.running()


def test_a_worker_serves_only_its_queues(db):
    heartbeat(1, queues=["mail"])
    assert not worker.running("default") and worker.running("mail")
    heartbeat(1, queues=["*"], worker_id="w2")
    assert worker.running("default")


def test_waiting_tasks_are_counted_only_when_nobody_serves_them(world):
    assert worker.waiting_without_worker() == 0  # nothing waits
    queued(world)
    assert worker.waiting_without_worker() == 1
    heartbeat(1)
    assert worker.waiting_without_worker() == 0


# --- the worker's own heartbeat ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_kept_while_the_worker_runs_and_removed_when_it_stops(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    with worker.heartbeat("w-test", ["default"]):
        row = WorkerHeartbeat.objects.get()
        first = row.seen_at
        assert worker.running()
        deadline = time.monotonic() + 5
        while WorkerHeartbeat.objects.get().seen_at == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert WorkerHeartbeat.objects.get().seen_at > first  # the thread beats on its own
        assert WorkerHeartbeat.objects.get().started_at == row.started_at
    assert not WorkerHeartbeat.objects.exists()
    assert not worker.running()
    assert not AuditLog.objects.filter(model="core.workerheartbeat").exists()  # not the security log's


@pytest.mark.django_db(transaction=True)  # the worker closes connections left in a transaction
def test_db_worker_beats_while_it_runs_a_batch_and_leaves_no_row(world, monkeypatch):
    seen = []
    monkeypatch.setattr(batches, "_render", lambda context: seen.append(worker.running()) or b"docx")
    batch = queued(world)
    assert batches.waits_for_a_worker(batch)
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", stdout=io.StringIO()
    )
    batch.refresh_from_db()
    assert batch.status == ReportBatch.Status.DONE
    assert seen == [True]  # the worker was seen running while it built the report
    assert not WorkerHeartbeat.objects.exists()
    assert not batches.waits_for_a_worker(batch)


# --- the pages --------------------------------------------------------------------------------------


def progress(client, batch) -> str:
    response = client.get(reverse("reports:batch_progress", args=[batch.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_queued_batch_with_no_worker_says_so_on_its_page(world, client):
    batch = queued(world)
    client.force_login(world["admin"])
    assert MESSAGE in progress(client, batch)
    page = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert MESSAGE in page and 'data-testid="worker-down"' in page
    assert 'hx-trigger="every 1s"' in page  # still polled: the message goes when a worker starts


def test_a_queued_batch_with_a_recent_heartbeat_says_nothing_of_the_worker(world, client):
    batch = queued(world)
    heartbeat(2)
    client.force_login(world["admin"])
    html = progress(client, batch)
    assert MESSAGE not in html and "排队中" in html


def test_a_worker_that_stopped_beating_is_reported_again(world, client, settings):
    settings.WORKER_STOPPED_AFTER_SECONDS = 20
    batch = queued(world)
    heartbeat(60)
    client.force_login(world["admin"])
    assert MESSAGE in progress(client, batch)


def test_a_finished_batch_says_nothing_of_the_worker(world, client):
    batch = queued(world)
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.FAILED, error="出错")
    client.force_login(world["admin"])
    assert MESSAGE not in progress(client, batch)


def test_the_administrators_home_says_so_while_a_task_waits_for_no_worker(world, client):
    client.force_login(world["admin"])
    assert MESSAGE not in client.get("/").content.decode()  # nothing waits
    queued(world)
    page = client.get("/").content.decode()
    assert MESSAGE in page and "有 1 项后台任务（如批量导出报告）正在排队" in page
    heartbeat(1)
    assert MESSAGE not in client.get("/").content.decode()


def test_other_peoples_home_does_not_mention_the_worker(world, client):
    queued(world)
    client.force_login(world["leader"])
    response = client.get("/")
    assert response.status_code == 200 and MESSAGE not in response.content.decode()
