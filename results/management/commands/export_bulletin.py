from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.management.shared import add_campaign_argument, find_campaign, write_output
from results import bulletin as bulletins
from results.models import Bulletin


class Command(BaseCommand):
    help = "导出考核工作的通报（Word）。通报须先在“综合评定 → 通报”中起草（可在页面上审改）。"

    def add_arguments(self, parser):
        add_campaign_argument(parser)
        parser.add_argument("-o", "--output", required=True, metavar="FILE.docx", help="导出文件（.docx）")

    def handle(self, *args, campaign: str, output: str, **options):
        found = find_campaign(campaign)
        bulletin = Bulletin.objects.filter(campaign=found).first()
        if bulletin is None:
            raise CommandError(
                _("“%(title)s”的通报尚未起草：请在“综合评定 → 通报”页面起草并审改后再导出。")
                % {"title": found.title}
            )
        write_output(Path(output), bulletins.render(bulletin))
        state = _("已定稿") if bulletin.fixed_at else _("草稿")
        self.stdout.write(_("已导出通报（%(state)s）到 %(path)s。") % {"state": state, "path": output})
