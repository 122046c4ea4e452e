"""党组织类型 as rosters write it, read as one of the seven types the roster keeps.

Real rosters write the type of a unit's party organization many ways: a county's
as 县委 (a local party committee, so 党委), a town's as 镇党委, a village's as
党支部委员会 or 联合党支部, a county's organs' working committee as 县直机关工委, a
unit without one as 无. ``org_type_of`` reads all of these; what is truly not a
party organization (a 团委, a 村委会, a 党小组, free text) it refuses, with
``refusal`` saying why where a reason is known. A small pure module: the import
uses it, and its tests pin the spellings.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.text import compact_key

from ..models import OrgType

#: The types as they end what rosters write, longest first: 机关党支部 before 党支部 before 支部.
_ENDINGS: list[tuple[str, str]] = sorted(
    {
        "党委": OrgType.COMMITTEE,
        "党工委": OrgType.WORKING_COMMITTEE,
        "工委": OrgType.WORKING_COMMITTEE,
        "党组": OrgType.LEADING_GROUP,
        "党总支": OrgType.GENERAL_BRANCH,
        "总支": OrgType.GENERAL_BRANCH,
        "党支部": OrgType.BRANCH,
        "支部": OrgType.BRANCH,
        "机关党委": OrgType.ORGAN_COMMITTEE,
        "机关党支部": OrgType.ORGAN_BRANCH,
        "机关支部": OrgType.ORGAN_BRANCH,
    }.items(),
    key=lambda pair: len(pair[0]),
    reverse=True,
)

#: 市委, 县委, 区委, 旗委, 州委, 盟委, 地委, 省委, 自治县委…: a local party committee, so 党委;
#: also 镇委/乡委 as people say them. A place name may come before: 青山县委.
_LOCAL_COMMITTEE = re.compile(r"^[\u4e00-\u9fff]{0,12}?(?:自治)?[省市县区旗州盟地镇乡]委$")

#: No party organization: a roster's way of leaving the cell blank.
_NONE = re.compile(
    r"^暂?(?:无|没有|未(?:单独)?(?:建立?|成立|组建|设立?))(?:党组织)?$|^[-－—–―/／\\、.。·…_]+$"
)

#: Neighbours of party organizations that are not one, with the reason. Checked first.
_NOT_PARTY = (
    (re.compile(r"^团|团委$|团支部$|团总支$|团工委$"), gettext_noop("共青团组织不是党组织")),
    (
        re.compile(r"党小组$"),
        gettext_noop("党小组是党支部的组成部分，请填写它所属党组织的类型（如联合党支部），或留空"),
    ),
    (
        re.compile(r"村委会?$|居委会?$|村民委员会$|居民委员会$"),
        gettext_noop("村（居）民委员会是群众自治组织，不是党组织"),
    ),
    (
        re.compile(r"纪委$|纪工委$|纪检组$"),
        gettext_noop("纪检机构不是单位的党组织，请填写该单位党组织的类型"),
    ),
    (re.compile(r"工会$|妇联$"), gettext_noop("群团组织不是党组织")),
)


def _normalize(text: str) -> str:
    key = compact_key(unicodedata.normalize("NFKC", text)).translate({ord("("): "（", ord(")"): "）"})
    key = key.rstrip("。．.;；,，")
    for prefix in ("中国共产党", "中共"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    return key.replace("党的", "党")


def _shorten(key: str) -> str:
    """党总支部委员会 → 党总支, 党支部委员会 → 支部, 县委员会 → 县委, 工作委员会 → 工委…"""
    for long, short in (
        ("总支部委员会", "总支"),
        ("总支委员会", "总支"),
        ("支部委员会", "支部"),
        ("工作委员会", "工委"),
        ("委员会", "委"),
    ):
        if key.endswith(long):
            key = key[: -len(long)] + short
            break
    return key.replace("总支部", "总支")


def _ending(key: str) -> str | None:
    for ending, org_type in _ENDINGS:
        if key.endswith(ending):
            return org_type
    return None


@lru_cache(maxsize=1024)
def org_type_of(text: str) -> str | None:
    """The OrgType value of what a roster wrote, "" for a blank or 无, None when it is not one."""
    key = _normalize(text)
    if not key or _NONE.match(key):
        return ""
    candidates = [key]
    if "（" in key:  # 党委（党组）, 联合党支部（3个单位）: the type is what comes first
        candidates.append(key.split("（", 1)[0])
    for candidate in candidates:
        if not candidate or any(pattern.search(candidate) for pattern, _reason in _NOT_PARTY):
            continue
        short = _shorten(candidate)
        found = _ending(short)
        if found is not None:
            return found
        if _LOCAL_COMMITTEE.match(short):
            return OrgType.COMMITTEE
    return None


#: What the template's instructions and the refusal list as accepted, by type.
WRITTEN_AS: dict[str, str] = {
    OrgType.COMMITTEE: "市委、县委、区委、旗委、州委、盟委、镇党委、乡党委、社区党委、党委（党组）",
    OrgType.WORKING_COMMITTEE: "街道党工委、县直机关工委",
    OrgType.GENERAL_BRANCH: "党总支部、党总支部委员会",
    OrgType.BRANCH: "党支部委员会、联合党支部、临时党支部、功能型党支部",
}


def accepted_text() -> str:
    """党委（也可写市委、县委……）、党工委（……）、党组、……"""
    return "、".join(
        str(t.label) + (_("（也可写%(forms)s）") % {"forms": WRITTEN_AS[t]} if t in WRITTEN_AS else "")
        for t in OrgType
    )


def refusal(text: str) -> str:
    """Why ``text`` is not a party organization type, for an org_type_of that gave None."""
    key = _normalize(text)
    for pattern, reason in _NOT_PARTY:
        if pattern.search(key):
            return _("“%(text)s”不是党组织类型：%(reason)s") % {"text": text, "reason": _(reason)}
    return _(
        "无法识别“%(text)s”。可填写：党委（含市委、县委、区委、镇党委等）、党工委（含街道党工委）、党组、"
        "党总支、党支部（含联合党支部、临时党支部、党支部委员会等）、机关党委、机关党支部；"
        "没有党组织的留空或填“无”"
    ) % {"text": text}
