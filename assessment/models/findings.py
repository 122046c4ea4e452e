"""What inspectors record against a target. The workspace that edits these arrives
with the inspectors' issue; they exist now because the campaign rules depend on
them: a checklist item with a deduction is locked, and so is a sample that a
finding points at."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .checklist import POINTS, ChecklistItem, Criterion
from .groups import Target


class Deduction(models.Model):
    """Points taken off an item (扣分), with the reason and where it was found."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="deductions")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="deductions")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="deductions"
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("发现问题的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(_("扣分"), **POINTS)
    reason = models.TextField(_("扣分理由"))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("扣分")
        verbose_name_plural = _("扣分")
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="deduction_points_positive")]

    def __str__(self) -> str:
        return f"{self.item} −{self.points}"


class Problem(models.Model):
    """A problem found (问题清单), optionally at a sampled unit, followed to rectification."""

    class Rectification(models.TextChoices):
        OPEN = "open", _("未整改")
        IN_PROGRESS = "in_progress", _("整改中")
        DONE = "done", _("已整改")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="problems")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="problems")
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("涉及单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.TextField(_("问题"))
    category = models.CharField(_("问题类别"), max_length=50, blank=True)
    owner_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    rectification = models.CharField(
        _("整改状态"), max_length=16, choices=Rectification.choices, default=Rectification.OPEN
    )
    rectification_note = models.TextField(_("整改情况"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")
        ordering = ["target", "item", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
