from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .groups import Target


class AuditEntry(models.Model):
    """Who changed which finding, when, and its values before and after.

    Written by the services in the same transaction as the change itself.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    model = models.CharField(_("对象类型"), max_length=50)  # e.g. "assessment.deduction"
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("修改记录")
        verbose_name_plural = _("修改记录")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target", "-at"], name="audit_target_time"),
            models.Index(fields=["model", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.label}"


class WorkflowEvent(models.Model):
    """A step of a target's submission workflow, with the comment that came with it."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="workflow_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=16, choices=Target.Status.choices)
    to_status = models.CharField(max_length=16, choices=Target.Status.choices)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("审核流程记录")
        verbose_name_plural = _("审核流程记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.target}: {self.get_from_status_display()} → {self.get_to_status_display()}"
