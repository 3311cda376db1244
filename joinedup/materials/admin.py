"""The technical Django admin, for operators. Every change to a material, its versions, reuse and
reports goes through the services, which check the licence rules and write the audit log, so the
admin only reads. Versions are immutable in any case."""

from django.contrib import admin

from .models import Material, MaterialAuthor, MaterialReport, MaterialVersion, Reuse


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = MaterialVersion
    fields = [
        "number",
        "file_name",
        "external_url",
        "size_bytes",
        "extraction_status",
        "created_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AuthorInline(admin.TabularInline):
    model = MaterialAuthor
    fields = ["person", "show_name_publicly", "position"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "kind", "licence", "published_openly_at", "hidden_at"]
    list_filter = ["kind", "licence"]
    search_fields = ["title"]
    list_select_related = ["owner"]
    exclude = ["search_document"]
    inlines = [VersionInline, AuthorInline]


@admin.register(Reuse)
class ReuseAdmin(ReadOnlyAdmin):
    list_display = ["material", "organisation", "used_on", "learners_reached", "cost_saved"]
    list_select_related = ["material", "organisation"]


@admin.register(MaterialReport)
class MaterialReportAdmin(ReadOnlyAdmin):
    list_display = ["material", "reason", "status", "created_at"]
    list_filter = ["reason", "status"]
    list_select_related = ["material"]
