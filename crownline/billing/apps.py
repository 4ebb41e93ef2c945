from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "crownline.billing"
    label = "billing"
    verbose_name = "Billing: invoices, credit notes, balances, statements"
