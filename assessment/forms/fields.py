"""What the setup forms share: the date input, and picking people."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people(*, keep=()):
    """Who may be picked: active accounts, and those already chosen (``keep``, ids) even if deactivated
    since, so that saving a form does not drop them silently."""
    return (
        get_user_model()
        .objects.filter(Q(is_active=True) | Q(pk__in=list(keep)))
        .select_related("home_unit")
        .order_by("username")
    )


class PeopleFormMixin:
    """For forms that pick people: ``nobody_to_pick`` while no account besides administrators
    exists (a fresh database), so the form says where people are created."""

    def nobody_to_pick(self) -> bool:
        return not get_user_model().objects.filter(is_active=True, is_staff=False).exists()


def person_picker(field, search_url: str) -> None:
    """Point a person field's picker at ``search_url``, with a link to add a person."""
    field.widget.search_url = search_url
    field.widget.create_url = reverse("people:create")
