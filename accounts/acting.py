"""Who is acting: the request being served, or the person or command a task runs for.

The security audit trail (accounts.audit, accounts.model_audit) records every write with whoever
did it, and a model's save knows nothing of requests. So the request is kept here for the length
of its handling (``accounts.middleware.RequestContextMiddleware``), and code that runs outside a request
says who it acts for::

    with acting(user):            # a task run for someone
        services.do_something(...)

``manage.py`` wraps every command in ``command_line`` so that what a command writes is recorded
as done by that command (and the system account that ran it).

This module imports nothing from Django, so manage.py can use it before Django is set up.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Acting:
    request: object | None = None  # the HttpRequest being served
    user: object | None = None  # the person acted for, outside a request
    via: str = ""  # outside a request: what is acting, e.g. "manage.py changepassword（系统用户 root）"
    # Labels of related objects already looked up for the audit snapshots of this request or task,
    # keyed by (model label, pk): a cascade of a thousand deletions names each unit once.
    labels: dict = field(default_factory=dict)


_current: ContextVar[Acting | None] = ContextVar("audit_acting", default=None)


def current() -> Acting | None:
    return _current.get()


@contextmanager
def acting(user=None, *, request=None, via: str = "") -> Iterator[Acting]:
    """Record the writes of the block as done by ``user`` (or in ``request``), marked ``via``."""
    outer = _current.get()
    if not via and outer is not None and request is None:
        via = outer.via  # a task inside a command keeps naming the command
    token = _current.set(Acting(request=request, user=user, via=via))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


def command_via(argv: list[str]) -> str:
    """How a command line is named in the trail: ``manage.py changepassword（系统用户 root）``."""
    name = argv[1] if len(argv) > 1 else ""
    return f"manage.py {name}（系统用户 {_system_user()}）".replace("  ", " ")


@contextmanager
def command_line(argv: list[str]) -> Iterator[Acting]:
    with acting(via=command_via(argv)) as context:
        yield context
