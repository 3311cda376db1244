"""post pages of the network app (see urls.py)."""

urlpatterns: list = []
