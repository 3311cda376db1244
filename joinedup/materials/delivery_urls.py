"""Delivery requests: asking for a partner's accredited trainer, and approving in turn.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import deliveries

urlpatterns: list[URLPattern] = [
    path("deliveries/", deliveries.requests, name="delivery-requests"),
    path("deliveries/new/", deliveries.create, name="delivery-request-create"),
    path("deliveries/<int:pk>/", deliveries.detail, name="delivery-request"),
    path("deliveries/<int:pk>/approve/", deliveries.approve, name="delivery-request-approve"),
    path("deliveries/<int:pk>/decline/", deliveries.decline, name="delivery-request-decline"),
    path("deliveries/<int:pk>/withdraw/", deliveries.withdraw, name="delivery-request-withdraw"),
]
