import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def upload_path(instance: "Upload", filename: str) -> str:
    """imports/<model>/<year>/<month>/<name>: each kind of upload in its own folder."""
    today = dt.date.today()
    return f"imports/{instance._meta.model_name}/{today:%Y/%m}/{filename}"


class Upload(models.Model):
    """An uploaded workbook kept for the preview → confirm step, and as the record of an import.

    The file lives under MEDIA_ROOT and is never served from a public URL.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        APPLIED = "applied", _("已导入")
        FAILED = "failed", _("有错误")

    file = models.FileField(_("文件"), upload_to=upload_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def error_count(self) -> int:
        """All the file's errors, listed or not (summaries from before the count list them all)."""
        return self.summary.get("error_count", len(self.summary.get("errors", [])))


class FormToken(models.Model):
    """A rendered form that has created something: its token (a hidden field, see
    core.formtokens) and what the first submission created, so that a second submission of the
    same form (a double click, a resent request) answers with that instead of creating it again."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    model = models.CharField(max_length=100, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("已提交的表单")
        verbose_name_plural = _("已提交的表单")

    def __str__(self) -> str:
        return str(self.token)


class WorkerHeartbeat(models.Model):
    """A background worker (``manage.py db_worker``) that is running: it writes its row when it
    starts and every few seconds after, and deletes it when it stops (core.worker). A row not
    written for a while is a worker that died without saying so."""

    worker_id = models.CharField(_("后台任务进程"), max_length=64, primary_key=True)
    host = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    queues = models.JSONField(_("处理的队列"), default=list)
    started_at = models.DateTimeField(_("启动时间"))
    seen_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("后台任务进程")
        verbose_name_plural = _("后台任务进程")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class WorkdayOverride(models.Model):
    """An office's correction to the working-day calendar (core.workdays): a 调休 the library does
    not know yet, a local day off."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"
