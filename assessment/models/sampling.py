from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .campaign import Campaign
from .groups import Target


class Stratum(models.TextChoices):
    """A layer of the sample (抽查), in the order the report's sentence names them."""

    COUNTY_ORGAN = "county_organ", _("县直机关单位")
    COUNTY_INSTITUTION = "county_institution", _("县直事业单位")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")
    TOWNSHIP_STATION = "township_station", _("乡镇机关事业单位")
    MANUAL = "manual", _("专项抽查")


class SamplingPlan(models.Model):
    """How many units to draw per stratum: the campaign's default (no target) or one target's override."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sampling_plans")
    target = models.OneToOneField(
        Target, null=True, blank=True, on_delete=models.CASCADE, related_name="sampling_plan"
    )
    county_organs = models.PositiveSmallIntegerField(_("县直机关单位"), default=6)
    county_institutions = models.PositiveSmallIntegerField(_("县直事业单位"), default=3)
    townships = models.PositiveSmallIntegerField(_("乡镇（街道）"), default=4)
    villages_per_township = models.PositiveSmallIntegerField(_("每个乡镇的村（社区）"), default=3)
    stations_per_township = models.PositiveSmallIntegerField(_("每个乡镇的机关事业单位"), default=1)

    class Meta:
        verbose_name = _("抽查方案")
        verbose_name_plural = _("抽查方案")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(target__isnull=True), name="one_default_plan_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target or self.campaign} · 抽查方案"

    COUNT_FIELDS = (
        "county_organs",
        "county_institutions",
        "townships",
        "villages_per_township",
        "stations_per_township",
    )

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNT_FIELDS}

    def audit_snapshot(self) -> dict:
        scope = {"方案": gettext("本县单独方案") if self.target_id else gettext("本次考核默认方案")}
        return scope | {str(self._meta.get_field(n).verbose_name): v for n, v in self.counts().items()}

    def audit_label(self) -> str:
        return gettext("抽查方案")


class SampleDraw(models.Model):
    """One draw of a target's sample. The latest is current; earlier ones stay as the record."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="draws")
    seed = models.BigIntegerField(_("随机种子"))
    plan = models.JSONField(_("抽查方案"))  # the counts used, as drawn
    shortfalls = models.JSONField(_("不足说明"), default=list, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)
    reason = models.TextField(_("重新抽取原因"), blank=True)

    class Meta:
        verbose_name = _("抽查结果")
        verbose_name_plural = _("抽查结果")
        ordering = ["target", "-drawn_at", "-pk"]
        get_latest_by = ["drawn_at", "pk"]

    def __str__(self) -> str:
        return f"{self.target} · 种子 {self.seed}"

    # Its snapshot is written by the draw's service from the rows it holds (services.sampling).
    def audit_label(self) -> str:
        return gettext("抽取样本：随机种子 %(seed)s") % {"seed": self.seed}


class SampledUnit(models.Model):
    """A unit in a draw: drawn at random within its stratum, or added by hand with a reason."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(_("抽查类别"), max_length=32, choices=Stratum.choices)
    # For villages and township stations: the sampled township they were drawn in.
    township = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    reason = models.TextField(_("专项抽查原因"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("抽查单位")
        verbose_name_plural = _("抽查单位")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "unit"], name="unit_once_per_draw"),
            models.CheckConstraint(
                condition=~Q(stratum="manual") | ~Q(reason=""), name="manual_sample_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)

    def audit_snapshot(self) -> dict:
        return {"单位": self.unit.name, "类别": self.get_stratum_display(), "原因": self.reason or None}

    def audit_label(self) -> str:
        return gettext("专项抽查单位：%(unit)s") % {"unit": self.unit.name}

    @property
    def is_manual(self) -> bool:
        return self.stratum == Stratum.MANUAL
