"""Reading pages of the network app (see urls.py): my discussions, subscriptions, read marks."""

from django.urls import path

from .views import reading

urlpatterns = [
    path("mine/", reading.mine, name="mine"),
    path(
        "spaces/<int:pk>/subscription/",
        reading.space_subscription,
        name="space-subscription",
    ),
    path("spaces/<int:pk>/mark-read/", reading.space_mark_read, name="space-mark-read"),
]
