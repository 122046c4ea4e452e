"""manage.py prune_audit_log: entries older than N days go (N ≥ 180), nothing younger, on SQLite and
PostgreSQL (where the database refuses younger ones itself). Run the PostgreSQL half with
tests/pgcluster.py."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import InternalError
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditLog
from tests.accounts.test_audit_page import backdate

Kind = AuditLog.Kind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ages() -> dict:
    """Entries 400, 200, 179 days old and one from now."""
    made = {}
    for days in (400, 200, 179, 0):
        entry = record(Kind.LOGIN, username=f"aged{days}")
        if days:
            backdate(entry, days)
        made[days] = entry.pk
    return made


@pytest.mark.parametrize("days", ["30", "179", "0", "-5"])
def test_anything_under_180_days_is_refused_with_the_reason_and_nothing_goes(ages, days):
    with pytest.raises(CommandError) as refused:
        call_command("prune_audit_log", "--days", days, stdout=io.StringIO())
    assert str(refused.value) == f"安全审计日志至少保留 180 天：--days {days} 少于 180 天，未删除任何记录。"
    assert AuditLog.objects.count() == 4


def test_only_entries_older_than_the_days_go_and_the_pruning_is_recorded(ages):
    out = io.StringIO()
    call_command("prune_audit_log", "--days", "180", stdout=out)
    left = set(AuditLog.objects.values_list("pk", flat=True))
    assert {ages[179], ages[0]} <= left and not {ages[400], ages[200]} & left
    assert "已删除 2 条早于" in out.getvalue() and "保留最近 180 天" in out.getvalue()
    entry = AuditLog.objects.get(kind=Kind.DELETE, model="accounts.auditlog")
    assert entry.before["记录数"] == 2 and "清理了 2 条早于" in entry.detail


def test_a_longer_retention_keeps_more(ages):
    call_command("prune_audit_log", "--days", "300", stdout=io.StringIO())
    left = set(AuditLog.objects.values_list("pk", flat=True))
    assert ages[400] not in left and {ages[200], ages[179], ages[0]} <= left


def test_a_dry_run_counts_and_deletes_nothing(ages):
    out = io.StringIO()
    call_command("prune_audit_log", "--dry-run", stdout=out)
    assert "将删除 2 条" in out.getvalue() and AuditLog.objects.count() == 4


def test_postgresql_refuses_to_delete_a_young_entry_even_when_asked_directly(ages):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    with pytest.raises(InternalError, match="审计日志只能追加"), transaction.atomic():
        AuditLog.objects.prune(older_than=timezone.now())
    assert AuditLog.objects.count() == 4
