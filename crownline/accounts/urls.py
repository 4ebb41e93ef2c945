"""The signed-in person's own pages, under /account/ (crownline/urls.py adds the sign-in steps)."""

from django.urls import path

from crownline.accounts.views import security, tokens

app_name = "account"

urlpatterns = [
    path("security/", security.security, name="security"),
    path("security/setup/", security.setup, name="setup"),
    path("security/off/", security.turn_off, name="two-factor-off"),
    path("security/recovery-codes/", security.new_recovery_codes, name="recovery-codes"),
    path("password/", security.PasswordChange.as_view(), name="password"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke, name="revoke-token"),
]
