"""Assignment pages of the apprenticeships app: submissions, marking and the deadline dashboard
(see urls.py)."""

from django.urls import path

from .views import assignments

urlpatterns = [
    path("enrolments/<int:pk>/assignments/", assignments.assignments, name="assignments"),
    path("enrolments/<int:pk>/assignments/submit/", assignments.submit, name="assignment_submit"),
    path("submissions/<int:pk>/", assignments.submission, name="submission"),
    path("submissions/<int:pk>/file/", assignments.submission_file, name="submission_file"),
    path("submissions/<int:pk>/mark/", assignments.mark, name="submission_mark"),
    path("deadlines/", assignments.dashboard, name="deadlines"),
]
