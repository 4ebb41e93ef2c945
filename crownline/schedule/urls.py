"""The work schedule pages, under /lab/ in the "lab" namespace (crownline/urls.py)."""

from django.urls import path

from crownline.schedule import views

urlpatterns: list = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/exceptions/", views.add_exception, name="schedule-exception"),
    path("schedule/exceptions/<int:exception_id>/delete/", views.delete_exception, name="schedule-exception-delete"),
]
