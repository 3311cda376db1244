"""Workplace project pages of the apprenticeships app (see urls.py), by the enrolment's id."""

from django.urls import path

from .views import projects

urlpatterns = [
    path("enrolments/<int:pk>/project/", projects.page, name="project"),
    path("enrolments/<int:pk>/project/propose/", projects.propose, name="project_propose"),
    path("enrolments/<int:pk>/project/approve/", projects.approve, name="project_approve"),
    path(
        "enrolments/<int:pk>/project/milestones/<int:milestone_pk>/done/",
        projects.milestone_done,
        name="project_milestone_done",
    ),
    path("enrolments/<int:pk>/project/submit/", projects.submit, name="project_submit"),
    path("enrolments/<int:pk>/project/sign-off/", projects.sign_off, name="project_sign_off"),
    path("enrolments/<int:pk>/project/file/", projects.download, name="project_file"),
]
