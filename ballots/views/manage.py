"""The organization department's pages of a 民主测评: setup, codes, paper, the projector, results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import audit
from core.forms import form_errors
from core.formtokens import replayed_message, submit_once
from core.responses import xlsx_response
from units.models import Unit

from .. import exporting
from ..domain.keyboard import parse_lines
from ..forms.setup import (
    BallotCreateForm,
    EntryForm,
    IssueForm,
    ReasonForm,
    SettingsForm,
    SubjectsForm,
    UploadForm,
)
from ..importing import PaperRow
from ..models import Ballot, PaperBatch
from ..permissions import (
    ballot_for_manage,
    batch_for_manage,
    campaign_for_ballots,
    meeting_for_ballots,
    upload_for_manage,
)
from ..selectors.results import ballot_results, received_by_category
from ..services import paper, setup


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's ballots, and a new one with its subjects picked from the campaign's targets."""
    campaign = campaign_for_ballots(request.user, pk)
    units = list(Unit.objects.filter(pk__in=campaign.targets.values("unit")).order_by("pk"))
    form = BallotCreateForm(request.POST or None, unit_choices=[(str(u.pk), u.name) for u in units])
    if request.method == "POST" and form.is_valid():
        chosen = [u for u in units if str(u.pk) in set(form.cleaned_data["units"])]
        try:
            submission = submit_once(
                request,
                lambda: setup.ballot_create(
                    campaign=campaign,
                    user=request.user,
                    title=form.cleaned_data["title"],
                    subjects=[(u, "", "") for u in chosen],
                ),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            if submission.created is not None:
                return redirect("ballots:detail", pk=submission.created.pk)
    ballots = campaign.ballots.all()
    return render(request, "ballots/index.html", {"campaign": campaign, "ballots": ballots, "form": form})


@require_POST
def from_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """发起民主测评 from a 述职评议 meeting: its speakers are the subjects."""
    meeting = meeting_for_ballots(request.user, pk)
    try:
        ballot = setup.ballot_for_meeting(meeting=meeting, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect(meeting)
    messages.success(
        request,
        _("已发起民主测评，测评对象是会议的 %(n)d 名述职人。请核对设置后开始测评。")
        % {"n": ballot.subjects.count()},
    )
    return redirect("ballots:detail", pk=ballot.pk)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    categories = list(ballot.categories.all())
    for category in categories:
        category.issued = category.tokens.count()
        category.spent = category.tokens.filter(used=True).count()
    context = {
        "ballot": ballot,
        "subjects": ballot.subjects.all(),
        "options": ballot.options.all(),
        "categories": categories,
        "batches": ballot.batches.select_related("created_by"),
        "changes": ballot.state_changes.select_related("by"),
        "issue_form": IssueForm(categories=categories),
        "reason_form": ReasonForm(),
        "received": received_by_category(ballot),
    }
    return render(request, "ballots/detail.html", context)


@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    initial = {
        "title": ballot.title,
        "quorum_numerator": ballot.quorum_numerator,
        "quorum_denominator": ballot.quorum_denominator,
        "address": ballot.address,
        "options": "\n".join(
            f"{o.label} {o.score.normalize():f}{' 好评' if o.good else ''}" for o in ballot.options.all()
        ),
        "categories": "\n".join(
            f"{c.name} {c.weight.normalize():f} {c.expected}" for c in ballot.categories.all()
        ),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            setup.ballot_update(
                ballot=ballot,
                user=request.user,
                title=data["title"],
                quorum_numerator=data["quorum_numerator"],
                quorum_denominator=data["quorum_denominator"],
                address=data["address"],
            )
            if ballot.state == Ballot.State.DRAFT:
                if data["options"] != [(o.label, o.score, o.good) for o in ballot.options.all()]:
                    setup.options_set(ballot=ballot, user=request.user, options=data["options"])
                if data["categories"] != [(c.name, c.weight, c.expected) for c in ballot.categories.all()]:
                    setup.categories_set(ballot=ballot, user=request.user, categories=data["categories"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("ballots:detail", pk=ballot.pk)
    return render(request, "ballots/settings.html", {"ballot": ballot, "form": form})


@require_http_methods(["GET", "POST"])
def subjects(request: HttpRequest, pk: int) -> HttpResponse:
    """The people rated, while the ballot is 准备中: which of the campaign's targets, in which order,
    with their names and titles."""
    ballot = ballot_for_manage(request.user, pk)
    current = {s.unit_id: s for s in ballot.subjects.select_related("unit")}
    candidates = list(Unit.objects.filter(pk__in=ballot.campaign.targets.values("unit")).order_by("pk"))
    candidates += [s.unit for s in current.values() if s.unit not in candidates]
    form = SubjectsForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            setup.subjects_set(ballot=ballot, user=request.user, subjects=form.cleaned_data["subjects"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("测评对象已保存。"))
            return redirect("ballots:detail", pk=ballot.pk)
    rows = []
    for unit in candidates:
        subject = current.get(unit.pk)
        if request.method == "POST":
            ticked = str(unit.pk) in request.POST.getlist("unit")
            values = [request.POST.get(f"{key}_{unit.pk}", "") for key in ("order", "name", "title")]
        else:
            ticked = subject is not None
            values = [str(subject.position + 1), subject.name, subject.title] if subject else ["", "", ""]
        rows.append(
            {"unit": unit, "ticked": ticked, "order": values[0], "name": values[1], "title": values[2]}
        )
    context = {"ballot": ballot, "form": form, "rows": rows, "editable": ballot.state == Ballot.State.DRAFT}
    return render(request, "ballots/subjects.html", context)


@require_POST
def state(request: HttpRequest, pk: int) -> HttpResponse:
    """开始 / 结束 / 重新开始 (with a reason)."""
    ballot = ballot_for_manage(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "open":
            setup.ballot_open(ballot=ballot, user=request.user)
            messages.success(request, _("测评已开始，测评码已生成。"))
        elif action == "close":
            setup.ballot_close(ballot=ballot, user=request.user)
            messages.success(request, _("测评已结束，结果已冻结。"))
        elif action == "reopen":
            setup.ballot_reopen(ballot=ballot, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("测评已重新开始，原因已记录。"))
        else:
            messages.error(request, _("未知的操作。"))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("ballots:detail", pk=ballot.pk)


@require_POST
def present(request: HttpRequest, pk: int) -> HttpResponse:
    """实到 per category, typed at the meeting."""
    ballot = ballot_for_manage(request.user, pk)
    values = {}
    for category in ballot.categories.all():
        text = request.POST.get(f"present_{category.pk}", "").strip()
        if text == "":
            values[category.pk] = None
        elif text.isdigit() and int(text) <= 5000:
            values[category.pk] = int(text)
        else:
            messages.error(
                request, _("“%(name)s”的实到人数应为 0 至 5000 的整数。") % {"name": category.name}
            )
            return redirect("ballots:detail", pk=ballot.pk)
    try:
        setup.present_set(ballot=ballot, user=request.user, present=values)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("实到人数已保存。"))
    return redirect("ballots:detail", pk=ballot.pk)


@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    form = IssueForm(request.POST, categories=ballot.categories.all())
    if not form.is_valid():
        messages.error(request, _("请选择类别并填写 1 至 2000 的数量。"))
        return redirect("ballots:detail", pk=ballot.pk)
    category = get_object_or_404(ballot.categories, pk=form.cleaned_data["category"])
    try:
        made = setup.tokens_issue(
            ballot=ballot, category=category, count=form.cleaned_data["count"], user=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("已为“%(name)s”生成 %(n)d 个测评码。") % {"name": category.name, "n": len(made)}
        )
    return redirect("ballots:detail", pk=ballot.pk)


def _address(request, ballot) -> str:
    return (ballot.address or request.build_absolute_uri("/")).rstrip("/")


@require_safe
def slips(request: HttpRequest, pk: int, category_pk: int) -> HttpResponse:
    """The category's unused codes as cut-apart QR slips on A4 (Word)."""
    ballot = ballot_for_manage(request.user, pk)
    category = get_object_or_404(ballot.categories, pk=category_pk)
    data = exporting.slips_docx(ballot=ballot, category=category, address=_address(request, ballot))
    name = f"{ballot.title}-{category.name}-测评码.docx"
    audit.download(request, ballot, label=name, detail=category.name)
    return exporting.docx_response(data, name)


@require_safe
def paper_form(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    name = f"{ballot.title}-纸质测评票.docx"
    audit.download(request, ballot, label=name)
    return exporting.docx_response(exporting.paper_form_docx(ballot), name)


@require_safe
def template(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    name = f"{ballot.title}-纸质票录入表.xlsx"
    audit.download(request, ballot, label=name)
    return xlsx_response(exporting.paper_template_xlsx(ballot), name)


@require_safe
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """For the projector while voting: received / present per category, nothing else."""
    ballot = ballot_for_manage(request.user, pk)
    rows = received_by_category(ballot)
    total = {"received": sum(r["received"] for r in rows)}
    total["present"] = None if any(r["present"] is None for r in rows) else sum(r["present"] for r in rows)
    return render(request, "ballots/screen.html", {"ballot": ballot, "rows": rows, "total": total})


def _lines_key(text: str) -> list[str]:
    """The typed lines as compared between the check and the confirmation (spacing and line ends
    aside): a confirmation stores only what was checked and shown."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Paper ballots typed one line each (序号 类别 标记), checked, then stored as one batch."""
    ballot = ballot_for_manage(request.user, pk)
    subjects = list(ballot.subjects.all())
    categories = list(ballot.categories.all())
    options = list(ballot.options.all())
    form = EntryForm(request.POST or None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        parsed = parse_lines(
            form.cleaned_data["lines"],
            subjects=[str(s.pk) for s in subjects],
            categories=[c.name for c in categories],
            options=[o.label for o in options],
        )
        if parsed.errors:
            for message in parsed.errors:
                form.add_error("lines", message)
        elif request.POST.get("confirm") and _lines_key(request.POST.get("checked", "")) != _lines_key(
            form.cleaned_data["lines"]
        ):
            messages.warning(request, _("检查之后又改动了内容，请核对下面的检查结果后再确认录入。"))
        elif request.POST.get("confirm"):
            rows = [PaperRow(e.line, e.serial, e.category, e.marks) for e in parsed.rows]
            try:
                submission = submit_once(
                    request,
                    lambda: paper.paper_enter(
                        ballot=ballot,
                        user=request.user,
                        rows=rows,
                        source=PaperBatch.Source.KEYBOARD,
                        name=_("逐张录入"),
                    ),
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                if submission.replayed:
                    messages.info(request, replayed_message())
                else:
                    messages.success(request, _("已录入 %(n)d 张纸质票。") % {"n": len(rows)})
                return redirect("ballots:entry", pk=ballot.pk)
    context = {
        "ballot": ballot,
        "form": form,
        "subjects": subjects,
        "categories": categories,
        "options": options,
        "parsed": parsed if parsed and not parsed.errors else None,
        "example": "1 1 " + "1" * len(subjects),
    }
    return render(request, "ballots/entry.html", context)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            submission = submit_once(
                request,
                lambda: paper.upload_create(ballot=ballot, name=upload.name, data=data, user=request.user),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            if submission.created is None:
                return redirect("ballots:import", pk=ballot.pk)
            return redirect("ballots:import_preview", pk=submission.created.pk)
    recent = ballot.imports.select_related("uploaded_by")[:10]
    return render(request, "ballots/import.html", {"ballot": ballot, "form": form, "recent": recent})


@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    record = upload_for_manage(request.user, pk)
    ballot = record.ballot
    subjects = list(ballot.subjects.all())
    return render(
        request,
        "ballots/import_preview.html",
        {"record": record, "ballot": ballot, "summary": record.summary, "subjects": subjects},
    )


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = upload_for_manage(request.user, pk)
    try:
        sheet = paper.upload_apply_batch(upload=record, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("ballots:import_preview", pk=pk)
    if not sheet.ok:
        messages.error(
            request, _("测评设置或已录入的纸质票在预览之后发生了变化，重新检查发现错误，未写入任何数据。")
        )
        return redirect("ballots:import_preview", pk=pk)
    messages.success(request, _("导入完成：%(n)d 张纸质票。") % {"n": len(sheet.rows)})
    return redirect("ballots:detail", pk=record.ballot_id)


@require_POST
def batch_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_for_manage(request.user, pk)
    try:
        paper.batch_withdraw(batch=batch, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已撤回该批 %(n)d 张纸质票。") % {"n": batch.count})
    return redirect("ballots:detail", pk=batch.ballot_id)


@require_safe
def results(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    if ballot.state != Ballot.State.CLOSED:
        return render(request, "ballots/results_waiting.html", {"ballot": ballot}, status=200)
    found = ballot_results(ballot)
    header, rows = exporting.results_table(found)
    context = {
        "ballot": ballot,
        "results": found,
        "header": header,
        "rows": rows,
        "quorum": exporting.quorum_line(found),
        "category_lines": exporting.category_lines(found),
        "rule": exporting.RULE,
    }
    return render(request, "ballots/results.html", context)


@require_safe
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    if ballot.state != Ballot.State.CLOSED:
        messages.error(request, _("测评结束后才能导出结果。"))
        return redirect("ballots:detail", pk=ballot.pk)
    name = f"{ballot.title}-测评结果统计表.xlsx"
    audit.export(request, ballot, label=name)
    return xlsx_response(exporting.results_xlsx(ballot_results(ballot)), name)


@require_safe
def results_docx(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = ballot_for_manage(request.user, pk)
    if ballot.state != Ballot.State.CLOSED:
        messages.error(request, _("测评结束后才能导出结果。"))
        return redirect("ballots:detail", pk=ballot.pk)
    name = f"{ballot.title}-测评结果统计表.docx"
    audit.export(request, ballot, label=name)
    return exporting.docx_response(exporting.results_docx(ballot_results(ballot)), name)
