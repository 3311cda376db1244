"""Gateway pages of the apprenticeships app (see urls.py), by the enrolment's id."""

from django.urls import path

from .views import gateway

urlpatterns = [
    path("enrolments/<int:pk>/gateway/", gateway.page, name="gateway"),
    path("enrolments/<int:pk>/gateway/agree/", gateway.agree, name="gateway_agree"),
]
