"""What the management commands share: the --campaign option, finding a campaign or a target by
what a person types, writing the file a command exports."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ..models import Campaign, Target


def add_campaign_argument(parser) -> None:
    parser.add_argument("--campaign", required=True, metavar="ID_OR_TITLE", help="考核工作的编号或完整名称")


def write_output(path: Path, data: bytes) -> None:
    """Write an exported file; a path that cannot be written is a CommandError, not a traceback."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandError(
            _("无法写入文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}
        ) from None


def find_campaign(reference: str, *, required: bool = True) -> Campaign | None:
    """A campaign by its id or its exact title. Ambiguity (one campaign's id is another's title)
    is an error naming both; a missing campaign is an error unless not ``required``."""
    reference = (reference or "").strip()
    if not reference:
        raise CommandError(_("请用 --campaign 填写考核工作的编号或完整名称。"))
    matches = {c.pk: c for c in Campaign.objects.filter(title=reference)}
    if reference.isdigit():
        matches.update({c.pk: c for c in Campaign.objects.filter(pk=int(reference))})
    if len(matches) > 1:
        described = "、".join(
            _("编号 %(id)s“%(title)s”") % {"id": c.pk, "title": c.title}
            for c in sorted(matches.values(), key=lambda c: c.pk)
        )
        raise CommandError(
            _("“%(reference)s”同时对应多个考核工作（%(described)s），请改用另一种写法。")
            % {"reference": reference, "described": described}
        )
    if not matches:
        if required:
            raise CommandError(
                _("找不到考核工作“%(reference)s”。请填写考核工作的编号或完整名称。")
                % {"reference": reference}
            )
        return None
    return next(iter(matches.values()))


def find_target(campaign: Campaign, name: str) -> Target:
    """A campaign's target by its county's name."""
    found = list(
        Target.objects.filter(campaign=campaign, unit__name=(name or "").strip()).select_related("unit")
    )
    if not found:
        raise CommandError(
            _("“%(campaign)s”中没有名为“%(name)s”的考核对象。") % {"campaign": campaign.title, "name": name}
        )
    if len(found) > 1:
        raise CommandError(
            _("“%(campaign)s”中有%(count)s个名为“%(name)s”的考核对象。")
            % {"campaign": campaign.title, "count": len(found), "name": name}
        )
    return found[0]
