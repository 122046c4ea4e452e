from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.permissions import is_signed_in

from .selectors.todo import todo_for


def todo(request: HttpRequest) -> dict:
    """The navigation bar's count of what waits for the signed-in person (assessment.selectors.todo):
    read only when a page shows it, once a request, never for someone not signed in."""
    user = getattr(request, "user", None)
    if not is_signed_in(user):
        return {}
    return {"nav_todo": SimpleLazyObject(lambda: todo_for(user))}
