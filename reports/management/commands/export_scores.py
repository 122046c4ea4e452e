from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.commands import find_campaign
from assessment.models import Campaign, Problem, TypicalExample
from reports.scores import ScoreTable, campaign_scores
from reports.xlsx import score_workbook


class Command(BaseCommand):
    help = (
        "导出考核工作的得分汇总（.xlsx）：总分排名、得分明细、问题清单、典型经验。"
        " Export a campaign's score summary workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign", required=True, metavar="ID_OR_TITLE", help="考核工作的编号或完整名称"
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="导出文件（.xlsx）")

    def handle(self, *args, campaign: str, output: str, **options):
        found = find_campaign(campaign)
        path = Path(output)
        table = campaign_scores(found)
        data = score_workbook(found, table)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from None
        self.stdout.write(self.summary(found, table, path))

    def summary(self, campaign: Campaign, table: ScoreTable, path: Path) -> str:
        problems = Problem.objects.filter(target__campaign=campaign).count()
        examples = TypicalExample.objects.filter(target__campaign=campaign).count()
        return (
            f"已导出“{campaign.title}”得分汇总到 {path}：考核对象 {len(table.rows)} 个"
            f"（已定稿 {table.finalized_count} 个），考核项目 {len(table.items)} 项，"
            f"问题 {problems} 条，典型经验 {examples} 条。"
        )
