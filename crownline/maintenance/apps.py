from django.apps import AppConfig, apps
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(sender: AppConfig, using: str, verbosity: int = 1, **kwargs: object) -> None:
    """`createcachetable` after every `migrate`, so that `crownline migrate` alone gives the database
    cache its table (a no-op when it exists, or when the cache is Redis)."""
    # post_migrate comes once per app with models; the table is made once, after the last of them.
    if sender is not [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        return
    call_command("createcachetable", database=using, verbosity=verbosity)


class MaintenanceConfig(AppConfig):
    name = "crownline.maintenance"
    label = "maintenance"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, dispatch_uid="crownline-create-cache-table")
