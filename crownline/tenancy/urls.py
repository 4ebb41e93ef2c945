from django.urls import path

from crownline.catalog import views as catalog
from crownline.customers import views as customers
from crownline.tenancy import admin_views

app_name = "lab"

urlpatterns = [
    path("settings/", admin_views.lab_settings, name="settings"),
    path("team/", admin_views.team, name="team"),
    path("team/<int:user_id>/active/", admin_views.set_active, name="member-active"),
    path("services/", catalog.service_list, name="services"),
    path("services/new/", catalog.service_form, name="service-new"),
    path("services/<int:service_id>/", catalog.service_form, name="service-edit"),
    path("customers/", customers.customer_list, name="customers"),
]
