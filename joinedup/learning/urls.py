from django.urls import path

from .views import attendance, booking, calendar, host, team

app_name = "learning"

urlpatterns = [
    path("", booking.catalogue_list, name="catalogue"),
    path("mine/", booking.my_learning, name="my-learning"),
    path("team/", team.my_team, name="my-team"),
    path("team/approvals/", team.approvals, name="approvals"),
    path("team/completions/", team.completions, name="completions"),
    path("programmes/<int:pk>/", booking.programme, name="programme"),
    path("runs/<int:pk>/", booking.run, name="run"),
    path("runs/<int:pk>/book/", booking.book, name="book"),
    path("bookings/<int:pk>/cancel/", booking.cancel_booking, name="cancel-booking"),
    path("bookings/<int:pk>/accept/", booking.accept_offer, name="accept-offer"),
    path("bookings/<int:pk>/decline/", booking.decline_offer, name="decline-offer"),
    path("runs/<int:pk>/book-for-team/", team.book_for_report, name="book-for-team"),
    path("bookings/<int:pk>/approve/", team.approve_booking, name="approve-booking"),
    path("bookings/<int:pk>/decline-request/", team.decline_request, name="decline-request"),
    path("bookings/<int:pk>/calendar.ics", calendar.booking_calendar, name="booking-calendar"),
    path("mine/calendar/", calendar.calendar_feed_page, name="calendar-feed-page"),
    path("mine/calendar/new/", calendar.create_calendar_feed, name="create-calendar-feed"),
    path("mine/calendar/revoke/", calendar.revoke_calendar_feed, name="revoke-calendar-feed"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path("runs/<int:pk>/attendance/", attendance.run_attendance, name="run-attendance"),
    path("sessions/<int:pk>/attendance/", attendance.session_register, name="session-register"),
    path("runs/<int:pk>/outcomes/", attendance.record_outcomes, name="record-outcomes"),
    path("runs/<int:pk>/evaluations/", attendance.evaluations, name="run-evaluations"),
    path("bookings/<int:pk>/complete/", attendance.report_completion, name="report-completion"),
    path("bookings/<int:pk>/certificate/", attendance.certificate, name="certificate"),
    path("bookings/<int:pk>/evaluate/", attendance.evaluate, name="evaluate"),
    path("manage/", host.manage, name="manage"),
    path("manage/programmes/new/", host.programme_new, name="programme-new"),
    path("programmes/<int:pk>/edit/", host.programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/runs/new/", host.run_new, name="run-new"),
    path("runs/<int:pk>/manage/", host.run_manage, name="run-manage"),
    path("runs/<int:pk>/edit/", host.run_edit, name="run-edit"),
    path("runs/<int:pk>/cancel/", host.run_cancel, name="run-cancel"),
    path("runs/<int:pk>/release/", host.run_release, name="run-release"),
    path("releases/", host.release_log, name="release-log"),
]
