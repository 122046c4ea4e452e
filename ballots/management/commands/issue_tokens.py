from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...domain import tokens
from ...exporting import slips_docx
from ...services.setup import tokens_issue
from ..shared import find_ballot


class Command(BaseCommand):
    help = "生成测评码：issue_tokens --meeting M --category C --count N [-o slips.docx] [--address URL]"

    def add_arguments(self, parser):
        parser.add_argument("--meeting", required=True, help="民主测评的编号或名称")
        parser.add_argument("--category", required=True, help="测评人类别的名称")
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("-o", "--output", help="测评条（Word，.docx）")
        parser.add_argument("--address", default="http://127.0.0.1:8000", help="手机扫码打开的地址")

    def handle(self, *args, meeting, category, count, output=None, address, **options):
        ballot = find_ballot(meeting)
        found = ballot.categories.filter(name=category.strip()).first()
        if found is None:
            names = "、".join(ballot.categories.values_list("name", flat=True))
            raise CommandError(f"没有测评人类别“{category}”（可选：{names}）。")
        if output and not output.lower().endswith(".docx"):
            raise CommandError("测评条以 Word 文件（.docx）输出，请以 .docx 结尾。")
        try:
            made = tokens_issue(ballot=ballot, category=found, count=count, user=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for token in made:
            self.stdout.write(tokens.display(token.code))
        if output:
            Path(output).write_bytes(
                slips_docx(ballot=ballot, category=found, address=ballot.address or address)
            )
            self.stderr.write(f"测评条已写入 {output}")
