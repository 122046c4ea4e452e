from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...importing import speakers_import, speakers_plan
from ..shared import actor, find_meeting


class Command(BaseCommand):
    help = "导入述职人名单：import_speakers FILE.xlsx --meeting M [--dry-run]（全部或全不）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--meeting", required=True, help="述职评议会议的编号或名称")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="操作人的用户名（默认第一个系统管理员）")

    def handle(self, *args, file, meeting, dry_run=False, user=None, **options):
        found = find_meeting(meeting)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        data = path.read_bytes()
        if dry_run:
            plan = speakers_plan(meeting=found, data=data, file_name=path.name)
        else:
            try:
                plan = speakers_import(meeting=found, data=data, file_name=path.name, user=actor(user))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        if not plan.ok:
            for message in plan.error_messages():
                self.stderr.write(message)
            raise CommandError(f"发现 {len(plan.error_messages())} 个错误，未导入任何述职人。")
        for row in plan.rows:
            self.stdout.write(
                f"第{row.row}行 {row.unit.name} {row.title}{row.name}（{'书面述职' if row.mode == 'written' else '口头述职'}）"
            )
        if dry_run:
            self.stdout.write(f"共 {len(plan.rows)} 名述职人（--dry-run：未写入）。")
        else:
            self.stdout.write(f"已导入 {len(plan.rows)} 名述职人。")
