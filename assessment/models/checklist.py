from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Upload

from .campaign import Campaign

POINTS = {"max_digits": 6, "decimal_places": 2}


class ChecklistItem(models.Model):
    """An item of a campaign's checklist (考核项目), e.g. （一）落实全面从严治党主体责任, 15分."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("考核项目"), max_length=200)
    full_score = models.DecimalField(_("分值"), **POINTS)
    lead_department = models.CharField(_("牵头单位"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "title"], name="item_title_unique_in_campaign"),
            models.UniqueConstraint(fields=["campaign", "order"], name="item_order_unique_in_campaign"),
            models.CheckConstraint(condition=Q(full_score__gt=0), name="item_full_score_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A scoring criterion (评分细则 / 考核要点) of a checklist item."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("考核内容及评分标准"))
    points = models.DecimalField(_("要点分值"), null=True, blank=True, **POINTS)
    method = models.CharField(_("考核方式"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("评分细则")
        verbose_name_plural = _("评分细则")
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="criterion_order_unique_in_item"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gt=0), name="criterion_points_positive"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="criterion_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class ChecklistChange(models.Model):
    """A change to a checklist after scoring began (or an import): who, when, why, what."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checklist_changes")
    item_title = models.CharField(_("考核项目"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=50)
    reason = models.TextField(_("原因"), blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("清单修改记录")
        verbose_name_plural = _("清单修改记录")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.action} · {self.item_title}"


class ChecklistImport(Upload):
    """One upload of a checklist workbook for a campaign (see core.models.Upload)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checklist_imports")

    class Meta(Upload.Meta):
        verbose_name = _("清单导入记录")
        verbose_name_plural = _("清单导入记录")
