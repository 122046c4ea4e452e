from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("picker/", views.picker, name="picker"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("template.xlsx", views.template_download, name="template"),
    path("export.xlsx", views.export_download, name="export"),
]
