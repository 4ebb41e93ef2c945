from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from crownline.api import api
from crownline.catalog import urls as catalog_pages
from crownline.customers import urls as customer_pages
from crownline.tenancy import urls as lab_pages
from crownline.tenancy.views import switch_lab

# The lab admin's pages of three apps, under one prefix and one namespace ("lab:team", ...).
LAB_PAGES = (lab_pages.urlpatterns + catalog_pages.urlpatterns + customer_pages.urlpatterns, "lab")

urlpatterns = [
    # The front door is the order list (which asks to sign in first).
    path("", RedirectView.as_view(pattern_name="orders:list", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("lab/switch/", switch_lab, name="switch-lab"),
    path("lab/", include(LAB_PAGES)),
    path("orders/", include("crownline.orders.urls")),
    path("", include("crownline.workplan.urls")),
    path("", include("crownline.documents.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
