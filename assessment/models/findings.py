"""What inspectors record against a target (one county in one campaign).

Every editable record carries a ``version``: a save names the version it was
based on, and a save based on an older one is refused (see
assessment.services.findings), so two inspectors never silently overwrite each
other. Every change is written to AuditEntry in the same transaction, with the values a reader
of the history needs (``audit_snapshot``) under a short label (``audit_label``), which each
model gives for itself.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.changes import record
from core.numbers import points_text

from .checklist import POINTS, ChecklistItem, Criterion
from .groups import Target


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def audit_snapshot(self) -> dict:
        """The values that matter to a reader of the history (修改记录): fields by name, read back
        in people's words by core.changes."""
        raise NotImplementedError

    def audit_label(self) -> str:
        """What the history calls this record."""
        raise NotImplementedError


class ItemAssessment(Versioned):
    """One checklist item of one target: the score decision, the bonus and the 总体评价 lead."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="item_assessments")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="assessments")
    lead = models.TextField(_("总体评价"), blank=True)
    # The group's statement that the score stands (满分 with no deductions is a decision too).
    score_decided_at = models.DateTimeField(_("确认得分时间"), null=True, blank=True)
    score_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bonus = models.DecimalField(_("加分"), default=0, **POINTS)
    bonus_reason = models.TextField(_("加分理由"), blank=True)

    class Meta:
        verbose_name = _("项目评价")
        verbose_name_plural = _("项目评价")
        constraints = [
            models.UniqueConstraint(fields=["target", "item"], name="one_assessment_per_target_item"),
            models.CheckConstraint(condition=Q(bonus__gte=0), name="bonus_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.item}"

    def audit_snapshot(self) -> dict:
        return record(self, ("item", "lead", "score_decided_at", "bonus", "bonus_reason"))

    def audit_label(self) -> str:
        return gettext("项目评价：%(item)s") % {"item": self.item.title}


class EvaluationPoint(Versioned):
    """One point of an overall evaluation: 一是凝聚人心有声势。…"""

    assessment = models.ForeignKey(ItemAssessment, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    headline = models.CharField(_("要点"), max_length=100)
    body = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("评价要点")
        verbose_name_plural = _("评价要点")
        ordering = ["assessment", "position", "pk"]

    def __str__(self) -> str:
        return self.headline

    def audit_snapshot(self) -> dict:
        return record(self, ("headline", "body", "position"))

    def audit_label(self) -> str:
        return gettext("评价要点：%(headline)s") % {"headline": self.headline[:40]}


class Deduction(Versioned):
    """Points taken off an item (扣分), with the reason and where it was found."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="deductions")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="deductions")
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("评分细则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deductions",
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("扣分")
        verbose_name_plural = _("扣分")
        ordering = ["target", "item", "criterion__order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="deduction_points_positive")]
        # Scores are sums per target and item (the workspace, the dashboard, the Excel summary):
        # a covering index lets the database add them up without reading the rows.
        indexes = [models.Index(fields=["target", "item", "points"], name="deduction_score_sum")]

    def __str__(self) -> str:
        return f"{self.item} −{self.points}"

    def audit_snapshot(self) -> dict:
        labels = {"criterion": self.criterion.text[:60]} if self.criterion else {}
        return record(self, ("item", "criterion", "unit", "points", "reason"), labels)

    def audit_label(self) -> str:
        return gettext("扣分：%(item)s −%(points)s分") % {
            "item": self.item.title,
            "points": points_text(self.points),
        }


class Problem(Versioned):
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")
        ordering = ["target", "item", "position", "pk"]
        # The item's problems in the group's order, and the counts per target and item.
        indexes = [models.Index(fields=["target", "item", "position"], name="problem_target_item")]

    def __str__(self) -> str:
        return self.text[:40]

    def audit_snapshot(self) -> dict:
        fields = ("item", "text", "unit", "category", "owner_unit", "deadline", "rectification")
        return record(self, (*fields, "rectification_note", "position"))

    def audit_label(self) -> str:
        return gettext("问题：%(text)s") % {"text": self.text[:40]}


class TypicalExample(Versioned):
    """A practice worth promoting (值得推广的典型)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="examples")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("相关单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("典型经验")
        verbose_name_plural = _("典型经验")
        ordering = ["target", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def audit_snapshot(self) -> dict:
        return record(self, ("title", "body", "unit", "position"))

    def audit_label(self) -> str:
        return gettext("典型：%(title)s") % {"title": self.title[:40]}


class Recommendation(Versioned):
    """An improvement recommendation (工作改进建议): 一是进一步强化工作统筹。…"""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    headline = models.CharField(_("建议"), max_length=100)
    body = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("改进建议")
        verbose_name_plural = _("改进建议")
        ordering = ["target", "position", "pk"]

    def __str__(self) -> str:
        return self.headline

    def audit_snapshot(self) -> dict:
        return record(self, ("headline", "body", "position"))

    def audit_label(self) -> str:
        return gettext("建议：%(headline)s") % {"headline": self.headline[:40]}


def evidence_storage():
    """Evidence lives in the "evidence" storage (settings.STORAGES), so object storage can replace disk."""
    return storages["evidence"]


class Evidence(models.Model):
    """A file supporting a deduction or a problem (资料印证). Served only through a permission-checked view."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="evidence")
    deduction = models.ForeignKey(
        Deduction, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), storage=evidence_storage, upload_to="evidence/%Y/%m/")
    thumbnail = models.FileField(storage=evidence_storage, upload_to="evidence/thumbs/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deduction__isnull=False, problem__isnull=True)
                | Q(deduction__isnull=True, problem__isnull=False),
                name="evidence_belongs_to_one_finding",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    def audit_snapshot(self) -> dict:
        return record(self, ("original_name", "size"))

    def audit_label(self) -> str:
        return gettext("佐证材料：%(name)s") % {"name": self.original_name}

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")
