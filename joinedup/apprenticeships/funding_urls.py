"""funding pages of the apprenticeships app (see urls.py): the rules table, adding a dated rule,
and the funding check."""

from django.urls import path

from .views import funding

urlpatterns: list = [
    path("funding/rules/", funding.funding_rules, name="funding_rules"),
    path("funding/rules/new/", funding.funding_rule_new, name="funding_rule_new"),
    path("funding/check/", funding.funding_check, name="funding_check"),
]
