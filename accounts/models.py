from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: inspector, reviewer or administrator.

    Chinese names are not split into first and last name, so a single ``name``
    replaces them. ``home_unit`` is where the person works; campaign setup
    uses it to warn when someone would assess their own county (回避).
    """

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    home_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username
