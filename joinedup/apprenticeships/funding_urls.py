"""funding pages of the apprenticeships app (see urls.py)."""

urlpatterns: list = []
