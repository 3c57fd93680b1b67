from django.apps import AppConfig


class PatioConfig(AppConfig):
    name = "patio"
    verbose_name = "Patio"
