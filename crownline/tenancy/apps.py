from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "crownline.tenancy"
    label = "tenancy"
