from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from crownline.accounts.views.signin import SignInView, sign_in_code
from crownline.api import api
from crownline.catalog import urls as catalog_pages
from crownline.customers import urls as customer_pages
from crownline.invitations import urls as invitation_pages
from crownline.pricing import urls as pricing_pages
from crownline.schedule import urls as schedule_pages
from crownline.tenancy import urls as lab_pages
from crownline.tenancy.views import switch_lab

# The lab admin's pages of four apps, under one prefix and one namespace ("lab:team", ...).
LAB_PAGES = (lab_pages.urlpatterns + catalog_pages.urlpatterns + customer_pages.urlpatterns
             + pricing_pages.urlpatterns + schedule_pages.urlpatterns
             + invitation_pages.lab_urlpatterns, "lab")

# Django's body limits (too many fields or files, too much in memory) answered with their reason.
handler400 = "crownline.bodylimit.refused_body"

urlpatterns = [
    # The front door is the order list (which asks to sign in first).
    path("", RedirectView.as_view(pattern_name="orders:list", permanent=False)),
    # Signing in: the password, then the two-factor code when the login has one (before Django's
    # own auth URLs, whose sign-out and password-reset pages stay).
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/login/code/", sign_in_code, name="login-code"),
    path("accounts/password_change/", RedirectView.as_view(pattern_name="account:password", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", include("crownline.accounts.urls")),
    path("lab/switch/", switch_lab, name="switch-lab"),
    path("lab/", include(LAB_PAGES)),
    # Public: the page an invitation link opens, and a lab's open registration page.
    path("", include(invitation_pages)),
    path("orders/", include("crownline.orders.urls")),
    path("orders/", include("crownline.files.urls")),
    path("", include("crownline.outsourcing.urls")),
    path("billing/", include("crownline.billing.urls")),
    path("", include("crownline.workplan.urls")),
    path("", include("crownline.documents.urls")),
    # The admin's own sign-in asks for the password only: send it through ours, with the code step.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True, permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
