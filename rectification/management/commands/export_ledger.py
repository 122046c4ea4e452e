from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.management.shared import add_campaign_argument, find_campaign, find_target, write_output

from ... import exporting, selectors


class Command(BaseCommand):
    help = (
        "导出整改台账：export_ledger --campaign C [--unit U] -o 台账.xlsx（.docx：该单位的整改情况报告，须 --unit）。"
        " Export the rectification ledger (xlsx), or one unit's report (docx)."
    )

    def add_arguments(self, parser):
        add_campaign_argument(parser)
        parser.add_argument("--unit", help="只导出这个考核对象（单位名称）")
        parser.add_argument(
            "-o", "--output", required=True, help="输出的 .xlsx（台账）或 .docx（整改情况报告）"
        )

    def handle(self, *args, campaign, unit, output, **options):
        found = find_campaign(campaign)
        target = find_target(found, unit) if unit else None
        chosen = target.unit if target else None
        rows = selectors.entries(found, unit=chosen)
        path = Path(output)
        if path.suffix.lower() == ".docx":
            if chosen is None:
                raise CommandError("导出整改情况报告（.docx）时请用 --unit 指定单位。")
            data = exporting.report_docx(found, chosen, rows, selectors.summary(rows))
        elif path.suffix.lower() == ".xlsx":
            title = f"{found.title}{chosen.name if chosen else ''}问题整改台账"
            data = exporting.ledger_xlsx(title, rows, with_unit=chosen is None)
        else:
            raise CommandError("输出文件须为 .xlsx（台账）或 .docx（整改情况报告）。")
        write_output(path, data)
        self.stdout.write(f"已导出 {len(rows)} 个问题：{path}（{selectors.summary(rows).sentence()}）")
