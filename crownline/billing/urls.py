"""The billing pages under /billing/ (namespace "billing")."""

from crownline.billing.views import balances, invoices

app_name = "billing"
urlpatterns = invoices.urlpatterns + balances.urlpatterns
