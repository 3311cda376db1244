"""Delivery requests: asking for a partner's accredited trainer, and approving in turn.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
