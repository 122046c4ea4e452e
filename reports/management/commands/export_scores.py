import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.management.shared import add_campaign_argument, find_campaign, write_output
from assessment.models import Campaign, Problem, TypicalExample
from assessment.selectors.scores import ScoreTable, campaign_scores
from reports.xlsx import score_workbook


class Command(BaseCommand):
    help = (
        "导出考核工作的得分汇总（.xlsx）：总分排名、得分明细、问题清单、典型经验。"
        " Export a campaign's score summary workbook."
    )

    def add_arguments(self, parser):
        add_campaign_argument(parser)
        parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="导出文件（.xlsx）")
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="标题中“截至”的日期（默认今天）：尚有考核对象未定稿时，各表标题注明截至该日的情况",
        )

    def handle(self, *args, campaign: str, output: str, date: str | None = None, **options):
        found = find_campaign(campaign)
        as_of = None
        if date:
            try:
                as_of = dt.date.fromisoformat(date.strip())
            except ValueError:
                raise CommandError(
                    _("--date 的日期“%(date)s”无法识别，请写成 2022-01-14 这样的年-月-日。") % {"date": date}
                ) from None
        path = Path(output)
        table = campaign_scores(found)
        data = score_workbook(found, table, as_of=as_of)
        write_output(path, data)
        self.stdout.write(self.summary(found, table, path))

    def summary(self, campaign: Campaign, table: ScoreTable, path: Path) -> str:
        problems = Problem.objects.filter(target__campaign=campaign).count()
        examples = TypicalExample.objects.filter(target__campaign=campaign).count()
        return _(
            "已导出“%(campaign)s”得分汇总到 %(path)s：考核对象 %(targets)s 个"
            "（已定稿 %(finalized)s 个），考核项目 %(items)s 项，"
            "问题 %(problems)s 条，典型经验 %(examples)s 条。"
        ) % {
            "campaign": campaign.title,
            "path": path,
            "targets": len(table.rows),
            "finalized": table.finalized_count,
            "items": len(table.items),
            "problems": problems,
            "examples": examples,
        }
