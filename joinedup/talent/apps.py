from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "joinedup.talent"
    verbose_name = "Talent"
