"""测评码: the one-use codes handed out as QR slips, one per seat.

A code is 13 characters from a 32-symbol alphabet without 0, O, 1 and I (nor lowercase): 65 random
bits from the operating system's generator (``secrets``), unguessable even with every code of a
meeting known. Ten characters of such an alphabet would carry only 50 bits, short of the 64 asked
for, so the code is three characters longer and shown in groups (``ABCD-EFGH-JKLMN``) to stay easy
to read aloud and type. Typed input is read leniently: lowercase, spaces and dashes are accepted.
"""

import math
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I
LENGTH = 13
BITS = LENGTH * math.log2(len(ALPHABET))
GROUPS = (4, 4, 5)

_SEPARATORS = re.compile(r"[\s\-_－—]+")


def new_code() -> str:
    """A fresh random code (13 characters, 65 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str | None:
    """The code a person typed or a QR code carried, in its stored form; None if it cannot be one."""
    code = _SEPARATORS.sub("", (typed or "").strip()).upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code: str) -> str:
    """``ABCDEFGHJKLMN`` → ``ABCD-EFGH-JKLMN``: the code as printed on a slip."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(parts)
