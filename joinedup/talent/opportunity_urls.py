"""Opportunities across the partnership, recommendations and applications.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import applications, opportunities

urlpatterns: list[URLPattern] = [
    path("opportunities/", opportunities.opportunity_list, name="opportunities"),
    path("opportunities/recommended/", opportunities.recommended, name="opportunities-recommended"),
    path("opportunities/hosted/", opportunities.hosted, name="opportunities-hosted"),
    path("opportunities/new/", opportunities.opportunity_new, name="opportunity-new"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity"),
    path(
        "opportunities/<int:pk>/apply/", opportunities.opportunity_apply, name="opportunity-apply"
    ),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity-edit"),
    path(
        "opportunities/<int:pk>/close/", opportunities.opportunity_close, name="opportunity-close"
    ),
    path(
        "opportunities/<int:pk>/candidates/",
        opportunities.candidates,
        name="opportunity-candidates",
    ),
    path(
        "opportunities/<int:pk>/applications/",
        applications.opportunity_applications,
        name="opportunity-applications",
    ),
    path("applications/", applications.my_applications, name="applications-mine"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path(
        "applications/<int:pk>/shortlist/",
        applications.application_shortlist,
        name="application-shortlist",
    ),
    path(
        "applications/<int:pk>/interview/",
        applications.application_interview,
        name="application-interview",
    ),
    path("applications/<int:pk>/offer/", applications.application_offer, name="application-offer"),
    path(
        "applications/<int:pk>/decline/",
        applications.application_decline,
        name="application-decline",
    ),
    path(
        "applications/<int:pk>/accept/", applications.application_accept, name="application-accept"
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application-withdraw",
    ),
]
