"""Rotation schemes: cohorts, rounds, posts, preferences, matching and placements.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import rotations

urlpatterns: list[URLPattern] = [
    path("rotations/", rotations.scheme_list, name="rotation-schemes"),
    path("rotations/new/", rotations.scheme_new, name="rotation-scheme-new"),
    path("rotations/<int:pk>/", rotations.scheme_detail, name="rotation-scheme"),
    path("rotations/<int:pk>/cohorts/new/", rotations.cohort_new, name="rotation-cohort-new"),
    path("rotations/cohorts/<int:pk>/", rotations.cohort_detail, name="rotation-cohort"),
    path(
        "rotations/cohorts/<int:pk>/participants/new/",
        rotations.participant_new,
        name="rotation-participant-new",
    ),
    path("rotations/rounds/<int:pk>/", rotations.round_detail, name="rotation-round"),
    path("rotations/rounds/<int:pk>/posts/new/", rotations.post_new, name="rotation-post-new"),
    path(
        "rotations/rounds/<int:pk>/my-ranking/",
        rotations.preferences,
        name="rotation-preferences",
    ),
    path("rotations/rounds/<int:pk>/match/", rotations.run_matching, name="rotation-match"),
    path("rotations/rounds/<int:pk>/publish/", rotations.publish, name="rotation-publish"),
    path("rotations/rounds/<int:pk>/place/", rotations.place, name="rotation-place"),
    path("rotations/posts/<int:pk>/ranking/", rotations.post_ranking, name="rotation-post-ranking"),
]
