from django.urls import path

from .views import booking

app_name = "learning"

urlpatterns = [
    path("", booking.catalogue_list, name="catalogue"),
    path("mine/", booking.my_learning, name="my-learning"),
    path("programmes/<int:pk>/", booking.programme, name="programme"),
    path("runs/<int:pk>/", booking.run, name="run"),
    path("runs/<int:pk>/book/", booking.book, name="book"),
    path("bookings/<int:pk>/cancel/", booking.cancel_booking, name="cancel-booking"),
    path("bookings/<int:pk>/accept/", booking.accept_offer, name="accept-offer"),
    path("bookings/<int:pk>/decline/", booking.decline_offer, name="decline-offer"),
]
