from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User

from ...models import PaperBatch
from ...services.paper import paper_enter, sheet_plan
from ..shared import find_ballot


class Command(BaseCommand):
    help = "导入纸质测评票：import_ballots FILE.xlsx --meeting M [--dry-run]（全部或全不）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--meeting", required=True, help="民主测评的编号或名称")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="录入人的用户名（默认第一个系统管理员）")

    def handle(self, *args, file, meeting, dry_run=False, user=None, **options):
        ballot = find_ballot(meeting)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        sheet = sheet_plan(ballot=ballot, data=path.read_bytes(), file_name=path.name)
        if not sheet.ok:
            for message in sheet.error_messages():
                self.stderr.write(message)
            raise CommandError(f"发现 {len(sheet.errors)} 个错误，未导入任何测评票。")
        summary = sheet.summary()
        self.stdout.write(
            f"{len(sheet.rows)} 张纸质票（废票 {summary['void']} 张）："
            + "；".join(f"{k} {v} 张" for k, v in summary["by_category"].items())
        )
        if dry_run:
            self.stdout.write("（--dry-run：未写入）")
            return
        actor = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("找不到录入人：请用 --user 指定一个用户名。")
        try:
            with transaction.atomic():
                batch = paper_enter(
                    ballot=ballot, user=actor, rows=sheet.rows, source=PaperBatch.Source.EXCEL, name=path.name
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"已导入 {batch.count} 张（批次 {batch.pk}）。")
