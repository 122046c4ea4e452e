from django.urls import path

from .views import campaigns, checklist, evidence, findings, groups, sampling, texts, workspace

app_name = "campaigns"

urlpatterns = [
    path("", campaigns.index, name="index"),
    path("new/", campaigns.create, name="create"),
    path("<int:pk>/", campaigns.detail, name="detail"),
    path("<int:pk>/edit/", campaigns.edit, name="edit"),
    path("<int:pk>/status/", campaigns.set_status, name="status"),
    # checklist
    path("<int:pk>/checklist/", checklist.checklist, name="checklist"),
    path("<int:pk>/checklist/new/", checklist.item_create, name="item_create"),
    path("<int:pk>/checklist/import/", checklist.import_upload, name="checklist_import"),
    path("<int:pk>/checklist/export.xlsx", checklist.export_download, name="checklist_export"),
    path("checklist-template.xlsx", checklist.template_download, name="checklist_template"),
    path("checklist-imports/<int:pk>/", checklist.import_preview, name="checklist_import_preview"),
    path("checklist-imports/<int:pk>/confirm/", checklist.import_confirm, name="checklist_import_confirm"),
    path("items/<int:pk>/edit/", checklist.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", checklist.item_delete, name="item_delete"),
    path("items/<int:pk>/move/", checklist.item_move, name="item_move"),
    # groups
    path("<int:pk>/groups/new/", groups.create, name="group_create"),
    path("groups/<int:pk>/", groups.detail, name="group"),
    path("groups/<int:pk>/edit/", groups.edit, name="group_edit"),
    # sampling
    path("<int:pk>/sampling/", sampling.campaign_sampling, name="sampling"),
    path("<int:pk>/sampling/draw-all/", sampling.draw_all, name="draw_all"),
    # the workspace of a target
    path("targets/<int:pk>/", workspace.items, name="target"),
    path("targets/<int:pk>/items/<int:item_pk>/", workspace.items, name="target_item"),
    path("targets/<int:pk>/overview/", workspace.overview, name="target_overview"),
    path("targets/<int:pk>/examples/", workspace.examples, name="target_examples"),
    path("targets/<int:pk>/sample/", sampling.target, name="target_sample"),
    path("targets/<int:pk>/history/", workspace.history, name="target_history"),
    path("targets/<int:pk>/submit/", workspace.submit, name="target_submit"),
    path("targets/<int:pk>/return/", workspace.return_, name="target_return"),
    path("targets/<int:pk>/approve/", workspace.approve, name="target_approve"),
    path("targets/<int:pk>/finalize/", workspace.finalize, name="target_finalize"),
    path("targets/<int:pk>/reopen/", workspace.reopen, name="target_reopen"),
    # findings, edited in place
    path(
        "targets/<int:pk>/items/<int:item_pk>/deductions/new/",
        findings.deduction_create,
        name="deduction_create",
    ),
    path("deductions/<int:pk>/edit/", findings.deduction_edit, name="deduction_edit"),
    path("deductions/<int:pk>/delete/", findings.deduction_delete, name="deduction_delete"),
    path("targets/<int:pk>/units/", findings.unit_search, name="unit_search"),
    path("targets/<int:pk>/items/<int:item_pk>/decide/", findings.score_decide, name="score_decide"),
    path("targets/<int:pk>/items/<int:item_pk>/bonus/", findings.bonus, name="bonus"),
    path("targets/<int:pk>/items/<int:item_pk>/lead/", findings.lead, name="lead"),
    path("targets/<int:pk>/items/<int:item_pk>/points/new/", findings.point_create, name="point_create"),
    path("points/<int:pk>/edit/", findings.point_edit, name="point_edit"),
    path("points/<int:pk>/delete/", findings.point_delete, name="point_delete"),
    path("points/<int:pk>/move/", findings.point_move, name="point_move"),
    path(
        "targets/<int:pk>/items/<int:item_pk>/problems/new/", findings.problem_create, name="problem_create"
    ),
    path("problems/<int:pk>/edit/", findings.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/delete/", findings.problem_delete, name="problem_delete"),
    path("problems/<int:pk>/move/", findings.problem_move, name="problem_move"),
    path("targets/<int:pk>/narrative/", texts.narrative, name="narrative"),
    path("targets/<int:pk>/examples/new/", texts.example_create, name="example_create"),
    path("examples/<int:pk>/edit/", texts.example_edit, name="example_edit"),
    path("examples/<int:pk>/delete/", texts.example_delete, name="example_delete"),
    path("examples/<int:pk>/move/", texts.example_move, name="example_move"),
    path("targets/<int:pk>/recommendations/new/", texts.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/edit/", texts.recommendation_edit, name="recommendation_edit"),
    path("recommendations/<int:pk>/delete/", texts.recommendation_delete, name="recommendation_delete"),
    path("recommendations/<int:pk>/move/", texts.recommendation_move, name="recommendation_move"),
    path("targets/<int:pk>/draw/", sampling.target_draw, name="target_draw"),
    path("targets/<int:pk>/plan/", sampling.target_plan, name="target_plan"),
    path("targets/<int:pk>/sample/print/", sampling.sample_print, name="sample_print"),
    path("targets/<int:pk>/sample/add/", sampling.sample_add, name="sample_add"),
    path("sampled/<int:pk>/remove/", sampling.sample_remove, name="sample_remove"),
    path("evidence/<int:pk>/", evidence.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/thumbnail/", evidence.evidence_thumbnail, name="evidence_thumbnail"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete_view, name="evidence_delete"),
    path("deductions/<int:pk>/evidence/", evidence.deduction_evidence_upload, name="deduction_evidence"),
    path("problems/<int:pk>/evidence/", evidence.problem_evidence_upload, name="problem_evidence"),
]
