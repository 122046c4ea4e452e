import re
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.importing import ChecklistPlan, checklist_import, checklist_plan
from assessment.management.shared import add_campaign_argument, find_campaign
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
        add_campaign_argument(parser)
        parser.add_argument("--create", action="store_true", help="没有该名称的考核工作时新建一个")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入数据库")
        parser.add_argument("--user", metavar="USERNAME", help="记为修改人的用户名（默认：第一个超级管理员）")

    def handle(self, *args, file: str, campaign: str, create: bool, dry_run: bool, user, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        reference = campaign.strip()
        found = self.find_campaign(reference)
        if found is None and not create:
            raise CommandError(
                _("找不到考核工作“%(reference)s”。请填写考核工作的编号或完整名称，或加 --create 新建。")
                % {"reference": reference}
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
            self.stderr.write(
                _("%(file)s：发现 %(count)s 个错误，未写入任何数据。")
                % {"file": path.name, "count": len(messages)}
            )
            for message in messages:
                self.stderr.write(f"  {message}")
            sys.exit(1)
        self.report(plan, path.name, dry_run=dry_run, created_year=year)

    def find_campaign(self, reference: str) -> Campaign | None:
        return find_campaign(reference, required=False)

    def year_of(self, title: str) -> int:
        if not title:
            raise CommandError(_("考核工作名称不能为空。"))
        max_length = Campaign._meta.get_field("title").max_length
        if len(title) > max_length:
            raise CommandError(
                _("考核工作名称过长（%(length)s个字），不能超过%(limit)s个字。")
                % {"length": len(title), "limit": max_length}
            )
        match = _YEAR.search(title)
        if match is None:
            raise CommandError(
                _("无法从名称“%(title)s”中确定考核年度：名称中应包含年份，如“2021年度党建工作年终考核”。")
                % {"title": title}
            )
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise CommandError(
                _("名称“%(title)s”中的年份 %(year)s 不在 2000—2100 之间。") % {"title": title, "year": year}
            )
        return year

    def find_user(self, username: str | None, *, required: bool):
        User = get_user_model()
        if username:
            found = User.objects.filter(username=username).first()
            if found is None:
                raise CommandError(_("找不到用户“%(username)s”。") % {"username": username})
            return found
        if not required:
            return None
        found = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if found is None:
            raise CommandError(_("系统中没有超级管理员，请用 --user 指定记为修改人的用户名。"))
        return found

    def report(self, plan: ChecklistPlan, name: str, *, dry_run: bool, created_year: int | None) -> None:
        prefix = _("试运行（未写入）") if dry_run else _("导入完成")
        self.stdout.write(
            _(
                "%(prefix)s：%(file)s 工作表 %(sheet)s → 考核工作“%(campaign)s”，"
                "考核项目 %(items)s 项，评分标准 %(criteria)s 条，总分 %(total)s 分。"
            )
            % {
                "prefix": prefix,
                "file": name,
                "sheet": plan.table.sheet,
                "campaign": plan.campaign_title,
                "items": len(plan.items),
                "criteria": plan.criterion_count,
                "total": points_text(plan.total),
            }
        )
        if created_year is not None:
            message = (
                _("将新建考核工作“%(campaign)s”（%(year)s年度）。")
                if dry_run
                else _("已新建考核工作“%(campaign)s”（%(year)s年度）。")
            )
            self.stdout.write("  " + message % {"campaign": plan.campaign_title, "year": created_year})
        if plan.replaced_items:
            message = (
                _("将替换原有的 %(count)s 个考核项目。")
                if dry_run
                else _("已替换原有的 %(count)s 个考核项目。")
            )
            self.stdout.write("  " + message % {"count": plan.replaced_items})
        for item in plan.items:
            lead = _("，牵头单位 %(lead)s") % {"lead": item.lead_department} if item.lead_department else ""
            self.stdout.write(
                f"  {item.order}. "
                + _("%(title)s：%(score)s 分，评分标准 %(criteria)s 条%(lead)s")
                % {
                    "title": item.title,
                    "score": points_text(item.full_score),
                    "criteria": len(item.criteria),
                    "lead": lead,
                }
            )
        ignored = plan.ignored_columns()
        if ignored:
            self.stdout.write("  " + _("已忽略的列：") + "、".join(ignored))
        for note in plan.notes:
            self.stdout.write(f"  {note}")
