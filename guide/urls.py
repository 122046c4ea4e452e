from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("page/", views.for_page, name="for_page"),
    path("manual.docx", views.manual, name="manual"),
    path("<slug:slug>/", views.section, name="section"),
]
