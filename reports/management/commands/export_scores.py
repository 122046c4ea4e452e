from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from assessment.commands import add_campaign_argument, find_campaign, write_output
from assessment.models import Campaign, Problem, TypicalExample
from reports.scores import ScoreTable, campaign_scores
from reports.xlsx import score_workbook


class Command(BaseCommand):
    help = (
        "导出考核工作的得分汇总（.xlsx）：总分排名、得分明细、问题清单、典型经验。"
        " Export a campaign's score summary workbook."
    )

    def add_arguments(self, parser):
        add_campaign_argument(parser)
        parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="导出文件（.xlsx）")

    def handle(self, *args, campaign: str, output: str, **options):
        found = find_campaign(campaign)
        path = Path(output)
        table = campaign_scores(found)
        data = score_workbook(found, table)
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
