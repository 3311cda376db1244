"""Public pages of the network app (see urls.py): open to anyone under /network/public/."""

from django.urls import path

from .views import public

urlpatterns = [
    path("public/initiatives/", public.public_initiatives, name="public-initiatives"),
    path("public/initiatives/<int:pk>/", public.public_initiative, name="public-initiative"),
    path("public/open-data/initiatives.csv", public.open_data_csv, name="open-data-csv"),
    path("public/open-data/initiatives.json", public.open_data_json, name="open-data-json"),
]
