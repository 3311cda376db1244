"""The technical Django admin, for operators. Levy rules are dated rows an admin adds when the
government changes a rate; ledger entries are append-only, so they are read-only here."""

from django.contrib import admin

from .models import LedgerEntry, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "starts_on", "value", "source"]
    list_filter = ["kind"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["account", "kind", "month", "amount", "label"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
