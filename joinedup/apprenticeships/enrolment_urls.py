"""enrolment pages of the apprenticeships app (see urls.py)."""

from django.urls import path

from .views import enrolments

urlpatterns = [
    path("cohorts/<int:pk>/enrol/", enrolments.enrol, name="enrol"),
    path("enrolments/", enrolments.employer_list, name="enrolments"),
    path("enrolments/provider/", enrolments.provider_list, name="provider_enrolments"),
    path("my-apprenticeship/", enrolments.my_apprenticeship, name="my_apprenticeship"),
    path("enrolments/<int:pk>/", enrolments.detail, name="enrolment"),
    path("enrolments/<int:pk>/status/", enrolments.change_status, name="enrolment_status"),
    path("enrolments/<int:pk>/employer/", enrolments.change_employer, name="enrolment_employer"),
    path("enrolments/<int:pk>/off-the-job/", enrolments.off_the_job, name="enrolment_off_the_job"),
    path("enrolments/<int:pk>/terms/", enrolments.change_terms, name="enrolment_terms"),
]
