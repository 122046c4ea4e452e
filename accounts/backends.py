from django.contrib.auth.backends import BaseBackend


class StaffPermissionBackend(BaseBackend):
    """Administrators (``is_staff``) manage everything, in the app and in Django's admin.

    Django's admin asks for per-model permissions; rather than granting each one
    to each administrator, an active staff user simply has them all. Everyone
    else gets no model permissions: their access is decided by
    accounts.permissions, not by Django's permission tables.
    """

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return bool(user_obj.is_active and user_obj.is_staff)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return bool(user_obj.is_active and user_obj.is_staff)
