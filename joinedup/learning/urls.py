from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.catalogue_list, name="catalogue"),
    path("mine/", views.my_learning, name="my-learning"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/book/", views.book, name="book"),
    path("bookings/<int:pk>/cancel/", views.cancel_booking, name="cancel-booking"),
    path("bookings/<int:pk>/accept/", views.accept_offer, name="accept-offer"),
    path("bookings/<int:pk>/decline/", views.decline_offer, name="decline-offer"),
]
