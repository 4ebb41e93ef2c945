from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "crownline.files"
    label = "files"
    verbose_name = "Files on orders"

    def ready(self) -> None:
        # Django's way to connect signal receivers once the models are loaded: copies and
        # remakes of an order take the chosen files along.
        from . import receivers  # noqa: F401
