from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("整改台账")

    def ready(self) -> None:
        from assessment import tabs

        from . import hooks

        hooks.connect()
        tabs.register(tabs.CampaignTab("ledger", _("整改台账"), "rectification:ledger", tabs.WHOLE_CAMPAIGN))
