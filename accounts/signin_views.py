"""Pages around signing in: the password page, and the administrators' list of lockouts."""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from . import lockout
from .passwords import change_password
from .permissions import admin_required


class PasswordChangeForm(DjangoPasswordChangeForm):
    def clean(self):
        data = super().clean()
        password = data.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error(
                "new_password2", ValidationError(_("新密码不能与原密码相同。"), code="password_unchanged")
            )
        return data

    def save(self, commit=True):  # pragma: no cover - PasswordChangeView below uses the service
        raise NotImplementedError("use accounts.passwords.change_password")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, the write through accounts.passwords.change_password (audited; clears the
    administrator's must-change flag)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        try:
            change_password(
                user=form.user, new_password=form.cleaned_data["new_password1"], request=self.request
            )
        except ValidationError as error:
            form.add_error("new_password2", error)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class UnlockForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150, required=False)
    ip = forms.GenericIPAddressField(label=gettext_lazy("地址"), required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("username") and not data.get("ip"):
            raise ValidationError(_("请指定要解除锁定的用户名或地址。"))
        return data


@admin_required
@require_safe
def lockouts(request):
    return render(
        request,
        "accounts/lockouts.html",
        {
            "lockouts": lockout.current_lockouts(),
            "pair_limit": lockout.pair_limit(),
            "address_limit": lockout.address_limit(),
            "cool_off_minutes": lockout.cool_off_minutes(),
        },
    )


@admin_required
@require_POST
def lockout_unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:lockouts")
    username, ip = form.cleaned_data["username"], form.cleaned_data["ip"] or None
    cleared = lockout.unlock(actor=request.user, username=username, ip=ip, request=request)
    who = (
        _("用户名 %(username)s 在地址 %(ip)s")
        if username and ip
        else _("地址 %(ip)s")
        if ip
        else _("用户名 %(username)s")
    ) % {"username": username, "ip": ip}
    if cleared:
        messages.success(request, _("已解除%(who)s的登录锁定。") % {"who": who})
    else:
        messages.info(request, _("%(who)s没有登录锁定（可能已自动解除）。") % {"who": who})
    return redirect("accounts:lockouts")
