"""The lock on a county's work, stated once.

A county (a Target) is open to change only while it is being filled in (填报中) or
was sent back (退回修改); once handed in (已提交), approved (已审核) or finalized
(已定稿), nothing that shows in its report changes until an administrator reopens
it. Everything of a closed campaign (已结束) is read-only. Sampling, groups, the
checklist and the campaign's settings obey the same rule as the findings: a change
is open only while *every* county it affects is open.

Pure: statuses in, a refusal (the message to show) or None out. The database side
(which counties a change affects, locking their rows) is assessment.services.locks.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

#: The statuses (Target.Status values) in which a county's work may change.
EDITABLE = frozenset({"drafting", "returned"})

#: How many locked counties a message names before "等N个考核对象".
NAMED = 3


def is_open(status: str) -> bool:
    return status in EDITABLE


def state_phrase(status: str) -> str:
    """A locked county's state as the messages say it: 青山县「已提交审核」."""
    phrases = {
        "submitted": _("已提交审核"),
        "approved": _("已审核通过"),
        "finalized": _("已定稿"),
    }
    return phrases.get(status, status)


def closed_message(what: str) -> str:
    return _("考核工作已结束，%(what)s不能修改；如需修改请先由管理员重新开启考核工作。") % {"what": what}


def refusal(*, what: str, campaign_closed: bool, counties: Iterable[tuple[str, str]] = ()) -> str | None:
    """Why ``what`` (e.g. "抽查名单") may not change, or None when it may.

    ``counties`` are the (name, status) of every county the change affects. The
    message names the locked ones with their state, e.g.
    "青山县已提交审核，抽查名单不能修改；如需修改请先由管理员重新打开。"
    """
    if campaign_closed:
        return closed_message(what)
    locked = [(name, status) for name, status in counties if not is_open(status)]
    if not locked:
        return None
    named = "、".join(f"{name}{state_phrase(status)}" for name, status in locked[:NAMED])
    if len(locked) > NAMED:
        named += _("等%(count)s个考核对象的考核材料已提交") % {"count": len(locked)}
    return _("%(counties)s，%(what)s不能修改；如需修改请先由管理员重新打开。") % {
        "counties": named,
        "what": what,
    }
