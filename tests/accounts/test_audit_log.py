import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError
from django.test import RequestFactory
from django.utils import timezone

from accounts.audit import Kind, Result, record
from accounts.models import AuditLog
from tests.factories import UserFactory


@pytest.mark.django_db
def test_record_takes_actor_address_and_path_from_the_request():
    user = UserFactory(username="wangwu")
    request = RequestFactory().get("/units/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    entry = record(Kind.DOWNLOAD, request=request, label="名册.xlsx")
    entry.refresh_from_db()
    assert (entry.actor, entry.username, entry.ip, entry.path) == (user, "wangwu", "10.1.2.3", "/units/")
    assert entry.result == Result.SUCCESS


@pytest.mark.django_db
def test_record_names_a_model_instance():
    user = UserFactory(username="wangwu", name="王五")
    entry = record(Kind.UPDATE, actor=user, obj=user, before={"姓名": ""}, after={"姓名": "王五"})
    assert (entry.model, entry.object_id, entry.label) == ("accounts.user", str(user.pk), "王五")


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = record(Kind.LOGIN_FAILED, username="nobody", result=Result.FAILURE)
    entry.detail = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).detail == ""


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_update_and_early_delete_in_sql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    entry = record(Kind.LOGIN, username="somebody")
    for sql in (
        "UPDATE accounts_auditlog SET detail = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditlog WHERE id = %s",
    ):
        with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditLog.objects.filter(pk=entry.pk, detail="").exists()


@pytest.mark.django_db(transaction=True)
def test_prune_removes_only_entries_past_the_cutoff():
    old = record(Kind.LOGIN, username="old")
    young = record(Kind.LOGIN, username="young")
    long_ago = timezone.now() - dt.timedelta(days=200)
    with connection.cursor() as cursor:
        # Backdating needs to get past the append-only rules, as only a test may.
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditlog DISABLE TRIGGER accounts_auditlog_append_only")
        cursor.execute("UPDATE accounts_auditlog SET at = %s WHERE id = %s", [long_ago, old.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditlog ENABLE TRIGGER accounts_auditlog_append_only")
    removed = AuditLog.objects.prune(older_than=timezone.now() - dt.timedelta(days=180))
    assert removed == 1
    assert list(AuditLog.objects.values_list("pk", flat=True)) == [young.pk]
