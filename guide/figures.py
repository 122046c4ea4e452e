"""The guide's screenshots: PNG files under static/guide/, named in the section templates by
``{% guide_figure %}`` and written by tests/browser/test_guide_screenshots.py from the demo."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import Image

FOLDER = "guide"
#: A screenshot larger than this is refused by the tests: keep the repository small.
MAX_BYTES = 120 * 1024

_TAG = re.compile(r"""\{%\s*guide_figure\s+["']([^"']+)["']""")


def directory() -> Path:
    return Path(settings.BASE_DIR) / "static" / FOLDER


def path(name: str) -> Path:
    return directory() / str.__str__(name)  # a template passes a SafeString, which Path refuses


@lru_cache(maxsize=128)
def _size(file: Path, mtime: float) -> tuple[int, int]:
    with Image.open(file) as image:
        return image.size


def size(name: str) -> tuple[int, int] | None:
    """(width, height) in pixels of a screenshot, None if it is missing."""
    file = path(name)
    try:
        return _size(file, file.stat().st_mtime)
    except (FileNotFoundError, OSError):
        return None


def referenced(template_text: str) -> list[str]:
    """The screenshots a section template names."""
    return _TAG.findall(template_text)
