from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """综合评定: each assessed unit's final score, rank and grade from the three legs (实地考核,
    述职评议, 民主测评) under the campaign's scheme, with bonus, penalty and veto items. It sits
    above reports (the score table it reads the 实地考核 leg from)."""

    name = "results"
    verbose_name = _("综合评定")
