"""Off-the-job log pages of the apprenticeships app (see urls.py). The enrolment's off-the-job
plan (planned hours, prior learning) is `enrolment_off_the_job` in enrolment_urls.py."""

from django.urls import path

from .views import off_the_job

urlpatterns = [
    path("enrolments/<int:pk>/off-the-job/log/", off_the_job.log, name="off_the_job_log"),
    path("enrolments/<int:pk>/off-the-job/log/new/", off_the_job.new, name="off_the_job_new"),
    path("off-the-job/<int:pk>/edit/", off_the_job.edit, name="off_the_job_edit"),
    path("off-the-job/<int:pk>/delete/", off_the_job.delete, name="off_the_job_delete"),
    path("off-the-job/<int:pk>/check/", off_the_job.check, name="off_the_job_check"),
    path("off-the-job/to-check/", off_the_job.to_check, name="off_the_job_to_check"),
]
