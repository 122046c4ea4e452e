"""Text hygiene for official documents: full-width punctuation, one 。 at the end, no doubles.

Users type into browsers with whatever input method is at hand; the report
must read as if one careful person wrote it.
"""

import datetime as dt
import re

from core.text import strip_invisible

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "。，、；：？！…—“”‘’（）《》〈〉【】"
# Half-width punctuation next to a Chinese character (on either side) becomes full-width;
# 0.5, 2021-01-15, a.m. and other Latin text stay as they are.
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])([,;:?!()])|([,;:?!()])(?=[{_CJK}{_CJK_PUNCT}])")
_DOUBLE_END = re.compile(r"([。！？；：，、])[。．.，,]+")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_TERMINAL = tuple("。！？；：…")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def full_width(text: str) -> str:
    """Half-width punctuation touching Chinese text → full-width; straight quotes → “…”."""

    def swap(match: re.Match) -> str:
        return _HALF_TO_FULL[match.group(1) or match.group(2)]

    text = _NEXT_TO_CJK.sub(swap, text)
    # Straight double quotes in Chinese text pair up as “ and ”.
    if '"' in text and re.search(f"[{_CJK}]", text):
        parts = text.split('"')
        text = "".join(part + ("“" if i % 2 == 0 else "”") for i, part in enumerate(parts[:-1])) + parts[-1]
    return text


def clean(text: str) -> str:
    """One paragraph's worth of text: trimmed, control characters dropped, line breaks and spaces
    collapsed, full-width, no doubled 。."""
    text = strip_invisible(_CONTROL.sub("", text or ""))
    text = _SPACES.sub(" ", _LINE_BREAKS.sub(" ", text).strip())
    # A space between two Chinese characters, or next to Chinese punctuation, is a typing slip.
    text = re.sub(rf"(?<=[{_CJK}{_CJK_PUNCT}]) (?=[{_CJK}{_CJK_PUNCT}])", "", text)
    text = full_width(text)
    text = re.sub(rf" (?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}]) ", "", text)
    return _DOUBLE_END.sub(r"\1", text)


def sentence(text: str) -> str:
    """A clean sentence that ends once, with 。 unless it already ends with terminal punctuation."""
    text = clean(text).rstrip("，、,. ")
    if not text:
        return ""
    return (
        text if text.endswith(_TERMINAL) or text.endswith("”") and text[-2:-1] in _TERMINAL else text + "。"
    )


def headline(text: str) -> str:
    """A point's headline as the report runs it into its body: 一是凝聚人心有声势。"""
    return sentence(clean(text).rstrip("。；;"))


def paragraphs(text: str) -> list[str]:
    """User text split into paragraphs at line breaks, each cleaned, empty ones dropped."""
    return [p for p in (clean(line) for line in (text or "").splitlines()) if p]


def chinese_date(date: dt.date) -> str:
    """2022年1月15日: Arabic numerals, full year, no leading zeros (GB/T 9704)."""
    return f"{date.year}年{date.month}月{date.day}日"


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """2022年1月10日至1月14日 (the year once when both dates share it)."""
    if start and end:
        if start == end:
            return chinese_date(start)
        tail = f"{end.month}月{end.day}日" if end.year == start.year else chinese_date(end)
        return f"{chinese_date(start)}至{tail}"
    if start or end:
        return chinese_date(start or end)
    return ""
