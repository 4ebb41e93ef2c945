from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "crownline.orders"
    label = "orders"
