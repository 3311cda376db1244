from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LevyConfig(AppConfig):
    name = "joinedup.levy"
    verbose_name = "Apprenticeship levy"

    def ready(self) -> None:
        from . import default_rules

        post_migrate.connect(default_rules.load, sender=self)
