"""The levy pages. Each module of `views` lists its own routes; they are joined here."""

from django.urls import URLPattern

from .views import accounts, optimiser, partnership, pledges, setup

app_name = "levy"

urlpatterns: list[URLPattern] = [
    *accounts.urlpatterns,
    *optimiser.urlpatterns,
    *partnership.urlpatterns,
    *pledges.urlpatterns,
    *setup.urlpatterns,
]
