"""Working-day calendar pages of the apprenticeships app (see urls.py): the bank holidays, and
the acting organisation's closure days."""

from django.urls import path

from .views import calendar

urlpatterns: list = [
    path("calendar/bank-holidays/", calendar.bank_holidays, name="bank_holidays"),
    path("calendar/bank-holidays/new/", calendar.bank_holiday_new, name="bank_holiday_new"),
    path(
        "calendar/bank-holidays/<int:pk>/remove/",
        calendar.bank_holiday_remove,
        name="bank_holiday_remove",
    ),
    path("calendar/closure-days/", calendar.closure_days, name="closure_days"),
    path("calendar/closure-days/new/", calendar.closure_day_new, name="closure_day_new"),
    path(
        "calendar/closure-days/<int:pk>/remove/",
        calendar.closure_day_remove,
        name="closure_day_remove",
    ),
]
