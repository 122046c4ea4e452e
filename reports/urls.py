from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    # batch export: all reports of a campaign as one ZIP, built by the background worker
    path("campaigns/<int:pk>/batch/", views.batch_start, name="batch_start"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/download/", views.batch_download, name="batch_download"),
]
