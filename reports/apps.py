from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报告")

    def ready(self) -> None:
        from assessment import tabs

        # 考核总览, the dashboard, is a tab of every campaign page for those who read the whole campaign.
        tabs.register(tabs.CampaignTab("dashboard", _("考核总览"), "reports:dashboard", tabs.WHOLE_CAMPAIGN))
