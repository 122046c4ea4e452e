import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
        plan = roster_import(data=data, file_name=path.name, dry_run=dry_run)
        if not plan.ok:
            messages = plan.error_messages()
            self.stderr.write(f"{path.name}：发现 {len(messages)} 个错误，未写入任何数据。")
            for message in messages:
                self.stderr.write(f"  {message}")
            sys.exit(1)
        prefix = "试运行（未写入）" if dry_run else "导入完成"
        self.stdout.write(
            f"{prefix}：{path.name} 工作表 {plan.table.sheet}，新增 {plan.count('create'):,}，"
            f"更新 {plan.count('update'):,}，不变 {plan.count('unchanged'):,}。"
        )
        for row in plan.kind_counts():
            self.stdout.write(
                f"  {row['label']}：新增 {row['create']:,}，更新 {row['update']:,}，不变 {row['unchanged']:,}"
            )
        ignored = plan.ignored_columns()
        if ignored:
            self.stdout.write("  已忽略的列：" + "、".join(ignored))
