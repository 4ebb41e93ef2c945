from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    name = "crownline.outsourcing"
    label = "outsourcing"
    verbose_name = "Outsourcing to partner labs"

    def ready(self) -> None:
        # Django's way to connect signal receivers once the models are loaded: the sender's order
        # follows its partner order's moves (orders.signals.status_moved).
        from . import receivers  # noqa: F401
