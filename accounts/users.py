"""People's accounts, as administrators manage them (用户管理): create, edit, deactivate, reactivate.

Accounts are never deleted: a person who reviewed, scored or wrote anything stays named on it.
Deactivating one stops its sign-in and keeps everything else. Passwords are one-time passwords
(accounts.passwords): an administrator never types one, and the person replaces it at the next
sign-in.

Rules beyond the fields: only a superuser changes a superuser's account (else a product
administrator could take over the Django admin by resetting its password); nobody deactivates
or demotes themselves (so the administrator acting always remains: there is never none).
"""

import re
from dataclasses import asdict, dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.text import clean_text

from .models import User
from .passwords import password_set_by_admin, reset_to_one_time_password, set_one_time_password
from .permissions import require_account_change, require_admin
from .usernames import normalize_username, username_error

NAME_MAX = 50
TITLE_MAX = 50
EDITABLE_FIELDS = ("name", "username", "home_unit", "title", "phone", "is_staff")

_PHONE_NOISE = re.compile(r"[\s\-－—–()（）.]")
_MOBILE = re.compile(r"1[3-9]\d{9}")


# --- checking what is typed ----------------------------------------------------------------------


def normalize_phone(text: str) -> str:
    """A mainland mobile number as 11 digits: "138 1234 5678", "138-1234-5678" and "+86 13812345678"
    all read 13812345678; empty stays empty. Raises ValidationError for anything else."""
    typed = clean_text(text)
    text = _PHONE_NOISE.sub("", typed)
    if not text:
        return ""
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix) :]
            break
    if not _MOBILE.fullmatch(text):
        raise ValidationError(
            _("“%(phone)s”不是有效的手机号码：应为 11 位数字，以 13 至 19 开头。") % {"phone": typed},
            code="phone",
        )
    return text


def username_owner(username: str, *, exclude=None):
    """The account that already has ``username`` (compared without regard to case), or None."""
    found = User.objects.filter(username__iexact=username).select_related("home_unit")
    if exclude is not None and exclude.pk:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def person_label(user) -> str:
    """“张三（青山县财政局）”: a person as messages name them."""
    unit = user.home_unit.name if user.home_unit_id else ""
    return f"{user}（{unit}）" if unit else str(user)


def _clean(user, fields: dict) -> dict:
    """Check and normalize the editable fields; raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = clean_text(fields["name"])
        if not cleaned["name"]:
            errors["name"] = [_("请填写姓名。")]
        elif len(cleaned["name"]) > NAME_MAX:
            errors["name"] = [_("姓名不能超过 %(max)d 个字。") % {"max": NAME_MAX}]
    if "username" in fields:
        cleaned["username"] = username = normalize_username(fields["username"])
        changed = user.pk is None or username != user.username
        if changed and (message := username_error(username)):
            errors["username"] = [message]
        elif changed and (owner := username_owner(username, exclude=user)) is not None:
            errors["username"] = [
                _("用户名“%(username)s”已被%(owner)s使用。")
                % {"username": username, "owner": person_label(owner)}
            ]
    if "title" in fields:
        cleaned["title"] = clean_text(fields["title"])
        if len(cleaned["title"]) > TITLE_MAX:
            errors["title"] = [_("职务不能超过 %(max)d 个字。") % {"max": TITLE_MAX}]
    if "phone" in fields:
        try:
            cleaned["phone"] = normalize_phone(fields["phone"] or "")
        except ValidationError as error:
            errors["phone"] = error.messages
    unit = fields.get("home_unit")
    if unit is not None and not unit.is_active and unit.pk != user.home_unit_id:
        errors["home_unit"] = [_("“%(unit)s”已停用，不能作为所在单位。") % {"unit": unit.name}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save(user, *, fields=None) -> None:
    """Save, turning a lost race on the unique user name into the message validation gives."""
    try:
        with transaction.atomic():
            user.save(update_fields=fields)
    except IntegrityError:
        raise ValidationError(
            {"username": [_("用户名“%(username)s”已被使用。") % {"username": user.username}]}
        ) from None


# --- the writes ---------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor,
    name: str,
    username: str,
    home_unit=None,
    title: str = "",
    phone: str = "",
    is_staff: bool = False,
    request=None,
) -> tuple[object, str]:
    """A new account with a one-time password; returns (user, password) — the password to be shown
    to the administrator once, and changed by the person at the first sign-in."""
    require_admin(actor)
    fields = _clean(
        User(), {"name": name, "username": username, "home_unit": home_unit, "title": title, "phone": phone}
    )
    return _create(NewPerson(**fields, is_staff=bool(is_staff)), actor=actor, request=request)


@dataclass(frozen=True)
class NewPerson:
    """An account to create, its fields already checked (by ``user_create``, or by the people import
    with the row and column of each problem)."""

    name: str
    username: str
    home_unit: object = None
    title: str = ""
    phone: str = ""
    is_staff: bool = False


def _create(person: NewPerson, *, actor, request=None) -> tuple[object, str]:
    user = User(is_active=True, **asdict(person))
    password = set_one_time_password(user)
    _save(user)
    password_set_by_admin(user=user, actor=actor, request=request, created=True)
    return user, password


@transaction.atomic
def users_create_imported(*, actor, people: list[NewPerson], request=None) -> list[tuple[object, str]]:
    """The accounts of an import (people.importing, which checked every field and user name): each
    with a one-time password. Returns (user, password) per person, in order. All or nothing."""
    require_admin(actor)
    return [_create(person, actor=actor, request=request) for person in people]


@transaction.atomic
def user_update(*, actor, user, request=None, **fields):
    """Change an account's fields (those in EDITABLE_FIELDS that are given)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"user_update() got unexpected fields: {sorted(unknown)}")
    require_account_change(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    cleaned = _clean(user, fields)
    if "is_staff" in cleaned:
        cleaned["is_staff"] = bool(cleaned["is_staff"])
        if user.is_staff and not cleaned["is_staff"] and user.pk == actor.pk:
            raise ValidationError({"is_staff": [_("不能取消自己的系统管理员身份。")]})
    for key, value in cleaned.items():
        setattr(user, key, value)
    _save(user)
    return user


@transaction.atomic
def user_deactivate(*, actor, user, request=None):
    """Stop an account's sign-in; everything the person did stays as it was. Their open sessions
    end with it (Django refuses an inactive user's session at the next request)."""
    require_account_change(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账户。"))
    if not user.is_active:
        return user
    user.is_active = False
    _save(user, fields=["is_active"])
    return user


@transaction.atomic
def user_reactivate(*, actor, user, request=None):
    require_account_change(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        _save(user, fields=["is_active"])
    return user


def user_reset_password(*, actor, user, request=None) -> str:
    """A new one-time password for ``user``; returns it, to be shown once."""
    require_account_change(actor, user)
    return reset_to_one_time_password(user=user, actor=actor, request=request)


@transaction.atomic
def first_admin_create(*, name: str, username: str, password: str):
    """An administrator who may also open the Django admin (a superuser), with a password of their
    own choosing (the password policy applies): ``manage.py create_admin``, run on the server by
    whoever installs the system. Raises ValidationError keyed by name, username and password."""
    user = User(is_active=True, is_staff=True, is_superuser=True)
    fields = _clean(user, {"name": name, "username": username})
    for key, value in fields.items():
        setattr(user, key, value)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    _save(user)
    return user
