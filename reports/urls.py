from django.urls import path

from .views import batch

app_name = "reports"

urlpatterns = [
    # batch export: all reports of a campaign as one ZIP, built by the background worker
    path("campaigns/<int:pk>/batch/", batch.batch_start, name="batch_start"),
    path("batches/<int:pk>/", batch.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/progress/", batch.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/download/", batch.batch_download, name="batch_download"),
]
