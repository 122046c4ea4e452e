"""Sign-in lockout that a colleague cannot aim at someone else.

django-axes counts the failures (one ``AccessAttempt`` row per username, address and browser);
this module decides what they mean:

- ``AXES_FAILURE_LIMIT`` (5) failures of one username from one address within
  ``AXES_COOLOFF_TIME`` (15 minutes) lock that pair only: the same person signs in from another
  address, and colleagues behind the same NAT are not affected.
- An address failing across usernames is slowed, then locked for everyone. Its score counts each
  username's failures up to ``AXES_FAILURE_LIMIT``, so one person hammering their own name never
  adds more than that. From ``LOGIN_ADDRESS_SLOWDOWN_AFTER`` (10) on, each attempt must wait a
  growing delay after the address's last failure (1, 2, 4 … up to ``LOGIN_SLOWDOWN_MAX_SECONDS``);
  at ``LOGIN_ADDRESS_FAILURE_LIMIT`` (20) the address is locked.

Attempts refused while locked or slowed are not counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_
LOCKOUT`` off): a person retrying a locked account does not push the whole office towards the
address lock, and a lock ends ``AXES_COOLOFF_TIME`` after the last real failure.

Every failure, lockout and unlock is in the security audit log (accounts.signin records the
sign-in events; ``unlock`` records its own).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import AuditLog
from .permissions import require_admin

PAIR = "pair"
ADDRESS = "address"


def scope_label(scope: str) -> str:
    return _("地址（所有用户名）") if scope == ADDRESS else _("用户名+地址")


def pair_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def address_limit() -> int:
    return settings.LOGIN_ADDRESS_FAILURE_LIMIT


def cool_off() -> timedelta:
    return get_cool_off()


def cool_off_minutes() -> int:
    return max(1, round(cool_off().total_seconds() / 60))


@dataclass(frozen=True)
class Standing:
    """What an address's recent failures say about one more attempt with a username."""

    username_failures: int  # this username from this address
    address_failures: int  # every username from this address
    address_score: int  # the same, each username counting at most the pair limit
    usernames: int  # how many usernames failed from this address
    last_failure_at: datetime | None

    @property
    def pair_locked(self) -> bool:
        return self.username_failures >= pair_limit()

    @property
    def address_locked(self) -> bool:
        return self.address_score >= address_limit()

    @property
    def locked(self) -> bool:
        return self.pair_locked or self.address_locked

    @property
    def effective_failures(self) -> int:
        """The count axes compares with AXES_FAILURE_LIMIT: a locked address reads as the limit."""
        return max(self.username_failures, pair_limit() if self.address_locked else 0)

    def delay(self) -> int:
        """Seconds an attempt from this address must wait after its last failure (0: none)."""
        over = self.address_score - settings.LOGIN_ADDRESS_SLOWDOWN_AFTER
        if over < 0 or self.address_locked:
            return 0
        return min(2**over, settings.LOGIN_SLOWDOWN_MAX_SECONDS)

    def wait_seconds(self, now: datetime) -> int:
        """Seconds left before this address may try again (0: it may try now)."""
        delay = self.delay()
        if not delay or self.last_failure_at is None:
            return 0
        left = delay - (now - self.last_failure_at).total_seconds()
        return math.ceil(left) if left > 0 else 0


def standing(username: str | None, ip: str | None, *, now: datetime | None = None) -> Standing:
    """One query: the failures from ``ip`` within the cool-off, per username."""
    now = now or timezone.now()
    rows = (
        AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=now - cool_off())
        .values("username")
        .annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by()
    )
    limit = pair_limit()
    mine = total = score = names = 0
    last = None
    for row in rows:
        count = row["total"] or 0
        names += 1
        total += count
        score += min(count, limit)
        if row["username"] == username:
            mine = count
        if last is None or row["last"] > last:
            last = row["last"]
    return Standing(mine, total, score, names, last)


def _standing_of(request, credentials) -> Standing:
    return standing(
        get_client_username(request, credentials),
        request.axes_ip_address,
        now=request.axes_attempt_time,
    )


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the rules above (``AXES_HANDLER`` points here)."""

    def get_failures(self, request, credentials=None) -> int:
        return _standing_of(request, credentials).effective_failures

    def is_allowed(self, request, credentials=None) -> bool:
        if not super().is_allowed(request, credentials):
            return False
        if self.is_whitelisted(request, credentials):
            return True
        wait = _standing_of(request, credentials).wait_seconds(request.axes_attempt_time)
        if wait:
            request.login_wait_seconds = wait
            return False
        return True

    # Clearing sign-in records outside the unlock page (axes' commands axes_reset, axes_reset_ip,
    # axes_reset_username, axes_reset_ip_username, axes_reset_logs, axes_reset_failure_logs, or its
    # Python API) is in the security audit log too, with who ran it (accounts.acting).

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username: bool = False) -> int:
        with transaction.atomic():
            count = super().reset_attempts(
                ip_address=ip_address, username=username, ip_or_username=ip_or_username
            )
            if count:
                user = get_user_model().objects.filter(username=username).first() if username else None
                who = {"username": username or _("（全部）"), "ip": ip_address or _("（全部）")}
                audit.record(
                    AuditLog.Kind.UNLOCK,
                    obj=user,
                    model="axes.accessattempt" if user is None else "",
                    label="" if user else (username or ip_address or _("全部登录失败记录")),
                    before={_("用户名"): username, _("地址"): ip_address, _("记录数"): count},
                    detail=_(
                        "清除了 %(count)d 条登录失败记录（用户名：%(username)s；地址：%(ip)s），相关锁定随之解除。"
                    )
                    % {"count": count, **who},
                )
        return count

    def reset_logs(self, *, age_days=None) -> int:
        return self._record_log_reset(super().reset_logs(age_days=age_days), "axes.accesslog", age_days)

    def reset_failure_logs(self, *, age_days=None) -> int:
        count = super().reset_failure_logs(age_days=age_days)
        return self._record_log_reset(count, "axes.accessfailurelog", age_days)

    @staticmethod
    def _record_log_reset(count: int, model: str, age_days) -> int:
        if count:
            older = _("全部") if age_days is None else _("早于 %(days)d 天的") % {"days": age_days}
            audit.record(
                AuditLog.Kind.DELETE,
                model=model,
                label=_("登录日志"),
                before={_("记录数"): count},
                detail=_("清除了%(older)s登录日志 %(count)d 条。") % {"older": older, "count": count},
            )
        return count

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None or request.axes_locked_out:
            # Refused before the password was checked: not counted (see the module docstring).
            return super().user_login_failed(sender, credentials, request, **kwargs)
        before = _standing_of(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)
        after = _standing_of(request, credentials)
        # accounts.signin reads these to record the failure and any lockout it caused.
        request.lockout_before, request.lockout_after = before, after
        return None


def lockout_response(request, original_response=None, credentials=None):
    """The page a refused sign-in gets (``AXES_LOCKOUT_CALLABLE``): locked, or slowed down."""
    username = get_client_username(request, credentials) or ""
    state = standing(username, getattr(request, "axes_ip_address", None))
    wait = getattr(request, "login_wait_seconds", 0)
    context = {
        "username": username,
        "scope": ADDRESS if state.address_locked else PAIR if state.pair_locked else None,
        "wait_seconds": wait if not state.locked else 0,
        "failure_limit": pair_limit(),
        "cool_off_minutes": cool_off_minutes(),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


# --- who is locked now (the unlock page; the user list will ask too) ----------------------------


@dataclass(frozen=True)
class Lockout:
    scope: str  # PAIR (this username from this address) or ADDRESS (every username from it)
    username: str  # empty for an address lock
    ip: str | None
    failures: int
    usernames: int  # for an address lock: how many usernames failed from it
    since: datetime  # when the lock began (its LOCKOUT entry), else the last failure
    until: datetime  # when it ends by itself, unless more failures come

    @property
    def is_address(self) -> bool:
        return self.scope == ADDRESS


def current_lockouts(*, username: str | None = None) -> list[Lockout]:
    """Every lock in force, the newest first; ``username`` keeps that person's pair locks (and the
    address locks that stop them too). Two queries."""
    now = timezone.now()
    rows = list(
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off())
        .values("username", "ip_address")
        .annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by()
    )
    limit = pair_limit()
    per_address: dict[str | None, list[dict]] = {}
    for row in rows:
        per_address.setdefault(row["ip_address"], []).append(row)
    found: list[tuple] = []  # (scope, username, ip, failures, usernames, last)
    for ip, entries in per_address.items():
        score = sum(min(entry["total"], limit) for entry in entries)
        concerns_them = username is None or any(entry["username"] == username for entry in entries)
        if score >= address_limit() and concerns_them:
            failures = sum(entry["total"] for entry in entries)
            last = max(entry["last"] for entry in entries)
            found.append((ADDRESS, "", ip, failures, len(entries), last))
        for entry in entries:
            if entry["total"] >= limit and (username is None or entry["username"] == username):
                found.append((PAIR, entry["username"] or "", ip, entry["total"], 1, entry["last"]))
    began = _lock_times({ip for _scope, _name, ip, *_rest in found if ip})
    return sorted(
        (
            Lockout(
                scope=scope,
                username=name,
                ip=ip,
                failures=failures,
                usernames=names,
                since=began.get((scope, name, ip), last),
                until=last + cool_off(),
            )
            for scope, name, ip, failures, names, last in found
        ),
        key=lambda lock: (lock.since, lock.username),
        reverse=True,
    )


def _lock_times(ips: set) -> dict[tuple, datetime]:
    """When each current lock began, from the LOCKOUT entries of the audit log."""
    if not ips:
        return {}
    horizon = (
        timezone.now() - cool_off() * 8
    )  # a lock kept alive longer than this reads "since its last failure"
    entries = AuditLog.objects.filter(kind=AuditLog.Kind.LOCKOUT, at__gte=horizon, ip__in=ips).values_list(
        "at", "ip", "after"
    )
    began: dict[tuple, datetime] = {}
    for at, ip, after in entries.order_by("at"):
        after = after or {}
        scope = ADDRESS if after.get(_("范围")) == scope_label(ADDRESS) else PAIR
        name = "" if scope == ADDRESS else after.get(_("用户名"), "")
        began[(scope, name, ip)] = at  # the latest one wins
    return began


def lockout_entry(*, request, scope: str, username: str, state: Standing) -> AuditLog:
    """Record a lock that has just begun (called by accounts.signin on the failure that caused it)."""
    ip = getattr(request, "axes_ip_address", None)
    user = get_user_model().objects.filter(username=username).first() if username else None
    if scope == ADDRESS:
        detail = _(
            "地址 %(ip)s 在 %(minutes)d 分钟内以 %(names)d 个用户名登录失败 %(count)d 次，该地址已锁定。"
        ) % {
            "ip": ip,
            "minutes": cool_off_minutes(),
            "names": state.usernames,
            "count": state.address_failures,
        }
        failures = state.address_failures
    else:
        detail = _(
            "用户名 %(username)s 在地址 %(ip)s 连续 %(count)d 次登录失败，已锁定（其他地址不受影响）。"
        ) % {
            "username": username,
            "ip": ip,
            "count": state.username_failures,
        }
        failures = state.username_failures
    return audit.record(
        AuditLog.Kind.LOCKOUT,
        request=request,
        actor=None,
        username=username,
        result=AuditLog.Result.FAILURE,
        obj=user,
        label="" if user else username,
        after={
            _("范围"): scope_label(scope),
            _("用户名"): "" if scope == ADDRESS else username,
            _("地址"): ip,
            _("失败次数"): failures,
        },
        detail=detail,
    )


# --- unlocking -----------------------------------------------------------------------------------


def unlock(*, actor, username: str = "", ip: str | None = None, request=None) -> int:
    """Lift locks and forget the failures behind them; returns how many failures were forgotten.

    ``username`` and ``ip``: that pair. ``ip`` alone: the address (every username from it).
    ``username`` alone: that person everywhere (what the user list offers). Administrators only.
    Recorded in the security audit log when anything was lifted.
    """
    require_admin(actor)
    username = (username or "").strip()
    ip = (ip or "").strip() or None
    if not username and not ip:
        raise ValidationError(_("请指定要解除锁定的用户名或地址。"))
    with transaction.atomic():
        attempts = AccessAttempt.objects.all()
        if username:
            attempts = attempts.filter(username=username)
        if ip:
            attempts = attempts.filter(ip_address=ip)
        recent = attempts.filter(attempt_time__gte=timezone.now() - cool_off())
        failures = recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
        attempts.delete()  # expired ones too: axes would clear them at the next failure anyway
        if not failures:
            return 0
        user = get_user_model().objects.filter(username=username).first() if username else None
        if username and ip:
            detail = _("解除用户名 %(username)s 在地址 %(ip)s 的登录锁定。")
        elif ip:
            detail = _("解除地址 %(ip)s 的登录锁定（该地址的所有用户名）。")
        else:
            detail = _("解除用户名 %(username)s 在所有地址的登录锁定。")
        audit.record(
            AuditLog.Kind.UNLOCK,
            request=request,
            actor=actor,
            obj=user,
            label="" if user else (username or ip or ""),
            before={_("用户名"): username, _("地址"): ip, _("失败次数"): failures},
            detail=detail % {"username": username, "ip": ip},
        )
    return failures
