"""manage.py prune_audit_log --days N: delete security audit entries older than N days (N ≥ 180).

The only way entries leave the log. Anything younger than the retention period (180 days, as 等保
2.0 asks for) is refused here, and on PostgreSQL by the database too (the trigger of migration
accounts/0002). The pruning itself is recorded in the log.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditLog

RETENTION_DAYS = 180


class Command(BaseCommand):
    help = "删除早于指定天数的安全审计日志（至少保留 180 天）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=RETENTION_DAYS,
            help=f"删除早于这么多天的记录，不能小于 {RETENTION_DAYS}（默认 {RETENTION_DAYS}）。",
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除多少条，不删除。")

    def handle(self, *args, days: int, dry_run: bool = False, **options):
        if days < RETENTION_DAYS:
            raise CommandError(
                _(
                    "安全审计日志至少保留 %(minimum)d 天：--days %(days)d 少于 %(minimum)d 天，"
                    "未删除任何记录。"
                )
                % {"minimum": RETENTION_DAYS, "days": days}
            )
        cutoff = timezone.now() - dt.timedelta(days=days)
        when = timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M")
        if dry_run:
            count = AuditLog.objects.filter(at__lt=cutoff).count()
            self.stdout.write(
                _("将删除 %(count)d 条早于 %(when)s 的安全审计日志（未删除）。")
                % {"count": count, "when": when}
            )
            return
        with transaction.atomic():
            removed = AuditLog.objects.prune(older_than=cutoff)
            audit.record(
                AuditLog.Kind.DELETE,
                model="accounts.auditlog",
                label=_("安全审计日志"),
                before={_("记录数"): removed, _("早于"): when},
                detail=_("清理了 %(count)d 条早于 %(when)s（%(days)d 天前）的安全审计日志。")
                % {"count": removed, "when": when, "days": days},
            )
        self.stdout.write(
            _("已删除 %(count)d 条早于 %(when)s 的安全审计日志（保留最近 %(days)d 天）。")
            % {"count": removed, "when": when, "days": days}
        )
