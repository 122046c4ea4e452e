"""The pages of a 述职评议 meeting: the campaign's meetings, one meeting (details, agenda, speakers
and their 点评), its forms, the speaker import, the Word documents and the room's projector page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import audit
from core.forms import form_errors
from core.formtokens import replayed_message, submit_once
from core.responses import ZIP, docx_response, download, xlsx_response
from core.uploads import upload_apply, upload_store

from .. import exporting, importing
from ..forms import AgendaAddForm, AgendaForm, CommentForm, MeetingForm, SpeakerForm, UploadForm
from ..models import AgendaItem, Speaker, SpeakerImport
from ..permissions import (
    agenda_for_prepare,
    agenda_for_read,
    campaign_for_prepare,
    campaign_for_read,
    can_prepare,
    meeting_for_prepare,
    meeting_for_read,
    speaker_for_comment,
    speaker_for_prepare,
    speaker_for_read,
    upload_for_prepare,
)
from ..selectors import meeting_page
from ..services import meetings as services

MEETING_FIELDS = services.MEETING_FIELDS


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_safe
def index(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_read(request.user, pk)
    context = {
        "campaign": campaign,
        "meetings": campaign.meetings.all(),
        "can_prepare": can_prepare(request.user, campaign),
    }
    return render(request, "meetings/index.html", context)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for_prepare(request.user, pk)
    form = MeetingForm(
        request.POST or None, initial={"title": f"{campaign.year}年度党组织书记抓基层党建工作述职评议会议"}
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data.get(name) for name in MEETING_FIELDS if name in form.cleaned_data}
        title = fields.pop("title")
        try:
            submission = submit_once(
                request,
                lambda: services.meeting_create(campaign=campaign, user=request.user, title=title, **fields),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            if submission.created is not None:
                messages.success(request, _("已创建会议。下一步：添加述职人。"))
                return redirect(submission.created)
    return render(
        request, "meetings/form.html", {"campaign": campaign, "form": form, "heading": _("新建述职评议会议")}
    )


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_read(request.user, pk)
    return render(request, "meetings/detail.html", meeting_page(meeting, request.user))


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data.get(name) for name in MEETING_FIELDS if name in form.cleaned_data}
        try:
            services.meeting_update(meeting=meeting, user=request.user, **fields)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存会议信息。"))
            return redirect(meeting)
    context = {"campaign": meeting.campaign, "meeting": meeting, "form": form, "heading": _("会议信息")}
    return render(request, "meetings/form.html", context)


@require_POST
def state(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    try:
        services.meeting_set_state(meeting=meeting, state=request.POST.get("state", ""), user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(meeting)


# --- agenda -------------------------------------------------------------------------------------


@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    form = AgendaAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择议程类型并填写议程名称。"))
        return redirect(meeting)
    try:
        services.agenda_add(meeting=meeting, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = agenda_for_prepare(request.user, pk)
    form = AgendaForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_update(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect(item.meeting)
    context = {
        "campaign": item.meeting.campaign,
        "meeting": item.meeting,
        "form": form,
        "heading": item.title,
    }
    return render(request, "meetings/form.html", context)


@require_POST
def agenda_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = agenda_for_prepare(request.user, pk)
    try:
        services.agenda_delete(item=item, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(item.meeting)


@require_POST
def agenda_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = agenda_for_prepare(request.user, pk)
    try:
        services.agenda_move(item=item, offset=-1 if request.POST.get("to") == "up" else 1, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(item.meeting)


@require_POST
def agenda_document(request: HttpRequest, pk: int) -> HttpResponse:
    item = agenda_for_prepare(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择讲话稿文件。"))
    else:
        try:
            services.agenda_document_upload(item=item, upload=upload, user=request.user)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已上传“%(title)s”的讲话稿。") % {"title": item.title})
    return redirect(item.meeting)


@require_safe
def agenda_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = agenda_for_read(request.user, pk)
    if not item.document:
        raise Http404
    audit.download(request, item, label=item.document_name)
    return FileResponse(item.document.open("rb"), as_attachment=True, filename=item.document_name)


# --- speakers -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def speaker_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    form = SpeakerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.speaker_add(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已添加述职人。"))
            return redirect(meeting)
    context = {"campaign": meeting.campaign, "meeting": meeting, "form": form, "heading": _("添加述职人")}
    return render(request, "meetings/form.html", context)


@require_POST
def speakers_from_targets(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    try:
        added = services.speakers_from_targets(meeting=meeting, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        if added:
            messages.success(request, _("已从考核对象添加 %(n)d 名述职人。") % {"n": len(added)})
        else:
            messages.info(
                request, _("没有可添加的述职人：考核对象都已在名单中，或单位名册中没有填写其党组织书记。")
            )
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def speaker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_prepare(request.user, pk)
    initial = {"unit": speaker.unit_id, "name": speaker.name, "title": speaker.title, "mode": speaker.mode}
    form = SpeakerForm(request.POST or None, initial=initial)
    form.fields["unit"].disabled = True
    form.fields["unit"].show(speaker.unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.speaker_update(
                speaker=speaker, name=data["name"], title=data["title"], mode=data["mode"], user=request.user
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect(speaker.meeting)
    context = {
        "campaign": speaker.meeting.campaign,
        "meeting": speaker.meeting,
        "form": form,
        "heading": str(speaker),
    }
    return render(request, "meetings/form.html", context)


@require_POST
def speaker_delete(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_prepare(request.user, pk)
    try:
        services.speaker_delete(speaker=speaker, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(speaker.meeting)


@require_POST
def speaker_move(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_prepare(request.user, pk)
    try:
        services.speaker_move(
            speaker=speaker, offset=-1 if request.POST.get("to") == "up" else 1, user=request.user
        )
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(speaker.meeting)


@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_comment(request.user, pk)
    initial = {
        "achievements": speaker.achievements,
        "problems": "\n".join(p.text for p in speaker.problems.all()),
        "hopes": speaker.hopes,
    }
    form = CommentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_save(speaker=speaker, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存%(who)s的点评。") % {"who": speaker.name})
            return redirect(f"{speaker.meeting.get_absolute_url()}#speaker-{speaker.pk}")
    context = {
        "campaign": speaker.meeting.campaign,
        "meeting": speaker.meeting,
        "form": form,
        "heading": _("点评：%(who)s") % {"who": speaker},
        "speaker": speaker,
    }
    return render(request, "meetings/form.html", context)


@require_POST
def report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_prepare(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择述职报告文件。"))
    else:
        try:
            services.report_upload(speaker=speaker, upload=upload, user=request.user)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已上传%(who)s的述职报告。") % {"who": speaker.name})
    return redirect(f"{speaker.meeting.get_absolute_url()}#speaker-{speaker.pk}")


@require_safe
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_read(request.user, pk)
    if not speaker.report:
        raise Http404
    audit.download(request, speaker, label=speaker.report_name)
    return FileResponse(speaker.report.open("rb"), as_attachment=True, filename=speaker.report_name)


@require_POST
def report_problems(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_comment(request.user, pk)
    try:
        added = services.problems_from_report(speaker=speaker, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已从述职报告复制 %(n)d 个问题，请在点评中核对。") % {"n": len(added)})
    return redirect("meetings:comment", pk=speaker.pk)


# --- import ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = importing.speakers_plan(meeting=meeting, data=data, file_name=upload.name)
        record = upload_store(
            model=SpeakerImport, name=upload.name, data=data, user=request.user, plan=plan, meeting=meeting
        )
        return redirect("meetings:import_preview", pk=record.pk)
    context = {"campaign": meeting.campaign, "meeting": meeting, "form": form}
    return render(request, "meetings/import.html", context)


@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    record = upload_for_prepare(request.user, pk)
    context = {
        "campaign": record.meeting.campaign,
        "meeting": record.meeting,
        "record": record,
        "summary": record.summary,
    }
    return render(request, "meetings/import_preview.html", context)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = upload_for_prepare(request.user, pk)
    try:
        plan = upload_apply(
            upload=record,
            run=lambda data: importing.speakers_import(
                meeting=record.meeting, data=data, file_name=record.original_name, user=request.user
            ),
        )
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("meetings:import_preview", pk=pk)
    if not plan.ok:
        messages.error(
            request, _("会议的述职人或单位名册在预览之后发生了变化，重新检查发现错误，未写入任何数据。")
        )
        return redirect("meetings:import_preview", pk=pk)
    messages.success(request, _("导入完成：新增述职人 %(n)d 名。") % {"n": len(plan.rows)})
    return redirect(record.meeting)


@require_safe
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    return xlsx_response(importing.template_xlsx(), f"{meeting.title}_述职人名单模板.xlsx")


# --- documents and the room ----------------------------------------------------------------------


@require_safe
def script(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_read(request.user, pk)
    data = exporting.script_docx(meeting)
    audit.export(request, meeting, label=_("主持词"))
    return docx_response(data, exporting.script_name(meeting))


@require_safe
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = speaker_for_read(request.user, pk)
    data = exporting.feedback_docx(speaker.meeting, speaker)
    audit.export(request, speaker.meeting, label=_("点评意见反馈单"), detail=speaker.unit.name)
    return docx_response(data, exporting.feedback_name(speaker))


@require_safe
def feedback_all(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_read(request.user, pk)
    data = exporting.feedback_zip(meeting)
    audit.export(request, meeting, label=_("点评意见反馈单（全部）"))
    return download(data, f"{meeting.title}_点评意见反馈单.zip", ZIP)


@require_safe
def room(request: HttpRequest, pk: int) -> HttpResponse:
    """The projector page: the agenda with the current item, the speaker now reporting, the timer."""
    meeting = meeting_for_read(request.user, pk)
    context = {
        **meeting_page(meeting, request.user),
        "elapsed": int((timezone.now() - meeting.speaker_started_at).total_seconds())
        if meeting.speaker_started_at
        else 0,
    }
    return render(request, "meetings/room.html", context)


@require_POST
def room_set(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_prepare(request.user, pk)
    item = AgendaItem.objects.filter(meeting=meeting, pk=request.POST.get("item") or 0).first()
    speaker = Speaker.objects.filter(meeting=meeting, pk=request.POST.get("speaker") or 0).first()
    if speaker is not None and item is None:
        item = meeting.agenda.filter(kind=AgendaItem.Kind.REPORTS).first()
    try:
        services.room_set(meeting=meeting, item=item, speaker=speaker, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("meetings:room", pk=meeting.pk)
