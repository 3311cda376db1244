from django.apps import AppConfig
from django.db.models.signals import post_save


class NetworkConfig(AppConfig):
    name = "joinedup.network"
    verbose_name = "Learning together"

    def ready(self) -> None:
        # `learning` imports nothing from `network`, so the network app listens: a run's space
        # follows its bookings and trainer (the job in jobs.py catches bulk updates).
        from joinedup.learning.models import Booking, Run

        from .spaces import on_booking_saved, on_run_saved

        post_save.connect(
            on_booking_saved, sender=Booking, dispatch_uid="network-run-space-booking"
        )
        post_save.connect(on_run_saved, sender=Run, dispatch_uid="network-run-space-run")
