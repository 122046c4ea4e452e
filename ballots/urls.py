from django.urls import path

from .views import manage, vote

app_name = "ballots"

urlpatterns = [
    path("ballots/campaign/<int:pk>/", manage.index, name="index"),
    path("ballots/<int:pk>/", manage.detail, name="detail"),
    path("ballots/from-meeting/<int:pk>/", manage.from_meeting, name="from_meeting"),
    path("ballots/<int:pk>/settings/", manage.settings_edit, name="settings"),
    path("ballots/<int:pk>/subjects/", manage.subjects, name="subjects"),
    path("ballots/<int:pk>/state/", manage.state, name="state"),
    path("ballots/<int:pk>/present/", manage.present, name="present"),
    path("ballots/<int:pk>/tokens/", manage.issue, name="issue"),
    path("ballots/<int:pk>/slips/<int:category_pk>/", manage.slips, name="slips"),
    path("ballots/<int:pk>/paper-form/", manage.paper_form, name="paper_form"),
    path("ballots/<int:pk>/paper-template/", manage.template, name="template"),
    path("ballots/<int:pk>/screen/", manage.screen, name="screen"),
    path("ballots/<int:pk>/entry/", manage.entry, name="entry"),
    path("ballots/<int:pk>/import/", manage.import_upload, name="import"),
    path("ballots/imports/<int:pk>/", manage.import_preview, name="import_preview"),
    path("ballots/imports/<int:pk>/confirm/", manage.import_confirm, name="import_confirm"),
    path("ballots/batches/<int:pk>/withdraw/", manage.batch_withdraw, name="batch_withdraw"),
    path("ballots/<int:pk>/results/", manage.results, name="results"),
    path("ballots/<int:pk>/results.xlsx", manage.results_xlsx, name="results_xlsx"),
    path("ballots/<int:pk>/results.docx", manage.results_docx, name="results_docx"),
    # The phone ballot page: no account, gated by the one-use code.
    path("v/", vote.vote, name="vote"),
    path("v/<str:code>/", vote.vote_code, name="vote_code"),
]
