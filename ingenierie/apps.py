from django.apps import AppConfig


class IngenierieConfig(AppConfig):
    name = "ingenierie"
    verbose_name = "Ingénierie"
