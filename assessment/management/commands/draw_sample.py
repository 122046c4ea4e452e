"""``manage.py draw_sample``: the public draw meeting (随机抽查现场抽取).

    python manage.py draw_sample --campaign 2021年度党建工作年终考核 --target 青山县 --seed 20220110
    python manage.py draw_sample --campaign 3 --all --seed 20220110 --dry-run --json

``--json`` prints ``{target name: {stratum label: [unit names…]}}``. Every random
stratum is listed, empty ones as ``[]``; villages (村（社区）) and township stations
(乡镇机关事业单位) are named with their township, "城关镇/新村", since two townships may
each have a 新村; hand-picked units carried over appear under 专项抽查 (only when
there are any), as their path below the county. With ``--all`` the targets are drawn
together, all or nothing: if one is locked, none is saved.
"""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.domain.sampling import stratum_label
from assessment.management.shared import add_campaign_argument, find_campaign
from assessment.models import Campaign, Stratum, Target
from assessment.services.locks import Locked
from assessment.services.sampling import DrawResult, sample_draw


class Command(BaseCommand):
    help = (
        "随机抽取考核对象的抽查单位（可在抽取会上公开进行）：同一种子、同一名册，任何时候重抽结果都相同。"
        " Draw the random sample of one target (--target) or all targets (--all) of a campaign."
    )

    def add_arguments(self, parser):
        add_campaign_argument(parser)
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--target", help="考核对象的名称（县区，或县级考核中的乡镇）")
        which.add_argument(
            "--all", action="store_true", help="抽取该考核工作的全部考核对象（县直机关等不抽查的除外）"
        )
        parser.add_argument("--seed", type=int, required=True, help="随机种子（非负整数），现场公布")
        parser.add_argument("--dry-run", action="store_true", help="只显示抽取结果，不保存（预览）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出：{考核对象: {类别: [单位…]}}")
        parser.add_argument("--user", help="抽取人的用户名（默认为第一个超级管理员）")
        parser.add_argument("--reason", default="", help="重新抽取的原因（已有考核记录引用抽查单位时必填）")

    def handle(self, *args, **options):
        campaign = self._campaign(options["campaign"])
        targets = self._targets(campaign, name=options["target"])
        dry_run = options["dry_run"]
        user = self._user(options["user"], required=not dry_run)
        results: list[DrawResult] = []
        try:
            with transaction.atomic():
                for target in targets:
                    try:
                        results.append(
                            sample_draw(
                                target=target,
                                seed=options["seed"],
                                user=user,
                                reason=options["reason"],
                                dry_run=dry_run,
                            )
                        )
                    except Locked as exc:  # names the county and its state already
                        raise CommandError("；".join(exc.messages)) from exc
                    except ValidationError as exc:
                        raise CommandError(f"{target.unit.name}：" + "；".join(exc.messages)) from exc
        except CommandError:
            if len(targets) > 1 and not dry_run:
                self.stderr.write(_("未保存任何抽取结果。"))
            raise
        if options["json"]:
            self.stdout.write(json.dumps(self._as_json(results), ensure_ascii=False, indent=2))
        else:
            for result in results:
                self._print(result)

    # --- arguments -----------------------------------------------------------------

    def _campaign(self, value: str) -> Campaign:
        return find_campaign(value)

    def _targets(self, campaign: Campaign, *, name: str | None) -> list[Target]:
        targets = Target.objects.filter(campaign=campaign).select_related("unit")
        if name is not None:
            found = list(targets.filter(unit__name=name.strip()))
            if not found:
                raise CommandError(
                    _("“%(campaign)s”中没有名为“%(name)s”的考核对象。")
                    % {"campaign": campaign.title, "name": name}
                )
            if len(found) > 1:
                raise CommandError(
                    _("“%(campaign)s”中有%(count)s个名为“%(name)s”的考核对象，请改用 --all。")
                    % {"campaign": campaign.title, "count": len(found), "name": name}
                )
            return found
        # Sorted here, not by the database, whose collation may differ between servers.
        found = sorted((t for t in targets if t.is_sampled), key=lambda t: (t.unit.name, t.pk))
        if not found:
            raise CommandError(_("“%(campaign)s”还没有考核对象。") % {"campaign": campaign.title})
        return found

    def _user(self, username: str | None, *, required: bool):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(**{User.USERNAME_FIELD: username})
            except User.DoesNotExist:
                raise CommandError(_("找不到用户“%(username)s”。") % {"username": username}) from None
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None and required:
            raise CommandError(_("没有可用的超级管理员账户，请用 --user 指定抽取人。"))
        return user

    # --- output ---------------------------------------------------------------------

    @staticmethod
    def _as_json(results: list[DrawResult]) -> dict:
        names = [r.county.name for r in results]
        out = {}
        for result in results:
            key = result.county.name
            if names.count(key) > 1:  # two counties of the same name: tell them apart
                key = f"{key}（考核对象{result.target.pk}）"
            out[key] = result.names_by_stratum()
        return out

    def _print(self, result: DrawResult) -> None:
        out = self.stdout.write
        state = (
            _("预览，未保存")
            if result.dry_run
            else _("已保存，抽取人：%(user)s") % {"user": result.draw.drawn_by}
        )
        out(
            self.style.MIGRATE_HEADING(
                _("%(county)s　随机种子 %(seed)s（%(state)s）")
                % {"county": result.county.name, "seed": result.seed, "state": state}
            )
        )
        if result.was_locked:
            out(
                "  "
                + _("已有考核记录引用了原抽查单位，由管理员重新抽取。原因：%(reason)s")
                % {"reason": result.reason}
            )
        outcome = result.outcome
        for stratum, picks in (
            (Stratum.COUNTY_ORGAN, outcome.county_organs),
            (Stratum.COUNTY_INSTITUTION, outcome.county_institutions),
        ):
            out(_("%(label)s（%(count)s个）：") % {"label": stratum_label(stratum), "count": len(picks)})
            for number, pick in enumerate(picks, 1):
                out(f"  {number}. {pick.name}")
            if not picks:
                out("  " + _("无"))
        out(
            _("%(label)s（%(count)s个）：")
            % {"label": stratum_label(Stratum.TOWNSHIP), "count": len(outcome.townships)}
        )
        if not outcome.townships:
            out("  " + _("无"))
        for number, town in enumerate(outcome.townships, 1):
            out(f"  {number}. {town.pick.name}")
            out(
                f"     {stratum_label(Stratum.VILLAGE)}："
                + ("、".join(p.name for p in town.villages) or _("无"))
            )
            out(
                f"     {stratum_label(Stratum.TOWNSHIP_STATION)}："
                + ("、".join(p.name for p in town.stations) or _("无"))
            )
        if result.manual:
            out(
                _("%(label)s（%(count)s个）：")
                % {"label": stratum_label(Stratum.MANUAL), "count": len(result.manual)}
            )
            for number, sampled in enumerate(result.manual, 1):
                out(f"  {number}. {result.path(sampled.unit)}（{sampled.reason}）")
        for sampled in result.manual_dropped:
            out(
                "  "
                + _("注意：原专项抽查单位“%(name)s”已停用或已不属于本县，未保留。")
                % {"name": sampled.unit.name}
            )
        messages = result.shortfall_messages()
        if messages:
            out(_("抽取不足："))
            for message in messages:
                out(f"  {message}")
        sentence = result.sentence()
        if sentence:
            out(_("工作概况：%(sentence)s") % {"sentence": sentence})
        out("")
