"""用户管理: the administrators' pages for people's accounts. Every view is for administrators only.

One-time passwords are never stored but in the administrator's session, and only until shown:
a new account's or a reset one's is shown once on the person's page; an import's are listed on its
password page until their sheet is downloaded (once) or the administrator clears them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import lockout
from accounts.models import User
from accounts.usernames import NoPinyin, unique_username, username_from_name
from accounts.users import (
    user_create,
    user_deactivate,
    user_reactivate,
    user_reset_password,
    user_update,
    username_owner,
)
from assessment.models import AssessmentGroup, Campaign
from assessment.selectors.roles import person_roles, roles_by_person
from assessment.services.groups import people_elsewhere
from core.forms import form_errors
from core.formtokens import replayed_message, submit_once
from core.responses import xlsx_response
from core.text import clean_text
from units.selectors import unit_ancestors

from . import selectors, services
from .exporting import passwords_sheet, people_export, people_template
from .forms import PeopleFilterForm, PeopleUploadForm, PersonForm
from .importing import people_plan
from .models import PeopleImport
from .permissions import admin_required, can_change_account, require_account_change

PER_PAGE = 50
ONE_PASSWORD = "people.one_time_password"


def _import_passwords_key(pk: int) -> str:
    return f"people.import_passwords.{pk}"


def _person(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("home_unit"), pk=pk)


# --- the list ------------------------------------------------------------------------------------


@admin_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    filters = form.filters()
    locks = selectors.locks()
    people = selectors.people_list(filters, locked=locks.usernames)
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    roles = roles_by_person(user.pk for user in page)
    rows = [
        {
            "user": user,
            "roles": roles.get(user.pk, []),
            "more_roles": max(0, len(roles.get(user.pk, [])) - 2),
            "locked": user.username in locks.usernames,
        }
        for user in page
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": filters.narrowed,
        "locked_count": len(locks.by_username),
        "lock_total": sum(map(len, locks.by_username.values())) + len(locks.addresses),
        "address_locks": locks.addresses,
    }
    return render(request, "people/index.html", context)


@admin_required
@require_safe
def export_download(request: HttpRequest) -> HttpResponse:
    """The list as the page shows it (the same filters), every page of it."""
    filters = PeopleFilterForm(request.GET or None).filters()
    locked = selectors.locks().usernames if filters.locked_only else None
    data, _count = people_export(selectors.people_list(filters, locked=locked))
    return xlsx_response(data, _("人员名单") + f"_{timezone.localdate():%Y%m%d}.xlsx")


# --- one person ------------------------------------------------------------------------------------


@admin_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    shown = request.session.get(ONE_PASSWORD)
    password = None
    if shown and shown.get("user") == person.pk:
        password = shown["password"]
        del request.session[ONE_PASSWORD]  # shown once
    locks = selectors.locks(username=person.username)
    context = {
        "person": person,
        "unit_path": unit_ancestors(person.home_unit) if person.home_unit_id else [],
        "roles": person_roles(person),
        "locks": locks.by_username.get(person.username, []),
        "address_locks": locks.addresses,
        "password": password,
        "may_change": can_change_account(request.user, person),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "people/detail.html", context)


def _show_once(request: HttpRequest, person: User, password: str) -> None:
    request.session[ONE_PASSWORD] = {"user": person.pk, "password": password}


def _suggested_username(name: str) -> str:
    """A free user name made from ``name``'s pinyin; ValidationError when it cannot be made."""
    try:
        base = username_from_name(name)
    except NoPinyin as exc:
        raise ValidationError({"username": [str(exc) + "。"]}) from None
    return unique_username(base, lambda candidate: username_owner(candidate) is not None)


@admin_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        made: dict = {}

        def create_person():
            if not clean_text(data["username"]):
                data["username"] = _suggested_username(data["name"])
            made["user"], made["password"] = user_create(actor=request.user, request=request, **data)
            return made["user"]

        try:
            submission = submit_once(request, create_person)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            person = submission.created
            if submission.replayed:
                messages.info(request, replayed_message())
                return redirect("people:detail", pk=person.pk) if person else redirect("people:index")
            _show_once(request, person, made["password"])
            messages.success(
                request,
                _("已新建“%(name)s”，用户名 %(username)s。")
                % {"name": person.name, "username": person.username},
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": None})


@admin_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    require_account_change(request.user, person)
    form = PersonForm(request.POST or None, person=person, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            person = user_update(actor=request.user, user=person, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person})


@admin_required
@require_http_methods(["GET", "POST"])
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    if request.method == "POST":
        try:
            user_deactivate(actor=request.user, user=person, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("已停用“%(name)s”的账户：不能再登录，做过的工作照常保留。") % {"name": person.name}
            )
        return redirect("people:detail", pk=person.pk)
    require_account_change(request.user, person)
    current = [r for r in person_roles(person) if not r.campaign.is_closed]
    return render(request, "people/deactivate.html", {"person": person, "current_roles": current})


@admin_required
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    user_reactivate(actor=request.user, user=person, request=request)
    messages.success(request, _("已重新启用“%(name)s”的账户。") % {"name": person.name})
    return redirect("people:detail", pk=person.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    if request.method == "POST":
        password = user_reset_password(actor=request.user, user=person, request=request)
        _show_once(request, person, password)
        messages.success(request, _("已为“%(name)s”重置密码。") % {"name": person.name})
        return redirect("people:detail", pk=person.pk)
    require_account_change(request.user, person)
    return render(
        request, "people/reset_password.html", {"person": person, "is_self": person.pk == request.user.pk}
    )


@admin_required
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift this person's sign-in locks, from every address (locks of a whole address are lifted on
    the 登录锁定 page, where their address is)."""
    person = _person(pk)
    cleared = lockout.unlock(actor=request.user, username=person.username, request=request)
    if cleared:
        messages.success(request, _("已解除“%(name)s”的登录锁定。") % {"name": person.name})
    else:
        messages.info(request, _("“%(name)s”没有登录锁定（可能已自动解除）。") % {"name": person.name})
    return redirect("people:detail", pk=person.pk)


# --- the person picker -----------------------------------------------------------------------------


@admin_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """What the person picker (accounts.widgets.PersonPicker) lists for the text typed (``q``):
    姓名 · 所在单位, and where each already serves in the campaign (``campaign``; ``group`` is the
    group being edited, whose own people are not "elsewhere")."""
    query = clean_text(request.GET.get("q", ""))[:50]
    people, more = selectors.person_search(query)
    busy: dict[int, str] = {}
    campaign_id = request.GET.get("campaign", "")
    if campaign_id.isdigit() and (campaign := Campaign.objects.filter(pk=campaign_id).first()):
        group_id = request.GET.get("group", "")
        group = (
            AssessmentGroup.objects.filter(pk=group_id, campaign=campaign).first()
            if group_id.isdigit()
            else None
        )
        busy = people_elsewhere(campaign, group=group)
    rows = [{"user": user, "busy": busy.get(user.pk, "")} for user in people]
    return render(request, "people/_search_results.html", {"query": query, "rows": rows, "more": more})


# --- import and export -----------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = PeopleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = people_plan(data=data, file_name=upload.name)  # read before taking the write lock
        try:
            submission = submit_once(
                request,
                lambda: services.people_upload_create(
                    name=upload.name, data=data, user=request.user, plan=plan
                ),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            if submission.created is None:
                return redirect("people:import")
            return redirect("people:import_preview", pk=submission.created.pk)
    recent = PeopleImport.objects.select_related("uploaded_by")[:10]
    return render(request, "people/import.html", {"form": form, "recent": recent})


@admin_required
@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(PeopleImport.objects.select_related("uploaded_by"), pk=pk)
    context = {
        "record": record,
        "summary": record.summary,
        "passwords_waiting": _import_passwords_key(pk) in request.session,
    }
    return render(request, "people/import_preview.html", context)


@admin_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(PeopleImport, pk=pk)
    try:
        plan = services.people_upload_apply(upload=record, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:import_preview", pk=pk)
    if not plan.ok:
        messages.error(request, _("人员或单位名册在预览之后发生了变化，重新检查发现错误，未写入任何数据。"))
        return redirect("people:import_preview", pk=pk)
    request.session[_import_passwords_key(pk)] = [
        {
            "user": user.pk,
            "name": user.name,
            "username": user.username,
            "password": password,
            "unit": user.home_unit.name if user.home_unit_id else "",
            "phone": user.phone,
        }
        for user, password in plan.created
    ]
    messages.success(request, _("导入完成：新增 %(count)d 人。") % {"count": len(plan.created)})
    return redirect("people:import_passwords", pk=pk)


@admin_required
@require_http_methods(["GET", "POST"])
def import_passwords(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-time passwords of an import's accounts, while this session holds them. POST clears
    them (the administrator has noted them down)."""
    record = get_object_or_404(PeopleImport, pk=pk, status=PeopleImport.Status.APPLIED)
    key = _import_passwords_key(pk)
    if request.method == "POST":
        if request.session.pop(key, None) is not None:
            messages.info(request, _("初始密码已清除，系统中不再保存。"))
        return redirect("people:import_passwords", pk=pk)
    return render(
        request, "people/import_passwords.html", {"record": record, "people": request.session.get(key)}
    )


@admin_required
@require_POST
def import_passwords_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The passwords as an Excel sheet, once: downloading it clears them from the session."""
    record = get_object_or_404(PeopleImport, pk=pk, status=PeopleImport.Status.APPLIED)
    people = request.session.pop(_import_passwords_key(pk), None)
    if people is None:
        messages.error(
            request, _("初始密码已下载或已清除，不能再次下载。如有遗失，请在人员页面为其重置密码。")
        )
        return redirect("people:import_passwords", pk=pk)
    stem = record.original_name.rsplit(".", 1)[0]
    applied = timezone.localtime(record.applied_at)
    source = _("%(file)s，%(y)d年%(m)d月%(d)d日导入") % {
        "file": record.original_name,
        "y": applied.year,
        "m": applied.month,
        "d": applied.day,
    }
    response = xlsx_response(
        passwords_sheet(people, source=source), _("%(name)s_初始密码.xlsx") % {"name": stem}
    )
    response["Cache-Control"] = "no-store"  # no copy of the passwords in a cache on the way
    return response


@admin_required
@require_safe
def template_download(request: HttpRequest) -> HttpResponse:
    return xlsx_response(people_template(), _("人员名单模板") + ".xlsx")
