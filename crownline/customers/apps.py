from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "crownline.customers"
    label = "customers"
