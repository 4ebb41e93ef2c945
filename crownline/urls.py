from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from crownline.api import api
from crownline.tenancy.views import switch_lab

urlpatterns = [
    # The front door is the order list (which asks to sign in first).
    path("", RedirectView.as_view(pattern_name="orders:list", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("lab/switch/", switch_lab, name="switch-lab"),
    path("lab/", include("crownline.tenancy.urls")),
    path("orders/", include("crownline.orders.urls")),
    path("", include("crownline.workplan.urls")),
    path("", include("crownline.documents.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
