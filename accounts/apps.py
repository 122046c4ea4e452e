from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户")

    def ready(self):
        from . import model_audit, signin  # noqa: F401  (sign-in, sign-out, failures and lockouts go to the audit log)

        model_audit.connect()  # every write of every model of ours, with before and after
