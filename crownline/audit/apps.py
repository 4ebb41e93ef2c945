from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "crownline.audit"
    label = "audit"
