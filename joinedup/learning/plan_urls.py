"""Commissioning plans, similar programmes and plans, and the near-duplicate report.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
