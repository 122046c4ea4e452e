from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.management.shared import add_campaign_argument, find_campaign, find_target, write_output
from reports.exporting import report_export


class Command(BaseCommand):
    help = (
        "导出一个考核对象的考核报告（.docx，党政机关公文格式），并记录导出人、时间和文件的 SHA-256。"
        " Export one target's inspection report."
    )

    def add_arguments(self, parser):
        add_campaign_argument(parser)
        parser.add_argument("--target", required=True, metavar="NAME", help="考核对象（县、区）的名称")
        parser.add_argument("-o", "--output", required=True, metavar="FILE.docx", help="导出文件（.docx）")
        parser.add_argument("--user", metavar="USERNAME", help="记为导出人的用户（默认：第一个超级管理员）")

    def handle(self, *args, campaign: str, target: str, output: str, user: str | None, **options):
        found = find_target(find_campaign(campaign), target)
        User = get_user_model()
        person = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if person is None:
            raise CommandError(
                _("找不到用户“%(username)s”。") % {"username": user}
                if user
                else _("没有可记为导出人的超级管理员，请用 --user 指定。")
            )
        data, record = report_export(target=found, user=person)
        path = Path(output)
        write_output(path, data)
        draft = _("（草稿）") if found.status != found.Status.FINALIZED else ""
        self.stdout.write(
            _("已导出%(target)s的考核报告%(draft)s到 %(path)s，SHA-256 %(sha256)s。")
            % {"target": found.unit.name, "draft": draft, "path": path, "sha256": record.sha256}
        )
