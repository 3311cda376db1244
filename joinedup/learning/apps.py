from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "joinedup.learning"
    verbose_name = "Learning"
