"""Accreditations and the train-the-trainer cascade.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import accreditations

urlpatterns: list[URLPattern] = [
    path("accreditations/mine/", accreditations.mine, name="my-accreditations"),
    path(
        "accreditations/programmes/<int:pk>/",
        accreditations.programme_accreditations,
        name="programme-accreditations",
    ),
    path("accreditations/programmes/<int:pk>/new/", accreditations.accredit, name="accredit"),
    path(
        "accreditations/programmes/<int:pk>/cascade/",
        accreditations.cascade,
        name="accreditation-cascade",
    ),
    path(
        "accreditations/<int:pk>/withdraw/",
        accreditations.withdraw,
        name="accreditation-withdraw",
    ),
]
