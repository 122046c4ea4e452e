import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...exporting import category_lines, quorum_line, results_table, results_xlsx
from ...selectors.results import ballot_results, results_json
from ..shared import find_ballot


class Command(BaseCommand):
    help = "测评结果：ballot_results --meeting M [--json] [-o results.xlsx]"

    def add_arguments(self, parser):
        parser.add_argument("--meeting", required=True, help="民主测评的编号或名称")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("-o", "--output", help="测评结果统计表（.xlsx）")

    def handle(self, *args, meeting, output=None, **options):
        results = ballot_results(find_ballot(meeting))
        if output:
            if not output.lower().endswith(".xlsx"):
                raise CommandError("结果以 Excel 文件（.xlsx）输出，请以 .xlsx 结尾。")
            Path(output).write_bytes(results_xlsx(results))
        if options["json"]:
            self.stdout.write(_dumps(results_json(results)))
            return
        header, rows = results_table(results)
        self.stdout.write("\t".join(header))
        for row in rows:
            self.stdout.write("\t".join(row))
        self.stdout.write(quorum_line(results))
        for line in category_lines(results):
            self.stdout.write(line)


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)
