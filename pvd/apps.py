from django.apps import AppConfig


class PvdConfig(AppConfig):
    name = "pvd"
    verbose_name = "Petites villes de demain"
