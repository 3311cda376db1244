"""Secondment agreements: release, signatures, start, end and return.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
