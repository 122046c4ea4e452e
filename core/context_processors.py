from django.http import HttpRequest

from accounts import permissions


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar may offer this user."""
    user = getattr(request, "user", None)
    return {"nav_is_admin": permissions.is_admin(user)}
