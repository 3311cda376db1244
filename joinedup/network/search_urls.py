"""search pages of the network app (see urls.py)."""

from django.urls import path

from .views import search

urlpatterns = [
    path("search/", search.search_page, name="search"),
]
