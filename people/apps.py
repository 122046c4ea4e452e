from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """用户管理: the administrators' pages for people's accounts, their import from Excel, and the
    person picker's search. It sits on top of accounts (the accounts themselves), units (所在单位)
    and assessment (each person's roles across campaigns)."""

    name = "people"
    verbose_name = _("用户管理")
