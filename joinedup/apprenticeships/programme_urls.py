"""programme pages of the apprenticeships app (see urls.py): the partnership's programmes, a
programme and a cohort, and the programme leaders' forms for programmes, modules, assignments,
staff and cohorts."""

from django.urls import path

from .views import programmes as views

urlpatterns: list = [
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/modules/new/", views.module_new, name="module_new"),
    path("programmes/<int:pk>/staff/", views.programme_staff, name="programme_staff"),
    path("programmes/<int:pk>/cohorts/new/", views.cohort_new, name="cohort_new"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("modules/<int:pk>/move/", views.module_move, name="module_move"),
    path("modules/<int:pk>/remove/", views.module_remove, name="module_remove"),
    path("modules/<int:pk>/assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("programme-staff/<int:pk>/remove/", views.staff_remove, name="staff_remove"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/remove/", views.cohort_remove, name="cohort_remove"),
]
