"""Mentoring across organisations: sign-ups, the lead's matching, pairs and meetings.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
