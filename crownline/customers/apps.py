from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "crownline.customers"
    label = "customers"

    def ready(self) -> None:
        from crownline.customers import callers  # noqa: F401  (its receivers forget cached callers)
