from django.urls import path

from .views import pages

app_name = "rectification"

urlpatterns = [
    path("campaigns/<int:pk>/", pages.ledger, name="ledger"),
    path("campaigns/<int:pk>/sync/", pages.sync, name="sync"),
    path("campaigns/<int:pk>/remind/", pages.remind_overdue, name="remind_overdue"),
    path("campaigns/<int:pk>/ledger.xlsx", pages.ledger_xlsx, name="ledger_xlsx"),
    path("campaigns/<int:pk>/units/<int:unit_pk>/report.docx", pages.unit_report, name="unit_report"),
    path("entries/<int:pk>/", pages.entry, name="entry"),
    path("entries/<int:pk>/measures/", pages.measures, name="measures"),
    path("entries/<int:pk>/progress/", pages.progress, name="progress"),
    path("entries/<int:pk>/completion/", pages.completion, name="completion"),
    path("entries/<int:pk>/request/", pages.request_closure, name="request"),
    path("entries/<int:pk>/close/", pages.close, name="close"),
    path("entries/<int:pk>/return/", pages.send_back, name="send_back"),
    path("entries/<int:pk>/edit/", pages.edit, name="edit"),
    path("entries/<int:pk>/remind/", pages.remind, name="remind"),
    path("events/<int:pk>/file/", pages.event_file, name="event_file"),
    path("mine/<int:pk>/", pages.mine, name="mine"),
    path("mine/<int:pk>/report.docx", pages.mine_report, name="mine_report"),
    path("recurrence/<int:problem_pk>/<int:entry_pk>/<int:same>/", pages.recurrence, name="recurrence"),
    path("workdays/", pages.workdays, name="workdays"),
    path("workdays/<int:pk>/delete/", pages.workday_delete, name="workday_delete"),
]
