"""Progress review pages of the apprenticeships app (see urls.py): an enrolment's reviews, one
review, recording and signing it, and the "Reviews due" list."""

from django.urls import path

from .views import reviews

urlpatterns = [
    path("enrolments/<int:pk>/reviews/", reviews.enrolment_reviews, name="reviews"),
    path("reviews/due/", reviews.reviews_due, name="reviews_due"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("reviews/<int:pk>/record/", reviews.record_review, name="record_review"),
    path("reviews/<int:pk>/sign/", reviews.sign_review, name="sign_review"),
]
