"""Secondment agreements: release, signatures, start, end and return.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import agreements

urlpatterns: list[URLPattern] = [
    path("secondments/", agreements.my_secondments, name="my-secondments"),
    path(
        "secondments/organisation/",
        agreements.organisation_secondments,
        name="organisation-secondments",
    ),
    path("applications/<int:pk>/agreement/new/", agreements.agreement_new, name="agreement-new"),
    path("secondments/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("secondments/<int:pk>/terms/", agreements.agreement_terms, name="agreement-terms"),
    path("secondments/<int:pk>/release/", agreements.agreement_release, name="agreement-release"),
    path("secondments/<int:pk>/sign/", agreements.agreement_sign, name="agreement-sign"),
    path("secondments/<int:pk>/end/", agreements.agreement_end, name="agreement-end"),
    path("secondments/<int:pk>/cancel/", agreements.agreement_cancel, name="agreement-cancel"),
    path(
        "secondments/<int:pk>/feedback/", agreements.agreement_feedback, name="agreement-feedback"
    ),
    path("secondments/<int:pk>/return/", agreements.agreement_return, name="agreement-return"),
]
