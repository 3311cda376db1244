"""End-point assessment pages of the apprenticeships app (see urls.py)."""

from django.urls import path

from .views import assessments

urlpatterns = [
    path(
        "enrolments/<int:pk>/assessments/",
        assessments.enrolment_page,
        name="enrolment_assessments",
    ),
    path("enrolments/<int:pk>/assessments/book/", assessments.book, name="book_assessment"),
    path("assessments/mine/", assessments.mine, name="my_assessments"),
    path("assessments/<int:pk>/", assessments.detail, name="assessment"),
    path("assessments/<int:pk>/results/", assessments.record, name="assessment_results"),
]
