from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from ..domain import levels


class Campaign(models.Model):
    """One year's assessment (考核工作), e.g. 2021年度党建工作年终考核, carried out in January 2022."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹备中")
        ACTIVE = "active", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("名称"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("考核年度"))
    issuer = models.CharField(_("部署单位"), max_length=50, default="市委")
    # The unit whose committee issues the campaign (市 → its counties; 县 → its townships and county
    # organs); its targets are units of ``target_kinds`` below it. None: the whole roster's counties.
    issuer_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("部署单位（名册）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_campaigns",
    )
    target_kinds = models.CharField(_("考核对象类别"), max_length=100, default="county")
    period_start = models.DateField(_("开展时间（起）"), null=True, blank=True)
    period_end = models.DateField(_("开展时间（止）"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREPARING)
    note = models.TextField(_("说明"), blank=True)
    # 加分: when enabled, an item may carry bonus points; a target's bonus in total is capped.
    bonus_enabled = models.BooleanField(_("允许加分"), default=False)
    bonus_cap = models.DecimalField(_("加分上限（每个考核对象）"), max_digits=6, decimal_places=2, default=0)
    # Grade bands of the total score: ≥ good_min 好, ≥ fairly_good_min 较好, ≥ average_min 一般, else 差.
    grade_good_min = models.DecimalField(_("“好”的最低分"), max_digits=6, decimal_places=2, default=90)
    grade_fairly_good_min = models.DecimalField(
        _("“较好”的最低分"), max_digits=6, decimal_places=2, default=80
    )
    grade_average_min = models.DecimalField(_("“一般”的最低分"), max_digits=6, decimal_places=2, default=60)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人员"),
        through="CampaignReviewer",
        related_name="reviewed_campaigns",
        blank=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("考核工作")
        verbose_name_plural = _("考核工作")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="campaign_year_sane"),
            models.CheckConstraint(condition=~Q(target_kinds=""), name="campaign_has_target_kinds"),
            models.CheckConstraint(condition=Q(bonus_cap__gte=0), name="campaign_bonus_cap_not_negative"),
            models.CheckConstraint(
                condition=Q(grade_good_min__gte=F("grade_fairly_good_min"))
                & Q(grade_fairly_good_min__gte=F("grade_average_min")),
                name="campaign_grade_bands_ordered",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="campaign_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def target_kind_list(self) -> list[str]:
        """The kinds of unit this campaign assesses (``assessment.domain.levels``)."""
        return levels.parse_kinds(self.target_kinds) or ["county"]

    @property
    def target_word(self) -> str:
        """How pages name its targets: 县（区）, 乡镇（部门）…"""
        return levels.target_word(self.target_kind_list)

    @property
    def samples_every_target(self) -> bool:
        """False when some of its targets (county organs) are checked themselves, with no sample."""
        return all(levels.is_sampled(kind) for kind in self.target_kind_list)

    def target_units(self):
        """The active units it may assess: of its kinds, below its issuer."""
        units = Unit.objects.filter(kind__in=self.target_kind_list, is_active=True)
        if self.issuer_unit_id is not None:
            units = units.filter(ancestry__contains=f"/{self.issuer_unit_id}/")
        return units

    @property
    def is_preparing(self) -> bool:
        return self.status == self.Status.PREPARING

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CampaignReviewer(models.Model):
    """An organization department reviewer (组织部审核人员) of one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviewer_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("审核人员")
        verbose_name_plural = _("审核人员")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="reviewer_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.user}"
