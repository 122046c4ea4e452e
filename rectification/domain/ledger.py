"""The ledger's rules, pure: who moves an entry from which state, the closure gate, 逾期, the
summary line offices write (seed 003: 发现问题X个，已完成整改X个，正在办理X个), and the text
similarity that suggests a problem was found before."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

OPEN, IN_PROGRESS, REQUESTED, CLOSED, RETURNED = "open", "in_progress", "requested", "closed", "returned"

#: The unit writes (measures, progress, completion) while the entry is not with the department.
UNIT_WRITES = frozenset({OPEN, IN_PROGRESS, RETURNED})
#: The unit asks for closure from these.
MAY_REQUEST = frozenset({IN_PROGRESS, RETURNED})
#: The department closes or returns a request; it may also close what it checked itself.
MAY_CLOSE = frozenset({REQUESTED})
MAY_RETURN = frozenset({REQUESTED})


def closure_gaps(*, measures: str, completion_note: str, evidence: int) -> list[str]:
    """What still keeps an entry from 销号: a measure, a completion note and evidence, all three."""
    gaps = []
    if not measures.strip():
        gaps.append(_("尚未填写整改措施"))
    if not completion_note.strip():
        gaps.append(_("尚未填写完成情况"))
    if evidence < 1:
        gaps.append(_("尚未上传佐证材料"))
    return gaps


def is_overdue(*, deadline: dt.date | None, state: str, today: dt.date) -> bool:
    """逾期: the deadline passed and the entry is not closed (an entry without a deadline never is)."""
    return deadline is not None and state != CLOSED and today > deadline


@dataclass(frozen=True)
class Summary:
    found: int
    closed: int
    overdue: int

    @property
    def in_progress(self) -> int:
        return self.found - self.closed

    def sentence(self) -> str:
        """发现问题12个，已完成整改8个，正在办理4个，其中逾期1个。"""
        if not self.found:
            return _("未发现需要整改的问题。")
        text = _("发现问题%(found)s个，已完成整改%(closed)s个，正在办理%(open)s个") % {
            "found": self.found,
            "closed": self.closed,
            "open": self.in_progress,
        }
        if self.overdue:
            text += _("，其中逾期%(n)s个") % {"n": self.overdue}
        return text + "。"


def summarize(rows: Iterable[tuple[str, dt.date | None]], today: dt.date) -> Summary:
    """``rows``: (state, deadline) of each entry."""
    rows = list(rows)
    return Summary(
        found=len(rows),
        closed=sum(1 for state, _deadline in rows if state == CLOSED),
        overdue=sum(1 for state, deadline in rows if is_overdue(deadline=deadline, state=state, today=today)),
    )


# --- the same problem again? -------------------------------------------------------------------

_NOISE = re.compile(r"[\s\W\d_a-zA-Z]+")
#: Below this the suggestion is not worth a person's time.
SUGGEST_AT = 0.3


def bigrams(text: str) -> set[str]:
    """The text's character pairs, punctuation, digits and Latin letters aside: Chinese needs no
    word segmentation for this ("台账不全" → 台账, 账不, 不全)."""
    letters = _NOISE.sub("", text)
    return {letters[i : i + 2] for i in range(len(letters) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice's coefficient over character bigrams: 1.0 the same words, 0.0 nothing shared."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))
