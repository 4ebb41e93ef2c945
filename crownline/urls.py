from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from crownline.api import api

urlpatterns = [
    # Until the pages exist, the front door is the interactive API documentation.
    path("", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
