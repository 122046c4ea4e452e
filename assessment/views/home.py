"""我的考核, the home page: what waits for the signed-in person (assessment.selectors.todo), their
campaigns, and for administrators the campaigns and the roster."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import worker
from units.models import RosterImport
from units.selectors import roster_overview

from .. import extensions, permissions
from ..selectors.campaigns import my_targets, reviewed_campaigns
from ..selectors.todo import todo_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """我的考核: what waits for the person (per role), an inspector's targets, a reviewer's campaigns,
    an admin's campaigns and roster."""
    user = request.user
    context = {
        "todo": todo_for(user),
        "my_targets": my_targets(user),
        "reviewed": reviewed_campaigns(user),
        "overview": roster_overview(),
        "home_panels": extensions.home_panels(user),  # e.g. an assessed unit's liaison's part
    }
    if permissions.is_admin(user):
        context["campaigns"] = permissions.visible_campaigns(user).order_by("-year", "title")[:6]
        context["recent_imports"] = RosterImport.objects.select_related("uploaded_by")[:5]
        # Tasks (batch exports) waiting while no background worker runs: the admin is told why.
        context["tasks_without_worker"] = worker.waiting_without_worker()
    return render(request, "assessment/home.html", context)
