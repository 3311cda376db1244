from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "joinedup.partnership"
    verbose_name = "Partnership"
