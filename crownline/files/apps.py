from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "crownline.files"
    label = "files"
    verbose_name = "Files on orders"
