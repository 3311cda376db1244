from django.urls import path

from . import (
    assessment_urls,
    assignment_urls,
    buddy_urls,
    calendar_urls,
    enrolment_urls,
    funding_urls,
    gateway_urls,
    off_the_job_urls,
    portfolio_urls,
    programme_urls,
    progress_urls,
    project_urls,
    review_urls,
    standard_urls,
    statement_urls,
)
from .views import home

app_name = "apprenticeships"

urlpatterns = [
    path("", home.home, name="home"),
    *standard_urls.urlpatterns,
    *funding_urls.urlpatterns,
    *programme_urls.urlpatterns,
    *enrolment_urls.urlpatterns,
    *off_the_job_urls.urlpatterns,
    *statement_urls.urlpatterns,
    *progress_urls.urlpatterns,
    *review_urls.urlpatterns,
    *calendar_urls.urlpatterns,
    *assignment_urls.urlpatterns,
    *portfolio_urls.urlpatterns,
    *assessment_urls.urlpatterns,
    *buddy_urls.urlpatterns,
    *project_urls.urlpatterns,
    *gateway_urls.urlpatterns,
]
