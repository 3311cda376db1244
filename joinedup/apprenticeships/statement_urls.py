"""Commitment statement pages of the apprenticeships app (see urls.py): a version, signing it, and
downloading it as HTML or PDF."""

from django.urls import path

from .views import statements

urlpatterns: list = [
    path("statements/<int:pk>/", statements.statement_detail, name="statement"),
    path("statements/<int:pk>/sign/", statements.sign_statement, name="sign_statement"),
    path("statements/<int:pk>/download.html", statements.statement_html, name="statement_html"),
    path("statements/<int:pk>/download.pdf", statements.statement_pdf, name="statement_pdf"),
]
