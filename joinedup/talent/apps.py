from django.apps import AppConfig
from django.db.models.signals import post_save


class TalentConfig(AppConfig):
    name = "joinedup.talent"
    verbose_name = "Talent"

    def ready(self) -> None:
        from joinedup.partnership.models import Employment

        from .profile_sync import on_employment_saved

        post_save.connect(on_employment_saved, sender=Employment, dispatch_uid="talent-profile")
