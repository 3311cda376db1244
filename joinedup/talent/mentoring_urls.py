"""Mentoring across organisations: sign-ups, the lead's matching, pairs and meetings.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import mentoring

urlpatterns: list[URLPattern] = [
    path("mentoring/", mentoring.home, name="mentoring"),
    path("mentoring/mentor/", mentoring.sign_up, {"role": "mentor"}, name="mentoring-offer"),
    path("mentoring/mentee/", mentoring.sign_up, {"role": "mentee"}, name="mentoring-ask"),
    path(
        "mentoring/sign-ups/<int:pk>/withdraw/",
        mentoring.withdraw,
        name="mentoring-withdraw",
    ),
    path("mentoring/pairs/<int:pk>/", mentoring.pair_detail, name="mentoring-pair"),
    path(
        "mentoring/pairs/<int:pk>/meetings/new/",
        mentoring.pair_meeting,
        name="mentoring-meeting-new",
    ),
    path("mentoring/pairs/<int:pk>/end/", mentoring.pair_end, name="mentoring-pair-end"),
    path("mentoring/lead/", mentoring.lead, name="mentoring-lead"),
    path("mentoring/matchings/<int:pk>/", mentoring.matching_detail, name="mentoring-matching"),
    path(
        "mentoring/matchings/<int:pk>/publish/",
        mentoring.matching_publish,
        name="mentoring-matching-publish",
    ),
    path(
        "mentoring/matchings/<int:pk>/discard/",
        mentoring.matching_discard,
        name="mentoring-matching-discard",
    ),
]
