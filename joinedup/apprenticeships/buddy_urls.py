"""Buddy and module discussion pages of the apprenticeships app (see urls.py)."""

from django.urls import path

from .views import buddies

urlpatterns = [
    path("cohorts/<int:pk>/buddies/", buddies.cohort_buddies, name="cohort_buddies"),
    path("cohorts/<int:pk>/buddies/pair/", buddies.pair, name="cohort_buddies_pair"),
    path(
        "cohorts/<int:pk>/module-discussions/",
        buddies.open_module_discussions,
        name="cohort_module_discussions",
    ),
]
