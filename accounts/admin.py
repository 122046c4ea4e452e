from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import AuditLog, User
from .passwords import password_set_by_admin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "email", "home_unit", "title", "phone")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("密码"), {"fields": ("must_change_password",)}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "password1", "password2")}),
    )
    list_display = ("username", "name", "home_unit", "is_staff", "is_active", "must_change_password")
    search_fields = ("username", "name", "email")
    ordering = ("username",)
    autocomplete_fields = ("home_unit",)

    # A password an administrator sets here must be changed by its owner at the next sign-in, and
    # the security log says who set it (accounts.passwords.password_set_by_admin).

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            password_set_by_admin(user=obj, actor=request.user, request=request, created=True)

    def user_change_password(self, request, id, form_url=""):
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                changed = User.objects.filter(pk=user.pk).exclude(password=user.password).first()
                if changed is not None:
                    password_set_by_admin(user=changed, actor=request.user, request=request)
        return response


def _superusers_only(request) -> bool:
    """Django's admin is the superusers' tool for repairs (raw tables, English in places). Everyone
    else, administrators included, works in the product's own pages (用户管理 at /people/)."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superusers_only


def _password_change_in_the_product(request, extra_context=None):
    """The admin's own "修改密码" link leads to the product's page: one policy, one audit trail."""
    return redirect("accounts:password_change")


admin.site.password_change = _password_change_in_the_product


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only (accounts.models.AuditLog)."""

    list_display = ("at", "kind", "result", "username", "ip", "label")
    list_filter = ("kind", "result")
    search_fields = ("username", "label")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Sign-in records (django-axes) are evidence too: the admin shows them, and deletes none of them (no
# delete, no bulk action; axes' "clean up expired attempts" action is gone). Locks are lifted on the
# product's unlock page (accounts.lockout.unlock), which records who did it.


class _ReadOnlySignInRecords:
    actions = None

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin.__name__, (_ReadOnlySignInRecords, _admin), {}))
