"""Joint commissions and their value for money.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import commissions

urlpatterns: list[URLPattern] = [
    path("plans/<int:pk>/joint-commission/", commissions.join, name="commission-join"),
    path("plans/<int:pk>/joint-commission/start/", commissions.start, name="commission-start"),
    path("joint-commissions/", commissions.mine, name="commissions"),
    path("joint-commissions/value-for-money/", commissions.report, name="commission-report"),
    path(
        "joint-commissions/value-for-money.csv",
        commissions.report_csv,
        name="commission-report-csv",
    ),
    path("joint-commissions/<int:pk>/", commissions.detail, name="commission"),
    path("joint-commissions/<int:pk>/places/", commissions.places, name="commission-places"),
    path("joint-commissions/<int:pk>/leave/", commissions.leave, name="commission-leave"),
    path("joint-commissions/<int:pk>/agree/", commissions.agree, name="commission-agree"),
    path("joint-commissions/<int:pk>/cancel/", commissions.cancel, name="commission-cancel"),
    path(
        "joint-commissions/<int:pk>/programme/", commissions.programme, name="commission-programme"
    ),
]
