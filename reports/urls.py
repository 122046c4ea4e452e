from django.urls import path

from .views import batch, dashboard, report

app_name = "reports"

urlpatterns = [
    # a target's report: the preview (a tab of the workspace) and the Word file
    path("targets/<int:pk>/", report.preview, name="preview"),
    path("targets/<int:pk>/report.docx", report.download, name="download"),
    # 考核总览, the campaign dashboard, for reviewers and administrators
    path("campaigns/<int:pk>/dashboard/", dashboard.progress, name="dashboard"),
    path("campaigns/<int:pk>/dashboard/scores/", dashboard.scores, name="scores"),
    path("campaigns/<int:pk>/dashboard/compare/", dashboard.compare, name="compare"),
    path("campaigns/<int:pk>/dashboard/problems/", dashboard.problems, name="problems"),
    path(
        "campaigns/<int:pk>/dashboard/problems/<int:item_pk>/",
        dashboard.common_problems,
        name="common_problems",
    ),
    path("campaigns/<int:pk>/dashboard/charts/", dashboard.charts, name="charts"),
    path("campaigns/<int:pk>/dashboard/scores.xlsx", dashboard.scores_xlsx, name="scores_xlsx"),
    # batch export: all reports of a campaign as one ZIP, built by the background worker
    path("campaigns/<int:pk>/batch/", batch.batch_start, name="batch_start"),
    path("batches/<int:pk>/", batch.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/progress/", batch.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/download/", batch.batch_download, name="batch_download"),
]
