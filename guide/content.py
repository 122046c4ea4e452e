"""What the guide's templates are rendered with: the numbers of this installation (how long a
session lasts, how many failures lock a sign-in, how large a file may be), so the text says what
the product does here rather than what it did when the guide was written."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from .sections import Section


def facts() -> dict:
    return {
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "max_hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "address_slowdown": settings.LOGIN_ADDRESS_SLOWDOWN_AFTER,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "evidence_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "upload_mb": settings.ROSTER_UPLOAD_MAX_BYTES // (1024 * 1024),
    }


def render_section(section: Section, *, manual: bool = False) -> str:
    """A section's body as HTML (the page shows it; the Word manual converts it)."""
    return render_to_string(section.template, {"facts": facts(), "manual": manual, "section": section})
