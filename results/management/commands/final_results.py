import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.management.shared import add_campaign_argument, find_campaign, write_output
from results.exporting import results_workbook
from results.selectors import Results, campaign_results


def _text(value):
    return None if value is None else format(value, "f")


def as_json(results: Results) -> dict:
    """The results in the shape the issue fixes: decimals as strings, null where unknown."""
    return {
        "provisional": results.provisional,
        "units": [
            {
                "unit": row.target.unit.name,
                "components": {c.label: _text(v.score) for c, v in row.cells},
                "bonus": _text(row.result.bonus),
                "penalty": _text(row.result.penalty),
                "veto": list(row.result.vetoed_by),
                "score": _text(row.result.score),
                "rank": row.result.rank,
                "grade": row.result.grade,
                "manual": row.result.manual,
            }
            for row in results.rows
        ],
    }


class Command(BaseCommand):
    help = "综合评定结果：按考核办法算出每个考核对象的综合得分、排名和等次（--json 输出，或 -o 导出 Excel）。"

    def add_arguments(self, parser):
        add_campaign_argument(parser)
        parser.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")
        parser.add_argument("-o", "--output", metavar="FILE.xlsx", help="导出 Excel 结果表")

    def handle(self, *args, campaign: str, output: str | None = None, **options):
        found = find_campaign(campaign)
        results = campaign_results(found)
        if results is None:
            raise CommandError(_("“%(title)s”尚未制定考核办法。") % {"title": found.title})
        if output:
            write_output(Path(output), results_workbook(results))
        if options.get("json"):
            self.stdout.write(_dumps(as_json(results)))
        elif not output:
            for row in results.rows:
                r = row.result
                self.stdout.write(
                    f"{r.rank or '—'}\t{row.target.unit.name}\t{_text(r.score) or '未知'}\t{r.grade or '—'}"
                    + ("\t人工调整" if r.manual else "")
                )
        if output:
            self.stdout.write(
                _("已导出“%(title)s”综合评定结果到 %(path)s%(state)s。")
                % {"title": found.title, "path": output, "state": "（暂定）" if results.provisional else ""}
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
