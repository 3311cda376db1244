"""initiative pages of the network app (see urls.py): the register, an initiative, recording and
changing one, and the lead's missions vocabulary."""

from django.urls import path

from .views import initiatives, missions

urlpatterns: list = [
    path("initiatives/", initiatives.initiative_list, name="initiatives"),
    path("initiatives/download.csv", initiatives.initiative_csv, name="initiatives-csv"),
    path("initiatives/new/", initiatives.initiative_new, name="initiative-new"),
    path("initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative"),
    path("initiatives/<int:pk>/edit/", initiatives.initiative_edit, name="initiative-edit"),
    path("missions/", missions.mission_list, name="missions"),
    path("missions/new/", missions.mission_new, name="mission-new"),
    path("missions/<int:pk>/edit/", missions.mission_edit, name="mission-edit"),
]
