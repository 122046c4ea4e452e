from django.urls import path

from .views import pages

app_name = "meetings"

urlpatterns = [
    path("campaign/<int:pk>/", pages.index, name="index"),
    path("campaign/<int:pk>/new/", pages.create, name="create"),
    path("<int:pk>/", pages.detail, name="detail"),
    path("<int:pk>/edit/", pages.edit, name="edit"),
    path("<int:pk>/state/", pages.state, name="state"),
    path("<int:pk>/agenda/add/", pages.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/", pages.agenda_edit, name="agenda_edit"),
    path("agenda/<int:pk>/delete/", pages.agenda_delete, name="agenda_delete"),
    path("agenda/<int:pk>/move/", pages.agenda_move, name="agenda_move"),
    path("agenda/<int:pk>/document/", pages.agenda_document, name="agenda_document"),
    path(
        "agenda/<int:pk>/document/download/", pages.agenda_document_download, name="agenda_document_download"
    ),
    path("<int:pk>/speakers/add/", pages.speaker_add, name="speaker_add"),
    path("<int:pk>/speakers/from-targets/", pages.speakers_from_targets, name="speakers_from_targets"),
    path("speakers/<int:pk>/", pages.speaker_edit, name="speaker_edit"),
    path("speakers/<int:pk>/delete/", pages.speaker_delete, name="speaker_delete"),
    path("speakers/<int:pk>/move/", pages.speaker_move, name="speaker_move"),
    path("speakers/<int:pk>/comment/", pages.comment, name="comment"),
    path("speakers/<int:pk>/feedback.docx", pages.feedback, name="feedback"),
    path("speakers/<int:pk>/report/", pages.report_upload, name="report_upload"),
    path("speakers/<int:pk>/report/download/", pages.report_download, name="report_download"),
    path("speakers/<int:pk>/report/problems/", pages.report_problems, name="report_problems"),
    path("<int:pk>/import/", pages.import_upload, name="import"),
    path("<int:pk>/import/template.xlsx", pages.import_template, name="import_template"),
    path("imports/<int:pk>/", pages.import_preview, name="import_preview"),
    path("imports/<int:pk>/confirm/", pages.import_confirm, name="import_confirm"),
    path("<int:pk>/script.docx", pages.script, name="script"),
    path("<int:pk>/feedback.zip", pages.feedback_all, name="feedback_all"),
    path("<int:pk>/room/", pages.room, name="room"),
    path("<int:pk>/room/set/", pages.room_set, name="room_set"),
]
