"""Learning review and adoption pages of the network app (see urls.py)."""

from django.urls import path

from .views import reviews

urlpatterns = [
    path("initiatives/<int:pk>/reviews/new/", reviews.review_new, name="review-new"),
    path("reviews/<int:pk>/edit/", reviews.review_edit, name="review-edit"),
    path("initiatives/<int:pk>/adoptions/new/", reviews.adoption_new, name="adoption-new"),
    path("adoptions/<int:pk>/edit/", reviews.adoption_edit, name="adoption-edit"),
]
