"""The lab admin's pages of the lab itself; crownline/urls.py puts them, with the catalogue's and
the customers' pages, under /lab/ in the "lab" namespace."""

from django.urls import path

from crownline.tenancy import views

urlpatterns = [
    path("settings/", views.lab_settings, name="settings"),
    path("team/", views.team, name="team"),
    path("team/<int:user_id>/active/", views.set_active, name="member-active"),
]
