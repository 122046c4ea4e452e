from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户")

    def ready(self):
        from . import signin  # noqa: F401  (sign-in, sign-out, failures and lockouts go to the audit log)
