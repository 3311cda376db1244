"""The technical Django admin, for operators. Place counters and bookings change only through
the booking services, so they are read-only here."""

from django.contrib import admin

from . import term_index
from .models import Booking, Programme, Run, RunOrganisationShare, Session, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "host", "kind", "delivery_mode", "sharing_policy"]
    list_filter = ["kind", "delivery_mode", "sharing_policy"]
    search_fields = ["title"]
    autocomplete_fields = ["topics"]

    def save_related(self, request, form, formsets, change) -> None:
        """After the topics are saved, the catalogue's terms follow the programme."""
        super().save_related(request, form, formsets, change)
        term_index.index_programme(form.instance)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["id", "programme", "capacity", "places_taken", "cut_off_at", "released_at"]
    readonly_fields = ["places_taken", "released_at"]
    inlines = [SessionInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RunOrganisationShare)
class RunOrganisationShareAdmin(ReadOnlyAdmin):
    list_display = ["run", "organisation", "places_taken", "cap"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["id", "run", "organisation", "status", "requested_at"]
    list_filter = ["status"]
