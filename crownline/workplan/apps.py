from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "crownline.workplan"
    label = "workplan"
