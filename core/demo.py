"""The demo: each app that has something to show loads its own part.

An app takes part by having a module ``<app>.demo`` with a function

    def load(*, reset_passwords: bool = False) -> DemoPart

The loaders run in the order of INSTALLED_APPS (the roster before the campaigns that use it),
in one transaction; ``manage.py load_demo`` prints what they report. Core knows no app: it finds
the loaders by name, so the demo of an app lives with what it shows.
"""

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings


@dataclass
class DemoPart:
    summary: str = ""  # one phrase of the final line, e.g. "单位 1,234 个（新增 0）"; empty: nothing new
    details: list[str] = field(default_factory=list)  # lines shown with --verbosity 2


def loaders():
    """The demo loaders of our own apps, in INSTALLED_APPS order."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if base not in Path(config.path).resolve().parents:
            continue  # Django's and third-party apps
        name = f"{config.name}.demo"
        try:
            module = import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name == name:
                continue
            raise
        if hasattr(module, "load"):
            yield module.load
