"""``manage.py check_port 8000``: say in Chinese, before anything else starts, that a port is taken."""

import socket
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "检查本机端口是否可用（make run 在迁移数据库之前调用）。"

    def add_arguments(self, parser):
        parser.add_argument("port", type=int)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options):
        if not 0 < port < 65536:
            self._refuse(f"端口号 {port} 无效：请用 1–65535 之间的数字，例如 make run PORT=8001。")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                self._refuse(
                    f"端口 {port} 已被占用（可能本程序已在运行，或另一个程序在用它）。"
                    f"请关闭占用它的程序，或换一个端口：make run PORT={port + 1}"
                )

    def _refuse(self, message: str) -> None:
        # A plain Chinese line for the person at the terminal, not "CommandError: …".
        self.stderr.write(message)
        sys.exit(1)
