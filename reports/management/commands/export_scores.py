from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
        found = self.find_campaign(campaign.strip())
        path = Path(output)
        table = campaign_scores(found)
        data = score_workbook(found, table)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from None
        self.stdout.write(self.summary(found, table, path))

    def find_campaign(self, reference: str) -> Campaign:
        if not reference:
            raise CommandError("请用 --campaign 填写考核工作的编号或完整名称。")
        matches = {c.pk: c for c in Campaign.objects.filter(title=reference)}
        if reference.isdigit():
            matches.update({c.pk: c for c in Campaign.objects.filter(pk=int(reference))})
        if not matches:
            raise CommandError(f"找不到考核工作“{reference}”。请填写考核工作的编号或完整名称。")
        if len(matches) > 1:
            described = "、".join(
                f"编号 {c.pk}“{c.title}”" for c in sorted(matches.values(), key=lambda c: c.pk)
            )
            raise CommandError(f"“{reference}”同时对应多个考核工作（{described}），无法确定导出哪一个。")
        return next(iter(matches.values()))

    def summary(self, campaign: Campaign, table: ScoreTable, path: Path) -> str:
        problems = Problem.objects.filter(target__campaign=campaign).count()
        examples = TypicalExample.objects.filter(target__campaign=campaign).count()
        return (
            f"已导出“{campaign.title}”得分汇总到 {path}：考核对象 {len(table.rows)} 个"
            f"（已定稿 {table.finalized_count} 个），考核项目 {len(table.items)} 项，"
            f"问题 {problems} 条，典型经验 {examples} 条。"
        )
