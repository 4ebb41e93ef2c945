from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "crownline.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from crownline.tenancy import callers  # noqa: F401  (its receivers forget cached callers)
