from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "crownline.catalog"
    label = "catalog"
