"""Portfolio pages of the apprenticeships app (see urls.py): an enrolment's evidence and KSB
coverage, adding and editing an item, one item, its file and the tutor's decision."""

from django.urls import path

from .views import portfolio

urlpatterns = [
    path("enrolments/<int:pk>/portfolio/", portfolio.evidence_list, name="portfolio"),
    path("enrolments/<int:pk>/portfolio/add/", portfolio.add, name="evidence_add"),
    path("enrolments/<int:pk>/portfolio/coverage/", portfolio.coverage, name="ksb_coverage"),
    path("evidence/<int:pk>/", portfolio.item, name="evidence"),
    path("evidence/<int:pk>/edit/", portfolio.edit, name="evidence_edit"),
    path("evidence/<int:pk>/check/", portfolio.check, name="evidence_check"),
    path("evidence/<int:pk>/download/", portfolio.download, name="evidence_download"),
]
