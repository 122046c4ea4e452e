import re
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessment.checklist_import import ChecklistPlan, checklist_import, checklist_plan
from assessment.commands import find_campaign
from assessment.models import Campaign
from core.numbers import points_text

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）导入考核项目清单，整体替换该考核工作现有的清单，全部成功才写入。"
        " Import a checklist workbook into a campaign; all or nothing. Exit code 1 when the file has errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="考核项目清单文件（.xlsx）")
        parser.add_argument(
            "--campaign", required=True, metavar="ID_OR_TITLE", help="考核工作的编号或完整名称"
        )
        parser.add_argument("--create", action="store_true", help="没有该名称的考核工作时新建一个")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入数据库")
        parser.add_argument("--user", metavar="USERNAME", help="记为修改人的用户名（默认：第一个超级管理员）")

    def handle(self, *args, file: str, campaign: str, create: bool, dry_run: bool, user, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
        reference = campaign.strip()
        found = self.find_campaign(reference)
        if found is None and not create:
            raise CommandError(
                f"找不到考核工作“{reference}”。请填写考核工作的编号或完整名称，或加 --create 新建。"
            )
        year = self.year_of(reference) if found is None else None
        changed_by = self.find_user(user, required=not dry_run)

        if dry_run:
            plan = checklist_plan(data=data, file_name=path.name, campaign=found)
            if found is None:
                plan.campaign_title = reference
        elif found is not None:
            plan = checklist_import(data=data, file_name=path.name, campaign=found, user=changed_by)
        else:
            with transaction.atomic():
                found = Campaign.objects.create(title=reference, year=year)
                plan = checklist_import(data=data, file_name=path.name, campaign=found, user=changed_by)
                if not plan.ok:
                    transaction.set_rollback(True)

        if not plan.ok:
            messages = plan.error_messages()
            self.stderr.write(f"{path.name}：发现 {len(messages)} 个错误，未写入任何数据。")
            for message in messages:
                self.stderr.write(f"  {message}")
            sys.exit(1)
        self.report(plan, path.name, dry_run=dry_run, created_year=year)

    def find_campaign(self, reference: str) -> Campaign | None:
        return find_campaign(reference, required=False)

    def year_of(self, title: str) -> int:
        if not title:
            raise CommandError("考核工作名称不能为空。")
        max_length = Campaign._meta.get_field("title").max_length
        if len(title) > max_length:
            raise CommandError(f"考核工作名称过长（{len(title)}个字），不能超过{max_length}个字。")
        match = _YEAR.search(title)
        if match is None:
            raise CommandError(
                f"无法从名称“{title}”中确定考核年度：名称中应包含年份，如“2021年度党建工作年终考核”。"
            )
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise CommandError(f"名称“{title}”中的年份 {year} 不在 2000—2100 之间。")
        return year

    def find_user(self, username: str | None, *, required: bool):
        User = get_user_model()
        if username:
            found = User.objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"找不到用户“{username}”。")
            return found
        if not required:
            return None
        found = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if found is None:
            raise CommandError("系统中没有超级管理员，请用 --user 指定记为修改人的用户名。")
        return found

    def report(self, plan: ChecklistPlan, name: str, *, dry_run: bool, created_year: int | None) -> None:
        prefix = "试运行（未写入）" if dry_run else "导入完成"
        self.stdout.write(
            f"{prefix}：{name} 工作表 {plan.table.sheet} → 考核工作“{plan.campaign_title}”，"
            f"考核项目 {len(plan.items)} 项，评分标准 {plan.criterion_count} 条，总分 {points_text(plan.total)} 分。"
        )
        if created_year is not None:
            verb = "将新建" if dry_run else "已新建"
            self.stdout.write(f"  {verb}考核工作“{plan.campaign_title}”（{created_year}年度）。")
        if plan.replaced_items:
            verb = "将替换" if dry_run else "已替换"
            self.stdout.write(f"  {verb}原有的 {plan.replaced_items} 个考核项目。")
        for item in plan.items:
            lead = f"，牵头单位 {item.lead_department}" if item.lead_department else ""
            self.stdout.write(
                f"  {item.order}. {item.title}：{points_text(item.full_score)} 分，评分标准 {len(item.criteria)} 条{lead}"
            )
        ignored = plan.ignored_columns()
        if ignored:
            self.stdout.write("  已忽略的列：" + "、".join(ignored))
        for note in plan.notes:
            self.stdout.write(f"  {note}")
