"""How a speaker is named: 姓名 as offices pad it, 职务 as the chair says it."""

import re


def person_name(text: str) -> str:
    """张  三 (two-character names padded to three in office lists) → 张三; Latin names keep their spaces."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return re.sub(r"[\s\u3000]+", "", text)
    return text


def full_title(unit_name: str, title: str, default: str) -> str:
    """The 职务 the chair calls a speaker by: ``default`` when blank; 党委书记 → 城关镇党委书记."""
    title = title.strip()
    if not title:
        return default
    if title.startswith(("党", "机关党")):
        return f"{unit_name}{title}"
    return title


def spoken(text: str, county: str) -> str:
    """How a county's own meeting says its units: 青山县教育局 → 县教育局, 白石区委办公室 →
    区委办公室 (seed 001: 请县XX局党组书记XX同志述职). Other text is left as it is."""
    if county and county[-1] in "县区市旗" and text.startswith(county) and len(text) > len(county):
        return county[-1] + text[len(county) :]
    return text
