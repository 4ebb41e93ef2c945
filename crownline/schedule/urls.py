"""The work schedule pages, under /lab/ in the "lab" namespace (crownline/urls.py)."""

urlpatterns: list = []
