from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportExport(models.Model):
    """A report handed out: who took it, when, the target's state then, and the file's fingerprint."""

    target = models.ForeignKey("assessment.Target", on_delete=models.CASCADE, related_name="report_exports")
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    target_status = models.CharField(_("当时状态"), max_length=16)
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField()
    batch = models.ForeignKey(
        "ReportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )

    class Meta:
        verbose_name = _("报告导出记录")
        verbose_name_plural = _("报告导出记录")
        ordering = ["-exported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class ReportBatch(models.Model):
    """All reports of a campaign as one ZIP, built in the background by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    campaign = models.ForeignKey(
        "assessment.Campaign", on_delete=models.CASCADE, related_name="report_batches"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="reports/batches/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("批量导出")
        verbose_name_plural = _("批量导出")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Two clicks at once cannot start two batches of one campaign (SQLite has no row locks).
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_report_batch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return (
            int(100 * self.done / self.total)
            if self.total
            else (100 if self.status == self.Status.DONE else 0)
        )
