from django.apps import AppConfig


class ApprenticeshipsConfig(AppConfig):
    name = "joinedup.apprenticeships"
    verbose_name = "Apprenticeships"
