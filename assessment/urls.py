from django.urls import path

from .views import campaigns, checklist, groups, sampling

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
    path("targets/<int:pk>/", sampling.target, name="target"),
    path("targets/<int:pk>/draw/", sampling.target_draw, name="target_draw"),
    path("targets/<int:pk>/plan/", sampling.target_plan, name="target_plan"),
    path("targets/<int:pk>/sample/print/", sampling.sample_print, name="sample_print"),
    path("targets/<int:pk>/sample/add/", sampling.sample_add, name="sample_add"),
    path("sampled/<int:pk>/remove/", sampling.sample_remove, name="sample_remove"),
]
