"""manage.py create_admin: the first administrator, in Chinese (instead of createsuperuser).

Asks for 姓名, 用户名 and the password twice; every answer is checked as the user management pages
check it (accounts.users) and a refused one is asked again. For scripts: ``--noinput`` with
``--name`` and ``--username``, the password in the environment variable ADMIN_PASSWORD (never on
the command line, where the shell history and the process list would keep it).
"""

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.users import (
    NAME_MAX,
    first_admin_create,
    normalize_username,
    username_error,
    username_owner,
)

PASSWORD_VARIABLE = "ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "创建系统管理员（可登录本系统的全部管理功能和 Django 后台）：依次输入姓名、用户名和两次密码。"
        f" 脚本中使用：--noinput --name 姓名 --username 用户名，密码放在环境变量 {PASSWORD_VARIABLE} 中。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", help="姓名，如：张三")
        parser.add_argument("--username", help="用户名（登录时输入），如：zhangsan")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"不提问：姓名和用户名来自参数，密码来自环境变量 {PASSWORD_VARIABLE}",
        )

    def handle(self, *args, name=None, username=None, interactive=True, **options):
        if interactive and not sys.stdin.isatty():
            raise CommandError(
                _(
                    "当前不是交互式终端，无法提问。请在终端中运行，或使用 --noinput --name --username，密码放在环境变量 %(var)s 中。"
                )
                % {"var": PASSWORD_VARIABLE}
            )
        user = self._ask(name, username) if interactive else self._from_arguments(name, username)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已创建系统管理员“%(name)s”（用户名 %(username)s）。请用浏览器打开本系统，用该用户名和密码登录。"
                )
                % {"name": user.name, "username": user.username}
            )
        )

    # --- scripts -------------------------------------------------------------------------------

    def _from_arguments(self, name, username):
        password = os.environ.get(PASSWORD_VARIABLE, "")
        missing = [
            label
            for label, value in ((_("--name（姓名）"), name), (_("--username（用户名）"), username))
            if not value
        ]
        if not password:
            missing.append(_("环境变量 %(var)s（密码）") % {"var": PASSWORD_VARIABLE})
        if missing:
            raise CommandError(_("使用 --noinput 时必须提供：") + "、".join(missing))
        try:
            return first_admin_create(name=name, username=username, password=password)
        except ValidationError as error:
            raise CommandError(_("未创建：") + " ".join(_messages(error))) from None

    # --- a person at a terminal ----------------------------------------------------------------

    def _ask(self, name, username):
        self.stdout.write(_("创建系统管理员。按 Ctrl+C 取消。"))
        try:
            name = self._ask_name(name)
            username = self._ask_username(username)
            while True:
                password = self._ask_password()
                try:
                    return first_admin_create(name=name, username=username, password=password)
                except ValidationError as error:
                    problems = error.message_dict
                    if set(problems) - {"password"}:  # somebody took the user name meanwhile
                        raise CommandError(_("未创建：") + " ".join(_messages(error))) from None
                    for message in problems["password"]:
                        self.stderr.write(_("密码不符合要求：") + message)
        except (KeyboardInterrupt, EOFError):
            self.stdout.write("")
            raise CommandError(_("已取消，没有创建任何账户。")) from None

    def _ask_name(self, name):
        while True:
            name = (name or input(_("姓名：")) or "").strip()
            if name and len(name) <= NAME_MAX:
                return name
            self.stderr.write(
                _("请填写姓名。") if not name else _("姓名不能超过 %(max)d 个字。") % {"max": NAME_MAX}
            )
            name = None

    def _ask_username(self, username):
        while True:
            username = normalize_username(username or input(_("用户名（登录时输入，如 zhangsan）：")) or "")
            problem = username_error(username)
            if problem is None and (owner := username_owner(username)) is not None:
                problem = _("用户名“%(username)s”已被“%(owner)s”使用，请换一个。") % {
                    "username": username,
                    "owner": owner,
                }
            if problem is None:
                return username
            self.stderr.write(problem)
            username = None

    def _ask_password(self):
        while True:
            password = getpass.getpass(
                _("密码（至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 种）：")
            )
            if not password:
                self.stderr.write(_("密码不能为空。"))
                continue
            again = getpass.getpass(_("再次输入密码："))
            if password != again:
                self.stderr.write(_("两次输入的密码不一致，请重新输入。"))
                continue
            return password


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return error.messages
