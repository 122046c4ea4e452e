"""Cleaning text the way people type it into Excel and forms; Chinese numerals both ways."""

import re
from datetime import timedelta

from django.utils.translation import gettext as _

# Whitespace Python's str.split() does not treat as such in every case, plus the
# ideographic space (U+3000) and the no-break space Excel likes to paste in.
_SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff\u200b"
)
_SPACE_RUN = re.compile(rf"[\s{_SPACES}]+")
_ANY_SPACE = re.compile(rf"[\s{_SPACES}]")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")

_HALF_TO_FULL_PARENS = str.maketrans({"(": "（", ")": "）"})


# Characters nobody types on purpose and that break what is made from the text: C0 controls but
# tab and line breaks (openpyxl and XML refuse them), DEL and C1 controls, bidi embeddings,
# overrides and isolates (a right-to-left override disguises "exe.pdf" and reorders a report),
# marks without width, the byte order mark, and the noncharacters U+FFFE/U+FFFF.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)


def strip_invisible(value: str) -> str:
    """``value`` without control, bidi-override and zero-width characters (tabs and line breaks
    stay). Every name and text is passed through this as it enters (core.middleware and imports)."""
    return _INVISIBLE.sub("", value) if _INVISIBLE.search(value) else value


def clean_text(value: object) -> str:
    """Trim, collapse runs of whitespace, and drop spaces between Chinese characters; no control
    or bidi-override characters (strip_invisible).

    "  青山县 交通局 " → "青山县交通局"; "Acme  Ltd" → "Acme Ltd".
    """
    if value is None:
        return ""
    text = strip_invisible(str(value))
    if not _ANY_SPACE.search(text):
        return text  # most cells: nothing to clean (an import reads hundreds of thousands)
    text = _SPACE_RUN.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


def clean_name(value: object) -> str:
    """A unit name: clean_text plus Chinese (full-width) parentheses, so 村(社区) = 村（社区）."""
    return clean_text(value).translate(_HALF_TO_FULL_PARENS)


def compact_key(value: object) -> str:
    """A key for matching labels typed many ways: no spaces at all, full-width parens, no '*'."""
    return clean_name(value).replace(" ", "").replace("*", "").replace("＊", "")


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+|\d+")


def chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23, 一百零五 → 105; Arabic digits as they are."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        elif char == "百":
            total += (digit or 1) * 100
            digit = 0
    return total + digit


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 23 → 二十三 (the numbering of （一） headings); the
    inverse of chinese_number below 100."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def shi(index: int) -> str:
    """0 → 一是, 1 → 二是 … (the points of an evaluation, a list of problems or recommendations)."""
    return f"{chinese_ordinal(index + 1)}是"


def natural_key(name: str) -> tuple:
    """Sort "市委第十考核组" after "市委第九考核组", whatever the numerals."""
    parts: list = []
    position = 0
    for match in _CN_NUMBER.finditer(name):
        parts += [name[position : match.start()], chinese_number(match.group())]
        position = match.end()
    return (*parts, name[position:])


def duration_text(delta: timedelta) -> str:
    """How long something has waited, as people say it: 3天5小时, 5小时20分钟, 12分钟, 不到1分钟
    (the two largest units; a negative span, from a clock set wrong, is 不到1分钟)."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        if hours:
            return _("%(days)d天%(hours)d小时") % {"days": days, "hours": hours}
        return _("%(days)d天") % {"days": days}
    if hours:
        return (
            _("%(hours)d小时%(minutes)d分钟") % {"hours": hours, "minutes": minutes}
            if minutes
            else _("%(hours)d小时") % {"hours": hours}
        )
    return _("%(minutes)d分钟") % {"minutes": minutes} if minutes else _("不到1分钟")
