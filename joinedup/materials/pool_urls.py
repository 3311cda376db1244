"""The trainer pool: opting in, availability and searching the pool.

Included in the app's urls.py, so names are in its namespace.
"""

from django.urls import URLPattern, path

from .views import pool

urlpatterns: list[URLPattern] = [
    path("trainers/", pool.search, name="pool"),
    path("trainers/my-offer/", pool.offer, name="pool-offer"),
    path("trainers/my-offer/leave/", pool.leave, name="pool-leave"),
    path("trainers/my-offer/dates/", pool.availability_add, name="pool-availability-add"),
    path(
        "trainers/my-offer/dates/<int:pk>/remove/",
        pool.availability_remove,
        name="pool-availability-remove",
    ),
]
