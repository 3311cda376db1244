"""The technical Django admin, for operators. The audit log is read-only here too."""

from django.contrib import admin

from .models import AuditEvent, Membership, Organisation, Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "official_code"]
    list_filter = ["sector", "kind"]
    search_fields = ["name", "official_code"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "partnership", "joined_on", "left_on"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "object_kind", "object_id", "organisation"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
