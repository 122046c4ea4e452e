from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("被考核单位")

    def ready(self) -> None:
        from assessment import tabs

        from . import hooks

        hooks.connect()
        tabs.register(tabs.CampaignTab("liaison", _("联络与反馈"), "liaison:manage", tabs.WHOLE_CAMPAIGN))
        tabs.register_target_tab(tabs.TargetTab("unit", _("被考核单位"), "liaison:target_tab"))
