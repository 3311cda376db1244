from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ApprenticeshipsConfig(AppConfig):
    name = "joinedup.apprenticeships"
    verbose_name = "Apprenticeships"

    def ready(self) -> None:
        # The levy's commitment page links to the enrolment without importing this app.
        from joinedup.levy import commitment_events
        from joinedup.partnership.access import allow_sign_in_without_employment

        from . import assessments, payments, reference

        commitment_events.register_link(payments.enrolment_link)
        allow_sign_in_without_employment(assessments.may_sign_in_without_employment)
        post_migrate.connect(reference.load, sender=self)
