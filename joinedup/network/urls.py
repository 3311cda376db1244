from django.urls import path

from . import (
    initiative_urls,
    moderation_urls,
    post_urls,
    public_urls,
    reading_urls,
    review_urls,
    search_urls,
    space_urls,
)
from .views import home

app_name = "network"

urlpatterns = [
    path("", home.home, name="home"),
    *space_urls.urlpatterns,
    *post_urls.urlpatterns,
    *reading_urls.urlpatterns,
    *moderation_urls.urlpatterns,
    *search_urls.urlpatterns,
    *initiative_urls.urlpatterns,
    *review_urls.urlpatterns,
    *public_urls.urlpatterns,
]
