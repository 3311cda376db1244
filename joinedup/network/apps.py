from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "joinedup.network"
    verbose_name = "Learning together"
