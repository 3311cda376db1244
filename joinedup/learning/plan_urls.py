"""Commissioning plans, similar programmes and plans, and the near-duplicate report.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import plans

urlpatterns: list[URLPattern] = [
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/close/", plans.plan_close, name="plan-close"),
    path("near-duplicates/", plans.report_list, name="near-duplicates"),
    path("near-duplicates/<int:pk>/", plans.report_detail, name="near-duplicate-report"),
    path("near-duplicates/<int:pk>/export.csv", plans.report_csv, name="near-duplicate-csv"),
]
