from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "crownline.demo"
    label = "demo"
