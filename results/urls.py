from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("<int:pk>/", views.index, name="index"),
    path("<int:pk>/scheme/new/", views.scheme_create, name="scheme_create"),
    path("<int:pk>/scheme/", views.scheme, name="scheme"),
    path("<int:pk>/scheme/items/", views.item_add, name="item_add"),
    path("<int:pk>/scheme/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/units/<int:unit_pk>/", views.unit, name="unit"),
    path("<int:pk>/units/<int:unit_pk>/awards/", views.award_add, name="award_add"),
    path("<int:pk>/awards/<int:award_pk>/delete/", views.award_delete, name="award_delete"),
    path("<int:pk>/units/<int:unit_pk>/feedback.docx", views.feedback_docx, name="feedback_docx"),
    path("<int:pk>/units/<int:unit_pk>/grade/", views.manual_grade, name="manual_grade"),
    path("<int:pk>/meeting-scores/", views.meeting_scores, name="meeting_scores"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/results.xlsx", views.results_xlsx, name="xlsx"),
    path("<int:pk>/bulletin/", views.bulletin, name="bulletin"),
    path("<int:pk>/bulletin/draft/", views.bulletin_draft, name="bulletin_draft"),
    path("<int:pk>/bulletin/fix/", views.bulletin_fix, name="bulletin_fix"),
    path("<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
]
