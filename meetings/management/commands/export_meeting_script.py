from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...exporting import script_docx
from ..shared import find_meeting


class Command(BaseCommand):
    help = "导出主持词：export_meeting_script --meeting M -o 主持词.docx"

    def add_arguments(self, parser):
        parser.add_argument("--meeting", required=True, help="述职评议会议的编号或名称")
        parser.add_argument("-o", "--output", required=True, help="输出的 .docx 文件")

    def handle(self, *args, meeting, output, **options):
        found = find_meeting(meeting)
        path = Path(output)
        try:
            path.write_bytes(script_docx(found))
        except OSError as exc:
            raise CommandError(f"无法写入 {output}：{exc.strerror}。") from None
        self.stdout.write(f"已导出“{found.title}”的主持词：{path}")
