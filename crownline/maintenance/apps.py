from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "crownline.maintenance"
    label = "maintenance"
