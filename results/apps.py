from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """综合评定: each assessed unit's final score, rank and grade from the three legs (实地考核,
    述职评议, 民主测评) under the campaign's scheme, with bonus, penalty and veto items. It sits
    above reports (the score table it reads the 实地考核 leg from)."""

    name = "results"
    verbose_name = _("综合评定")

    def ready(self) -> None:
        from assessment import tabs

        # 综合评定 is a tab of every campaign page for those who read the whole campaign.
        tabs.register(tabs.CampaignTab("results", _("综合评定"), "results:index", tabs.WHOLE_CAMPAIGN))
