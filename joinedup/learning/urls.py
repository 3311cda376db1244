from django.urls import path

from .views import booking, calendar

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
    path("bookings/<int:pk>/calendar.ics", calendar.booking_calendar, name="booking-calendar"),
    path("mine/calendar/", calendar.calendar_feed_page, name="calendar-feed-page"),
    path("mine/calendar/new/", calendar.create_calendar_feed, name="create-calendar-feed"),
    path("mine/calendar/revoke/", calendar.revoke_calendar_feed, name="revoke-calendar-feed"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
