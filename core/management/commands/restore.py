"""``manage.py restore ARCHIVE``: bring a backup back into an empty database (core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "从 manage.py backup 写出的归档恢复数据库和上传文件。先校验每个文件的 SHA-256，再写入；"
        "当前数据库已有数据时拒绝，除非加 --force。 Restore a backup archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", help="备份归档文件（djkh-backup-….tar.gz）")
        parser.add_argument(
            "--force", action="store_true", help="当前数据库已有数据时也恢复（其中的数据将全部被备份替换）"
        )

    def handle(self, *args, archive: str, force: bool, **options):
        try:
            restored = restore(archive=Path(archive), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(
                _("无法使用数据库（%(error)s），未恢复。请检查 DATABASE_URL 指向的数据库。") % {"error": exc}
            ) from None
        rows = sum(restored.counts.values())
        self.stdout.write(
            _(
                "已从 %(archive)s 恢复：数据库 %(rows)d 行（已与备份时的行数逐表核对一致），上传文件 %(files)d 个。"
            )
            % {"archive": archive, "rows": rows, "files": restored.files}
        )
        if restored.pending_migrations:
            self.stdout.write(
                _("备份来自较早的版本，请接着运行 manage.py migrate（待执行：%(names)s）。")
                % {"names": "、".join(restored.pending_migrations)}
            )
