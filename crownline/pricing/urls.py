"""The lab admin's pricing pages (under /lab/, namespace "lab": see crownline/urls.py)."""

from django.urls import path

from crownline.pricing import views

urlpatterns = [
    path("pricebooks/", views.pricebook_list, name="pricebooks"),
    path("pricebooks/new/", views.pricebook_form, name="pricebook-new"),
    path("pricebooks/<int:pricebook_id>/", views.pricebook_form, name="pricebook-edit"),
    path("pricebooks/<int:pricebook_id>/delete/", views.pricebook_delete, name="pricebook-delete"),
    path("rates/", views.rates, name="rates"),
]
