#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    from accounts.acting import command_line

    # What a command writes is recorded in the security audit log as done by that command.
    with command_line(sys.argv):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
