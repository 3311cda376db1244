from django.apps import AppConfig


class ApprenticeshipsConfig(AppConfig):
    name = "joinedup.apprenticeships"
    verbose_name = "Apprenticeships"

    def ready(self) -> None:
        # The levy's commitment page links to the enrolment without importing this app.
        from joinedup.levy import commitment_events

        from . import payments

        commitment_events.register_link(payments.enrolment_link)
