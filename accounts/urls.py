from django.contrib.auth import views as auth_views
from django.urls import path

from . import audit_views, signin_views

app_name = "accounts"

# Django's class-based views also answer PUT (as POST) and OPTIONS: only what the pages use.
FORM = ["get", "post"]

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True, http_method_names=FORM
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(http_method_names=["post"]), name="logout"),
    path(
        "password/", signin_views.PasswordChangeView.as_view(http_method_names=FORM), name="password_change"
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html", http_method_names=["get", "head"]
        ),
        name="password_change_done",
    ),
    # 登录锁定, for administrators
    path("lockouts/", signin_views.lockouts, name="lockouts"),
    path("lockouts/unlock/", signin_views.lockout_unlock, name="lockout_unlock"),
    # 安全审计, for administrators
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export/", audit_views.audit_log_export, name="audit_log_export"),
]
