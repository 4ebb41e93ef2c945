from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "crownline.schedule"
    label = "schedule"
    verbose_name = "Work schedule and due dates"
