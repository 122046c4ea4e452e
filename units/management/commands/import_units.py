import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.importing import roster_import


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）导入单位名册：按“上级单位 + 单位名称”新增或更新单位，全部成功才写入。"
        " Import a roster workbook; all or nothing. Exit code 1 when the file has errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入数据库")

    def handle(self, *args, file: str, dry_run: bool, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        plan = roster_import(data=data, file_name=path.name, dry_run=dry_run)
        if not plan.ok:
            messages = plan.error_messages()
            self.stderr.write(
                _("%(file)s：发现 %(count)s 个错误，未写入任何数据。")
                % {"file": path.name, "count": len(messages)}
            )
            for message in messages + plan.unchecked_messages():
                self.stderr.write(f"  {message}")
            sys.exit(1)
        prefix = _("试运行（未写入）") if dry_run else _("导入完成")
        self.stdout.write(
            _(
                "%(prefix)s：%(file)s 工作表 %(sheet)s，新增 %(created)s，更新 %(updated)s，不变 %(unchanged)s。"
            )
            % {
                "prefix": prefix,
                "file": path.name,
                "sheet": plan.table.sheet,
                "created": f"{plan.count('create'):,}",
                "updated": f"{plan.count('update'):,}",
                "unchanged": f"{plan.count('unchanged'):,}",
            }
        )
        for row in plan.kind_counts():
            self.stdout.write(
                "  "
                + _("%(kind)s：新增 %(created)s，更新 %(updated)s，不变 %(unchanged)s")
                % {
                    "kind": row["label"],
                    "created": f"{row['create']:,}",
                    "updated": f"{row['update']:,}",
                    "unchanged": f"{row['unchanged']:,}",
                }
            )
        for group in plan.spelling_groups():
            spellings = "、".join(
                _("“%(text)s”%(rows)s行") % {"text": s["text"], "rows": s["rows"]} for s in group["spellings"]
            )
            if group["more"]:
                spellings += _("，另有%(n)s种写法（共%(rows)s行）") % {
                    "n": group["more"],
                    "rows": group["more_rows"],
                }
            self.stdout.write(
                "  "
                + _("党组织类型按“%(label)s”记录：%(spellings)s")
                % {"label": group["label"], "spellings": spellings}
            )
        ignored = plan.ignored_columns()
        if ignored:
            self.stdout.write("  " + _("已忽略的列：") + "、".join(ignored))
