from django.apps import AppConfig


class LevyConfig(AppConfig):
    name = "joinedup.levy"
    verbose_name = "Apprenticeship levy"
