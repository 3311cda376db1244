from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "joinedup.materials"
    verbose_name = "Materials"
