from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "crownline.idempotency"
    label = "idempotency"
