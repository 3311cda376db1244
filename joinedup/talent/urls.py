from django.urls import path

from . import (
    agreement_urls,
    figures_urls,
    mentoring_urls,
    opportunity_urls,
    profile_urls,
    rotation_urls,
)
from .views import home

app_name = "talent"

urlpatterns = [
    path("", home.home, name="home"),
    *profile_urls.urlpatterns,
    *opportunity_urls.urlpatterns,
    *agreement_urls.urlpatterns,
    *rotation_urls.urlpatterns,
    *mentoring_urls.urlpatterns,
    *figures_urls.urlpatterns,
]
