from django.apps import AppConfig

# Registers the deployment check on import (Django's checks framework), like the admin module.
from crownline.audit import checks  # noqa: F401


class AuditConfig(AppConfig):
    name = "crownline.audit"
    label = "audit"
