"""``manage.py load_demo``: the demo roster and demo accounts, for trying the tool out."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessment.demo import load_campaign_demo
from units.demo import DEMO_ACCOUNTS, load_demo
from units.models import Unit


class Command(BaseCommand):
    help = (
        "载入演示数据：云山市及其三个县（区）的虚构单位名册、几个演示账户和一次考核工作。"
        "可重复运行，已有的单位和账户保持不变。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="把已存在的演示账户的密码重置为演示密码。",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DEBUG=False 的环境中也执行（会创建密码公开的演示账户，切勿用于生产环境）。",
        )

    def handle(self, *args, reset_passwords: bool = False, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "当前为非调试环境（DEBUG=False），已拒绝载入演示数据：它会创建密码公开的演示账户。"
                "如确需在此环境中载入，请加上 --force 参数。"
            )
        try:
            with transaction.atomic():
                summary = load_demo(reset_passwords=reset_passwords)
                campaign = load_campaign_demo()
        except ValidationError as exc:
            raise CommandError("载入演示数据失败，未做任何修改：" + "；".join(exc.messages)) from exc

        verbosity = options.get("verbosity", 1)
        if verbosity >= 2:
            for kind, count in summary["units_by_kind"].items():
                created = summary["units_created_by_kind"].get(kind, 0)
                self.stdout.write(f"  {Unit.Kind(kind).label}：{count} 个（新增 {created}）")
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  账户 {account.username}（{account.name}），密码 {account.password}")
        line = (
            f"演示数据已就绪：单位 {summary['units']} 个（新增 {summary['units_created']}），"
            f"账户 {summary['accounts']} 个（新增 {summary['accounts_created']}）"
        )
        if campaign["campaign_created"]:
            line += (
                f"，考核工作“{campaign['campaign']}”（考核项目清单、3个考核组、抽查结果和考核记录）"
                "及已定稿的上一年度考核"
            )
        if reset_passwords:
            line += f"，重置密码 {summary['passwords_reset']} 个"
        self.stdout.write(self.style.SUCCESS(line))
