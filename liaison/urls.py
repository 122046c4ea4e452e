from django.urls import path

from .views import pages

app_name = "liaison"

urlpatterns = [
    path("roles/<int:pk>/", pages.unit, name="unit"),
    path("roles/<int:pk>/files/", pages.file_add, name="file_add"),
    path("roles/<int:pk>/answers/<str:key>/", pages.answer, name="answer"),
    path("roles/<int:pk>/objections/<int:answer_pk>/files/", pages.objection_file, name="objection_file"),
    path("roles/<int:pk>/submit/", pages.submit, name="submit"),
    path("files/<int:pk>/", pages.file_download, name="file"),
    path("files/<int:pk>/delete/", pages.file_delete, name="file_delete"),
    path("targets/<int:pk>/", pages.target_tab, name="target_tab"),
    path("targets/<int:pk>/files/<int:file_pk>/attach/", pages.attach, name="attach"),
    path("answers/<int:answer_pk>/rule/", pages.rule, name="rule"),
    path("campaigns/<int:pk>/", pages.manage, name="manage"),
    path("campaigns/<int:pk>/liaisons/", pages.liaison_add, name="liaison_add"),
    path("liaisons/<int:pk>/remove/", pages.liaison_remove, name="liaison_remove"),
    path("campaigns/<int:pk>/deadlines/", pages.deadlines, name="deadlines"),
]
