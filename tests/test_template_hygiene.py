"""Template pitfalls that fail silently."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_adds_a_number_to_a_string_literal():
    # Django's |add tries int + int, then value + arg: "item"|add:3 is "" (str + int fails
    # quietly). Build such strings in the view, or pass the parts separately.
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{n}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"""["'][^"']*["']\|add:""", line)
    ]
    assert offenders == []
