"""Standard pages of the apprenticeships app (see urls.py): the list, a standard, and for those
who may edit standards its details, its KSBs and the KSB import."""

from django.urls import path

from .views import standards

urlpatterns = [
    path("standards/", standards.standard_list, name="standards"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard"),
    path("standards/<int:pk>/edit/", standards.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/ksbs/new/", standards.ksb_add, name="ksb_add"),
    path("standards/<int:pk>/ksbs/<int:ksb_pk>/edit/", standards.ksb_edit, name="ksb_edit"),
    path("standards/<int:pk>/ksbs/<int:ksb_pk>/delete/", standards.ksb_delete, name="ksb_delete"),
    path("standards/<int:pk>/ksbs/import/", standards.ksb_import, name="ksb_import"),
    path(
        "standards/<int:pk>/ksbs/import/template.csv",
        standards.ksb_import_template,
        name="ksb_import_template",
    ),
]
