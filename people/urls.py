from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:pk>/password/", views.reset_password, name="reset_password"),
    path("<int:pk>/unlock/", views.unlock, name="unlock"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/passwords/", views.import_passwords, name="import_passwords"),
    path("import/<int:pk>/passwords.xlsx", views.import_passwords_download, name="import_passwords_download"),
    path("template.xlsx", views.template_download, name="template"),
    path("export.xlsx", views.export_download, name="export"),
]
