"""Talent profiles and the partnership's skills vocabulary.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
