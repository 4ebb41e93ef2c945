from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "crownline.pricing"
    label = "pricing"
    verbose_name = "Prices: pricebooks, tax, exchange rates"
