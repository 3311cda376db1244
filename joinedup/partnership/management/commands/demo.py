"""`joinedup demo`: load the demo partnership (idempotent) and print one sign-in per persona."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from joinedup.partnership.demo import DemoRefused, build_demo


class Command(BaseCommand):
    help = 'Load the demo partnership "West and North London"; running it again changes nothing.'

    def handle(self, *args, **options) -> None:
        try:
            result = build_demo()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        added = {name: count for name, count in result.created.items() if count}
        if added:
            summary = ", ".join(f"{count:,} {name}" for name, count in added.items())
            self.stdout.write(f"Demo loaded: {summary}.")
        else:
            self.stdout.write("Demo already loaded: nothing to add.")
        self.stdout.write("Sign in at /accounts/login/ as any of these demo personas:\n")
        self.stdout.write(self.table(result.logins))

    @staticmethod
    def table(logins) -> str:
        rows = [("Persona", "E-mail", "Password", "Organisation")] + [
            (login.persona, login.email, login.password, login.organisation) for login in logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(line.rstrip() for line in lines)
