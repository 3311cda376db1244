"""`joinedup schedule_reviews`: make the missing progress review rows of every live enrolment (for
enrolments that started before reviews were scheduled; the daily job does the same)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from joinedup.apprenticeships.reviews import schedule_all


class Command(BaseCommand):
    help = "Make the missing progress review rows of every live apprenticeship enrolment."

    def handle(self, *args, **options) -> None:
        added = schedule_all()
        self.stdout.write(f"Added {added} progress reviews.")
