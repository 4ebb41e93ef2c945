"""The lab admin's catalogue pages (under /lab/, namespace "lab": see crownline/urls.py)."""

from django.urls import path

from crownline.catalog import views

urlpatterns = [
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_form, name="service-new"),
    path("services/<int:service_id>/", views.service_form, name="service-edit"),
]
