"""The system-translator and leakage figures.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import figures

urlpatterns: list[URLPattern] = [
    path("figures/translators/", figures.translators, name="figures-translators"),
    path("figures/translators.csv", figures.translators_csv, name="figures-translators-csv"),
    path("figures/leakage/", figures.leakage_page, name="figures-leakage"),
    path("figures/leakage.csv", figures.leakage_csv, name="figures-leakage-csv"),
]
