from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "crownline.workplan"
    label = "workplan"

    def ready(self) -> None:
        # Django's way to connect signal receivers once the models are loaded (they cannot be
        # imported before): the work plan answers the orders layer's signals.
        from . import receivers  # noqa: F401
