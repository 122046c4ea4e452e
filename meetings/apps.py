from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("述职评议")

    def ready(self) -> None:
        from assessment import tabs

        # 述职评议 is a tab of every campaign page, for everyone with a role in the campaign.
        tabs.register(tabs.CampaignTab("meetings", _("述职评议"), "meetings:index", tabs.EVERYONE))
