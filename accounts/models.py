from django.conf import settings
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
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # A mainland mobile number, 11 digits (accounts.users.normalize_phone).
    phone = models.CharField(_("手机"), max_length=11, blank=True)
    # Set when an administrator sets or resets the password (accounts.passwords); the person is sent
    # to the password page until they choose their own (accounts.middleware).
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("管理员设置或重置密码后自动勾选；用户修改密码后自动取消。"),
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


class AuditLogQuerySet(models.QuerySet):
    """Entries are append-only: no bulk update or delete (the prune command uses ``prune``)."""

    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除。")

    def prune(self, *, older_than) -> int:
        """Delete entries older than ``older_than`` (a datetime). The only way entries leave the log;
        the caller (the prune command) refuses anything younger than the retention period."""
        doomed = models.QuerySet(self.model, using=self.db).filter(at__lt=older_than)
        count, _ = doomed.delete()
        return count


class AuditLog(models.Model):
    """The security audit trail (安全审计): every write and every security event, append-only.

    Written through ``accounts.audit.record``. No page, admin action, service or command edits
    or deletes an entry; on PostgreSQL a trigger refuses it too (migration 0002), except for
    entries past the retention period, which ``manage.py prune_audit_log`` may remove.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出登录")
        LOCKOUT = "lockout", _("账号锁定")
        UNLOCK = "unlock", _("解除锁定")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        DENIED = "denied", _("拒绝操作")
        DOWNLOAD = "download", _("下载")
        EXPORT = "export", _("导出")

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The username as typed (a failed sign-in may name nobody) or the actor's at the time.
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    model = models.CharField(_("对象类型"), max_length=60, blank=True)  # e.g. "units.unit"
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    label = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    path = models.CharField(_("请求地址"), max_length=300, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全审计日志")
        verbose_name_plural = _("安全审计日志")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="auditlog_actor_time"),
            models.Index(fields=["kind", "-at"], name="auditlog_kind_time"),
            models.Index(fields=["model", "object_id"], name="auditlog_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label or self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")
