"""Space pages of the network app (see urls.py): spaces, membership, and a run's space."""

from django.urls import path

from .views import spaces

urlpatterns = [
    path("spaces/", spaces.space_list, name="spaces"),
    path("spaces/new/", spaces.space_new, name="space-new"),
    path("spaces/<int:pk>/", spaces.space_detail, name="space"),
    path("spaces/<int:pk>/join/", spaces.space_join, name="space-join"),
    path("spaces/<int:pk>/leave/", spaces.space_leave, name="space-leave"),
    path("spaces/<int:pk>/members/", spaces.space_members, name="space-members"),
    path("spaces/<int:pk>/requests/", spaces.space_requests, name="space-requests"),
    path(
        "spaces/<int:pk>/requests/<int:member_pk>/approve/",
        spaces.request_approve,
        name="space-request-approve",
    ),
    path(
        "spaces/<int:pk>/requests/<int:member_pk>/refuse/",
        spaces.request_refuse,
        name="space-request-refuse",
    ),
    path("spaces/<int:pk>/moderators/", spaces.space_moderators, name="space-moderators"),
    path("spaces/<int:pk>/edit/", spaces.space_edit, name="space-edit"),
    path("spaces/<int:pk>/archive/", spaces.space_archive, name="space-archive"),
    path("runs/<int:run_pk>/space/", spaces.run_space, name="run-space"),
]
