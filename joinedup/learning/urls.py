from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.catalogue_list, name="catalogue"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("runs/<int:pk>/", views.run, name="run"),
]
