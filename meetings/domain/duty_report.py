"""The problems a secretary's own duty report (述职报告) names, to copy into the 点评.

Pure: paragraphs in, problems out. Reports are written as the seeds 002 and 003 are: a first-level
heading "二、存在问题" (or 存在问题及原因, 问题和不足 …) up to the next first-level heading; inside it,
second-level headings "（一）…" group the points, each point a paragraph "一是……。" whose first
sentence is the problem; or one paragraph listing them after a colon, separated by "；". The causes
that often follow ("产生以上问题的原因……") are not problems.
"""

from __future__ import annotations

import re

LEVEL_ONE = re.compile(r"^\s*[一二三四五六七八九十]+[、．.]")
LEVEL_TWO = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")
POINT = re.compile(r"[一二三四五六七八九十]+是")
PROBLEM_WORDS = ("存在问题", "存在的问题", "问题和不足", "问题与不足", "不足之处", "短板和不足", "差距和不足")
CAUSES = ("原因", "根源")


def _is_problem_heading(text: str) -> bool:
    return bool(LEVEL_ONE.match(text)) and any(w in text for w in PROBLEM_WORDS) and len(text) <= 40


def _first_sentence(text: str) -> str:
    head = re.split(r"[。！？]", text, maxsplit=1)[0]
    return head.strip(" ；;，,")


def problems_in(paragraphs: list[str]) -> list[str]:
    """The problems of the report's 存在问题 part, in order; none when it has no such part."""
    inside, found = False, []
    for raw in paragraphs:
        text = raw.strip()
        if not text:
            continue
        if LEVEL_ONE.match(text):
            if inside:
                break
            inside = _is_problem_heading(text)
            continue
        if not inside or LEVEL_TWO.match(text):
            continue
        if any(w in text[:20] for w in CAUSES) and text.rstrip().endswith(("：", ":")):
            break  # 产生以上问题的原因主要有以下几个方面：
        points = [p for p in POINT.split(text) if p.strip()]
        if POINT.match(text):
            found += [_first_sentence(p) for p in points]
        else:
            listed = re.split(r"[：:]", text, maxsplit=1)[-1]
            found += [p.strip(" 。") for p in re.split(r"[；;]", listed) if p.strip(" 。")]
    return [p for p in found if p]
