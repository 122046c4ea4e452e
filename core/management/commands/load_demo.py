"""``manage.py load_demo``: the demo of every app (core.demo), for trying the tool out."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import loaders


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
                parts = [load(reset_passwords=reset_passwords) for load in loaders()]
        except ValidationError as exc:
            raise CommandError("载入演示数据失败，未做任何修改：" + "；".join(exc.messages)) from exc

        if options.get("verbosity", 1) >= 2:
            for part in parts:
                for line in part.details:
                    self.stdout.write(f"  {line}")
        line = "演示数据已就绪：" + "，".join(part.summary for part in parts if part.summary)
        self.stdout.write(self.style.SUCCESS(line))
