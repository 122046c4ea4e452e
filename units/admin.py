from django.contrib import admin

from .models import RosterImport, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "org_type", "secretary", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    list_select_related = ("parent",)
    # Edits go through the roster pages, whose services keep the tree consistent.
    readonly_fields = ("parent", "kind", "ancestry")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ("original_name", "status", "uploaded_by", "uploaded_at", "applied_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in RosterImport._meta.fields]

    def has_add_permission(self, request):
        return False
