"""The password policy and the two ways a password changes.

Policy (AUTH_PASSWORD_VALIDATORS, so Django's forms, the admin and ``createsuperuser`` apply it):
at least 8 characters; at least three of upper case, lower case, digits and symbols; not a common
password; letters that are not just pinyin (``dangjian``, ``zhangsan123``); not too close to the
person's username or name. Every message is Chinese and says which rule failed.

A person changes their own password with ``change_password``; an administrator sets someone's with
``reset_password`` (or Django's admin, which calls ``password_set_by_admin``), and that person
must then choose their own at their next sign-in (``User.must_change_password``,
accounts.middleware.PasswordChangeRequiredMiddleware).

The user management pages never ask an administrator to invent a password: a new account, an
imported one and a reset get a one-time password (``generate_password``), shown once to the
administrator to hand over, and replaced by the person at the next sign-in.
"""

import re
import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import AuditLog
from .permissions import require_admin
from .pinyin import is_pinyin

# --- validators ---------------------------------------------------------------------------------


class MinimumLengthValidator:
    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短：至少需要 %(min_length)d 个字符，现在只有 %(length)d 个。"),
                code="password_too_short",
                params={"min_length": self.min_length, "length": len(password)},
            )

    def get_help_text(self):
        return _("至少 %(min_length)d 个字符。") % {"min_length": self.min_length}


CHARACTER_CLASSES = (
    ("upper", lambda c: "A" <= c <= "Z"),
    ("lower", lambda c: "a" <= c <= "z"),
    ("digit", lambda c: "0" <= c <= "9"),
    ("symbol", lambda c: not c.isascii() or not c.isalnum()),
)


def character_classes(password: str) -> set[str]:
    return {name for name, test in CHARACTER_CLASSES if any(test(c) for c in password)}


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper case, lower case, digits, symbols (anything else)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = len(character_classes(password))
        if found < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(min)d 种，现在只有 %(found)d 种。"),
                code="password_too_simple",
                params={"min": self.min_classes, "found": found},
            )

    def get_help_text(self):
        return _("包含大写字母、小写字母、数字、符号中的至少 %(min)d 种。") % {"min": self.min_classes}


def _office_favourites() -> set[str]:
    """Passwords Chinese offices set and that Django's English list misses (compared lowercased)."""
    words = ("admin", "root", "test", "user", "pass", "password", "abc", "qwe", "qwer", "asdf", "zxcv")
    words += ("1qaz", "qaz", "welcome", "system", "sys", "manager", "server", "woaini", "love", "china")
    tails = ["@123", "@1234", "@12345", "@123456", "#123", "123!", "123.", "!@#", "123!@#", "@123.com"]
    tails += [f"{mark}{year}" for mark in ("@", "#", "!", "") for year in range(2000, 2041)]
    found = {word + tail for word in words for tail in tails}
    found |= {
        "1qaz@wsx", "1qaz!qaz", "1qaz2wsx!", "zaq1@wsx", "1q2w3e4r!", "q1w2e3r4!", "aa123456.", "aa@123456",
        "a123456!", "a1234567!", "a123456.", "abc123456!", "abcd@1234", "abcd1234!", "p@ssw0rd!",
        "p@ssword", "passw0rd!", "pa$$w0rd", "123qwe!@#", "qwe!@#123", "!qaz2wsx", "woaini@1314",
        "5201314a!", "iloveyou!", "a5201314", "woaini1314!",
    }  # fmt: skip
    return found


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, and the ones Chinese offices favour."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passwords = set(self.passwords) | _office_favourites()

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(_("这是一个常见密码，很容易被猜到。"), code="password_too_common")

    def get_help_text(self):
        return _("不能是常见密码。")


class PinyinPasswordValidator:
    """Refuse a password whose letters are nothing but pinyin syllables (``dangjian``,
    ``Zhangsan@1990``): names, units and slogans in pinyin are the first guesses against us."""

    def validate(self, password, user=None):
        letters = "".join(re.findall(r"[A-Za-z]", password))
        if letters and is_pinyin(letters):
            raise ValidationError(
                _(
                    "密码中的字母连起来是汉语拼音（像“dangjian”、姓名或单位名称的拼音），很容易被猜到。"
                    "请加入不能拼成拼音的字母组合。"
                ),
                code="password_is_pinyin",
            )

    def get_help_text(self):
        return _("字母部分不能全是汉语拼音（如“dangjian”、姓名拼音）。")


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "name", "email")

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as error:
            raise ValidationError(
                _("密码与%(verbose_name)s太相似。"), code="password_too_similar", params=error.params
            ) from None

    def get_help_text(self):
        return _("不能与用户名、姓名或邮箱太相似。")


# --- changing a password ------------------------------------------------------------------------


def change_password(*, user, new_password: str, request=None) -> None:
    """The person chooses their own password (the form checked the old one)."""
    password_validation.validate_password(new_password, user)
    if user.check_password(new_password):
        raise ValidationError(_("新密码不能与原密码相同。"), code="password_unchanged")
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit.record(AuditLog.Kind.PASSWORD_CHANGE, request=request, actor=user, obj=user)


def reset_password(*, user, password: str, actor, request=None) -> None:
    """An administrator sets ``user``'s password; the person must change it at their next sign-in
    (unless the administrator set their own). For the user management pages."""
    require_admin(actor)
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        password_set_by_admin(user=user, actor=actor, request=request)


def password_set_by_admin(*, user, actor, request=None, created: bool = False) -> None:
    """After an administrator set ``user``'s password (here or in Django's admin): the person must
    choose their own at the next sign-in, and the security log says who set it."""
    must_change = user.pk != actor.pk and user.has_usable_password()
    if user.must_change_password != must_change:
        user.must_change_password = must_change
        user.save(update_fields=["must_change_password"])
    if created:
        detail = _("管理员新建账户并设置初始密码。")
    elif not user.has_usable_password():
        detail = _("管理员停用了该账户的密码登录。")
    else:
        detail = _("管理员重置了密码。")
    if must_change:
        detail += _("用户下次登录时须修改密码。")
    audit.record(AuditLog.Kind.PASSWORD_RESET, request=request, actor=actor, obj=user, detail=detail)


# --- one-time passwords -------------------------------------------------------------------------

# Characters that cannot be mistaken for one another when read off a sheet or a screen (no 0/O,
# 1/l/I), and symbols that mean nothing to Excel at the start of a cell.
PASSWORD_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#$%*?@")
ONE_TIME_PASSWORD_LENGTH = 12  # about 71 bits: nobody guesses it, whatever the hash

# Key stretching protects passwords people choose (short, guessable) when hashes leak. A
# generated one of 71 bits needs none; it lives until the first sign-in, where the person replaces
# it (and Django re-hashes a stored password of fewer iterations at its first use anyway). The
# full count would make an import of 500 people take minutes (0.2 s per hash).
ONE_TIME_PASSWORD_ITERATIONS = 10_000


def generate_password(user=None) -> str:
    """A random password that meets the password policy for ``user``: upper and lower case letters,
    digits and a symbol, none of them easily confused."""
    everything = "".join(PASSWORD_ALPHABETS)
    chooser = secrets.SystemRandom()
    while True:
        characters = [secrets.choice(alphabet) for alphabet in PASSWORD_ALPHABETS]
        characters += [secrets.choice(everything) for _ in range(ONE_TIME_PASSWORD_LENGTH - len(characters))]
        chooser.shuffle(characters)
        password = "".join(characters)
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue  # the letters happened to spell pinyin, or the like: draw again
        return password


def one_time_password_hash(password: str) -> str:
    """The stored form of a generated password (see ONE_TIME_PASSWORD_ITERATIONS)."""
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=ONE_TIME_PASSWORD_ITERATIONS)
    return make_password(password, hasher=hasher)


def set_one_time_password(user) -> str:
    """Give ``user`` (saved or not) a new one-time password, to be changed at the next sign-in;
    returns it. The caller saves the user and records it (``password_set_by_admin``)."""
    password = generate_password(user)
    user.password = one_time_password_hash(password)
    user.must_change_password = True
    return password


def reset_to_one_time_password(*, user, actor, request=None) -> str:
    """An administrator resets ``user``'s password to a one-time password (the user management
    pages); returns it, to be shown once. Recorded in the security audit log."""
    require_admin(actor)
    with transaction.atomic():
        password = set_one_time_password(user)
        user.save(update_fields=["password", "must_change_password"])
        password_set_by_admin(user=user, actor=actor, request=request)
    return password
