"""User names: what one may be, and one made from a person's name (张三 → zhangsan).

A user name is typed at every sign-in, often on a phone: lower-case letters, digits and ``. _ -``,
2 to 30 characters. Names are compared without regard to case, so ``ZhangSan`` and ``zhangsan``
cannot both exist (the sign-in page would leave people guessing which is theirs).
"""

import re

from django.utils.translation import gettext as _

from core.text import clean_text

from .hanzi_pinyin import reading

USERNAME_MIN, USERNAME_MAX = 2, 30
_USERNAME = re.compile(rf"[a-z0-9][a-z0-9._-]{{{USERNAME_MIN - 1},{USERNAME_MAX - 1}}}")

# Surnames read otherwise than their characters usually are (单 is dan, the surname shan), and
# the compound ones that need it. Looked up on the first characters of a name only.
SURNAME_READINGS = {
    "尉迟": "yuchi",
    "万俟": "moqi",
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "盖": "ge",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "召": "shao",
    "种": "chong",
    "重": "chong",
    "秘": "bi",
    "员": "yun",
    "繁": "po",
    "句": "gou",
    "乐": "yue",
    "折": "she",
    "隗": "wei",
    "都": "du",
    "阚": "kan",
    "卜": "bu",
}
# Characters of given names usually read otherwise than the table's common reading.
GIVEN_NAME_READINGS = {"长": "chang", "晟": "sheng", "地": "di"}
# What separates the parts of a name (买买提·艾力, Zhang San) and is left out of the user name.
_SEPARATORS = re.compile(r"[\s·•・.．\-－_]+")


def normalize_username(text: str) -> str:
    return clean_text(text).lower()


def username_error(username: str) -> str | None:
    """Why ``username`` (normalized) cannot be a user name; None when it can."""
    if not username:
        return _("请填写用户名。")
    if not _USERNAME.fullmatch(username):
        return _(
            "用户名“%(username)s”不符合要求：只能使用英文字母、数字和 . _ -，以字母或数字开头，"
            "长度 %(min)d 至 %(max)d 个字符。"
        ) % {"username": username, "min": USERNAME_MIN, "max": USERNAME_MAX}
    return None


class NoPinyin(ValueError):
    """A name a user name cannot be made from; ``str()`` says why, in Chinese."""


def username_from_name(name: str) -> str:
    """The pinyin of a name, without tones or spaces: 张三 → zhangsan, 单雄信 → shanxiongxin,
    吕布 → lvbu, 买买提·艾力 → maimaitiaili. Latin letters and digits are kept (lower case).
    Raises NoPinyin for a character the table lacks."""
    text = _SEPARATORS.sub("", clean_text(name))
    if not text:
        raise NoPinyin(_("姓名为空，无法生成用户名"))
    parts: list[str] = []
    position = 0
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if text.startswith(surname) and len(text) > len(surname):
            parts.append(SURNAME_READINGS[surname])
            position = len(surname)
            break
    for character in text[position:]:
        if character.isascii() and character.isalnum():
            parts.append(character.lower())
            continue
        syllable = GIVEN_NAME_READINGS.get(character) or reading(character)
        if syllable is None:
            raise NoPinyin(
                _("姓名中的“%(character)s”不在常用汉字表中，无法自动生成用户名，请填写用户名")
                % {"character": character}
            )
        parts.append(syllable)
    username = "".join(parts)[:USERNAME_MAX]
    if not username[:1].isalnum() or len(username) < USERNAME_MIN:
        raise NoPinyin(_("无法根据姓名“%(name)s”生成用户名，请填写用户名") % {"name": name})
    return username


def unique_username(base: str, taken) -> str:
    """``base``, or ``base`` with the smallest number from 2 up that makes it free: zhangsan,
    zhangsan2, zhangsan3 … ``taken(name)`` says whether a name is in use."""
    if not taken(base):
        return base
    number = 2
    while True:
        suffix = str(number)
        candidate = base[: USERNAME_MAX - len(suffix)] + suffix
        if not taken(candidate):
            return candidate
        number += 1
