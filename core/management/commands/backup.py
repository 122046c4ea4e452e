"""``manage.py backup``: the database and the uploaded files in one archive (core/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份：把数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）和全部上传文件写入一个归档文件，"
        "附每个文件的 SHA-256 清单。运行中即可备份。 Back up the database and the media files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output-dir",
            metavar="DIR",
            help="归档文件写入的目录（默认：设置 BACKUP_DIR，即环境变量 BACKUP_DIR 或项目下的 backups/）",
        )
        parser.add_argument(
            "--keep", type=int, metavar="N", help="备份完成后只保留该目录中最新的 N 个归档，删除更早的"
        )

    def handle(self, *args, output_dir: str | None, keep: int | None, **options):
        if keep is not None and keep < 1:
            raise CommandError(_("--keep 至少为 1。"))
        directory = Path(output_dir) if output_dir else Path(settings.BACKUP_DIR)
        try:
            path, manifest = backup(directory=directory, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(
                _("无法写入备份目录 %(dir)s：%(error)s") % {"dir": directory, "error": exc}
            ) from None
        except DatabaseError as exc:
            raise CommandError(_("读取数据库失败，未写出备份：%(error)s") % {"error": exc}) from None
        media = len(manifest["files"]) - 1
        self.stdout.write(
            _("已备份到 %(path)s（%(size)s）：数据库（%(vendor)s）和 %(media)d 个上传文件。")
            % {
                "path": path,
                "size": filesizeformat(path.stat().st_size),
                "vendor": manifest["database"]["vendor"],
                "media": media,
            }
        )
