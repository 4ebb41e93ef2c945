from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    name = "crownline.outsourcing"
    label = "outsourcing"
    verbose_name = "Outsourcing to partner labs"
