"""reverse() for the rows of a page.

A page like the workspace links every row to a few views (edit, delete, move,
evidence…): a few hundred reverse() calls at some 40 µs each. Each pattern is
reversed once here with placeholder integers, and later calls fill the numbers
in, which is the same string reverse() would give for integer arguments.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = 970_000_001  # + position; a number no real argument is expected to collide with
_templates: dict[tuple, list | None] = {}


def _template(viewname: str, count: int) -> list | None:
    """The URL split around its arguments: [text, 0, text, 1, text]; None if it cannot be split."""
    marks = [str(_PLACEHOLDER + i) for i in range(count)]
    url = reverse(viewname, args=[_PLACEHOLDER + i for i in range(count)])
    pieces = re.split("(" + "|".join(marks) + ")", url) if marks else [url]
    found = pieces[1::2]
    if sorted(found) != marks:
        return None  # an argument used twice, or transformed by its converter
    return [marks.index(p) if i % 2 else p for i, p in enumerate(pieces)]


def reverse_ints(viewname: str, *args) -> str:
    """reverse(viewname, args=args), memoized per pattern when every argument is an int."""
    if not all(type(a) is int for a in args):
        return reverse(viewname, args=args)
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), viewname, len(args))
    if key not in _templates:
        _templates[key] = _template(viewname, len(args))
    template = _templates[key]
    if template is None:
        return reverse(viewname, args=args)
    return "".join(piece if type(piece) is str else str(args[piece]) for piece in template)
