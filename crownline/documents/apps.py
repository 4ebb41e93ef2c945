from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "crownline.documents"
    label = "documents"
    verbose_name = "Printed documents"
