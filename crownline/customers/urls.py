"""The lab admin's customers page (under /lab/, namespace "lab": see crownline/urls.py)."""

from django.urls import path

from crownline.customers import views

urlpatterns = [
    path("customers/", views.customer_list, name="customers"),
    path("customers/<int:customer_id>/", views.customer_edit, name="customer-edit"),
]
