"""Talent profiles and the partnership's skills vocabulary.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import profiles

urlpatterns: list[URLPattern] = [
    path("profile/", profiles.my_profile, name="my-profile"),
    path("profile/edit/", profiles.my_profile_edit, name="my-profile-edit"),
    path("profile/discoverable/", profiles.my_profile_discoverable, name="my-profile-discoverable"),
    path("profile/experience/add/", profiles.experience_add, name="experience-add"),
    path(
        "profile/experience/<int:pk>/remove/",
        profiles.experience_remove,
        name="experience-remove",
    ),
    path("profiles/<int:pk>/", profiles.profile_detail, name="profile"),
    path("skills/", profiles.vocabulary, name="skills"),
    path("skills/<int:pk>/", profiles.skill_detail, name="skill"),
    path("skills/<int:pk>/rename/", profiles.skill_rename, name="skill-rename"),
    path("skills/<int:pk>/synonyms/", profiles.synonym_add, name="synonym-add"),
    path("skills/synonyms/<int:pk>/remove/", profiles.synonym_remove, name="synonym-remove"),
    path("skills/<int:pk>/merge/", profiles.skill_merge, name="skill-merge"),
    path("skills/<int:pk>/promote/", profiles.skill_promote, name="skill-promote"),
]
