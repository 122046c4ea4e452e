from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("民主测评")

    def ready(self) -> None:
        from assessment import tabs

        # 民主测评 is a tab of every campaign page for those who manage ballots (ballots.permissions).
        tabs.register(tabs.CampaignTab("ballots", _("民主测评"), "ballots:index", tabs.WHOLE_CAMPAIGN))
