from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from . import permissions


def draft_owner(user) -> str:
    """The key under which the browser keeps this person's unsaved drafts (static/js/workspace.js):
    stable for the person, different for everyone else, and not derivable from the user id
    without the server's secret."""
    return salted_hmac("accounts.drafts", str(user.pk), algorithm="sha256").hexdigest()[:32]


def drafts(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"draft_owner": ""}
    return {"draft_owner": draft_owner(user)}


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar may offer this user."""
    user = getattr(request, "user", None)
    return {"nav_is_admin": permissions.is_admin(user)}
