from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ApprenticeshipsConfig(AppConfig):
    name = "joinedup.apprenticeships"
    verbose_name = "Apprenticeships"

    def ready(self) -> None:
        # The levy's commitment page links to the enrolment without importing this app.
        from joinedup.levy import commitment_events

        from . import payments, reference

        commitment_events.register_link(payments.enrolment_link)
        post_migrate.connect(reference.load, sender=self)
