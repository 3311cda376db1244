"""The apprentice's progress page, which gathers every kind of evidence of progress (see
urls.py)."""

from django.urls import path

from .views import progress

urlpatterns = [
    path("enrolments/<int:pk>/progress/", progress.page, name="progress"),
]
