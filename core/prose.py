"""Text hygiene for official documents: full-width punctuation, one 。 at the end, no doubles.

Users type into browsers with whatever input method is at hand; the report
must read as if one careful person wrote it.
"""

import datetime as dt
import re

from .text import strip_invisible

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


# A body that opens with one of these carries on its title's sentence: its subject is the title's
# ("…每季度定期举办“青山先锋”发布会" + "将作出突出贡献的党员群众遴选展示出来…"). Words that open
# a sentence of their own in this genre (以…为…, 通过, 依托, 坚持, a subject, a date) are not here.
CONTINUATIONS = ("将", "把", "并", "从而", "进而", "使", "让", "以便", "借此", "由此")
_LEADING_COMMA = "，、,"


def continues(body: str) -> bool:
    """Whether ``body`` carries on the sentence of the title before it rather than starting one."""
    body = clean(body)
    return body.startswith(CONTINUATIONS) or body[:1] in _LEADING_COMMA


def run_on(title: str, body: str) -> str:
    """A title and its body as the report writes them (a typical example's （1）…): "标题。正文。",
    or one sentence "标题，正文。" when the body carries on the title (``continues``), or when the
    title itself ends with a comma; "标题：正文。" after a colon. No body: "标题。"."""
    title = clean(title)
    body = clean(body)
    if not body:
        return headline(title)
    stem = title.rstrip("。；;，,：:")
    if title.endswith(("：", ":")):
        return f"{stem}：{sentence(body)}"
    if continues(body) or title.endswith(("，", ",")):
        return f"{stem}，{sentence(body.lstrip(_LEADING_COMMA))}"
    return f"{headline(title)}{sentence(body)}"


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
