"""The phone ballot page: no account, gated by its one-use code.

Scanning a slip opens ``/v/<code>/`` (the one request whose address holds the code, and holds no
answer); the page carries the code in a hidden field from then on, so the confirmation and the
submission (``POST /v/``) keep it in the request body, out of the web server's access log. Nothing
is kept about the voter: no session is made, and the stored ballot holds only the marks
(ballots.services.voting)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ..domain.counting import ABSTAIN
from ..services.voting import VoteRefused, clean_marks, token_for_vote, vote_cast


def _refused(request: HttpRequest, exc: VoteRefused, code: str = "") -> HttpResponse:
    status = 404 if exc.reason == VoteRefused.UNKNOWN else 409 if exc.reason == VoteRefused.USED else 403
    if exc.reason == VoteRefused.BAD_MARK:
        status = 400
    return render(request, "ballots/vote_code.html", {"error": str(exc), "code": code}, status=status)


def _ballot_page(request, token, marks=None, *, confirm=False, error=""):
    ballot = token.ballot
    subjects = list(ballot.subjects.all())
    options = list(ballot.options.all())
    marks = marks or {}
    rows = [{"subject": s, "mark": marks.get(str(s.pk), "")} for s in subjects]
    context = {
        "ballot": ballot,
        "category": token.category,
        "code": token.code,
        "rows": rows,
        "options": options,
        "abstain": ABSTAIN,
        "confirm": confirm,
        "error": error,
        "blank_count": sum(1 for r in rows if r["mark"] in ("", ABSTAIN)),
    }
    return render(request, "ballots/vote.html", context)


@login_not_required
@never_cache
@require_safe
def vote_code(request: HttpRequest, code: str) -> HttpResponse:
    """Opened from a slip's QR code."""
    try:
        token = token_for_vote(code)
    except VoteRefused as exc:
        return _refused(request, exc)
    return _ballot_page(request, token)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest) -> HttpResponse:
    """Typing a code (GET: the form), then the ballot, its confirmation and its submission (POST)."""
    if request.method == "GET":
        return render(request, "ballots/vote_code.html", {})
    code = request.POST.get("code", "")
    step = request.POST.get("step", "")
    submitted = {
        key[1:]: value for key, value in request.POST.items() if key.startswith("s") and key[1:].isdigit()
    }
    try:
        if step == "submit":  # checked and stored by the service, in as few queries as the burst needs
            ballot = vote_cast(code=code, submitted=submitted)
            return render(
                request, "ballots/vote_done.html", {"ballot": ballot, "message": _("提交成功，感谢参与。")}
            )
        token = token_for_vote(code)
    except VoteRefused as exc:
        return _refused(request, exc, code if exc.reason == VoteRefused.UNKNOWN else "")
    if step == "":  # the code typed on the code page
        return _ballot_page(request, token)
    if step not in ("review", "edit"):
        return _refused(request, VoteRefused(VoteRefused.BAD_MARK))
    try:
        marks = clean_marks(token.ballot, submitted)
    except VoteRefused as exc:
        return _refused(request, exc)
    return _ballot_page(request, token, marks, confirm=step == "review")
