"""The demo partnership "West and North London": real organisations, fictional staff.

`build_demo()` creates whatever of the plan in `demo_plan` is missing, matching rows by stable keys
(official code, e-mail address, employee number), so running it again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule

from .demo_plan import (
    DEMO_PASSWORD,
    JOINED_PARTNERSHIP,
    PARTNERSHIP_REGIONS,
    PERSONAS,
    DemoPlan,
    EmploymentPlan,
    make_plan,
)
from .models import (
    SECTOR_OF_KIND,
    EmailAddress,
    Employment,
    Grade,
    Membership,
    Organisation,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRoleGrant,
    Person,
)
from .workforce import WORKFORCE_OF_KIND

BATCH = 1000


class DemoRefused(Exception):
    """The demo must never be loaded into a production installation."""


@dataclass(frozen=True)
class DemoLogin:
    persona: str
    email: str
    password: str
    organisation: str


@dataclass
class DemoResult:
    created: dict[str, int]  # rows created, by model
    logins: list[DemoLogin]


class _Loader:
    """Creates the rows of a plan that are missing, found by their stable keys."""

    def __init__(self, plan: DemoPlan) -> None:
        self.plan = plan
        self.created: dict[str, int] = {}

    def create(self, label: str, model: type[models.Model], rows: list) -> None:
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.created[label] = len(rows)

    def partnerships(self) -> dict[str, Partnership]:
        found = {p.name: p for p in Partnership.objects.filter(name__in=PARTNERSHIP_REGIONS)}
        self.create(
            "partnerships",
            Partnership,
            [
                Partnership(name=name, region=region, description=f"Demo partnership ({region}).")
                for name, region in PARTNERSHIP_REGIONS.items()
                if name not in found
            ],
        )
        return {p.name: p for p in Partnership.objects.filter(name__in=PARTNERSHIP_REGIONS)}

    def organisations(self) -> dict[str, Organisation]:
        plans = self.plan.organisations
        codes = [o.official_code for o in plans if o.official_code]
        fictional = [o.name for o in plans if o.is_fictional]

        def found() -> dict[str, Organisation]:
            by_code = Organisation.objects.filter(official_code__in=codes)
            by_name = Organisation.objects.filter(is_fictional=True, name__in=fictional)
            return {o.official_code: o for o in by_code} | {o.name: o for o in by_name}

        existing = found()
        headcount = defaultdict(int)
        for employment in self.plan.employments:
            if employment.end_date is None:
                headcount[employment.organisation] += 1
        self.create(
            "organisations",
            Organisation,
            [
                Organisation(
                    name=o.name,
                    kind=o.kind,
                    sector=SECTOR_OF_KIND[o.kind],
                    official_code=o.official_code,
                    is_levy_payer=o.is_levy_payer,
                    is_fictional=o.is_fictional,
                    headcount=headcount[o.key],
                )
                for o in plans
                if o.key not in existing
            ],
        )
        return found()

    def memberships(
        self, partnerships: dict[str, Partnership], orgs: dict[str, Organisation]
    ) -> None:
        # Any membership counts, ended or not: a membership the lead ended stays ended.
        existing = set(
            Membership.objects.filter(organisation__in=orgs.values()).values_list(
                "partnership_id", "organisation_id"
            )
        )
        wanted = [(partnerships[o.partnership], orgs[o.key]) for o in self.plan.organisations]
        self.create(
            "memberships",
            Membership,
            [
                Membership(partnership=p, organisation=o, joined_on=JOINED_PARTNERSHIP)
                for p, o in wanted
                if (p.pk, o.pk) not in existing
            ],
        )

    def grades(self, orgs: dict[str, Organisation]) -> dict[tuple[int, str], int]:
        existing = set(
            Grade.objects.filter(organisation__in=orgs.values()).values_list(
                "organisation_id", "name"
            )
        )
        self.create(
            "grades",
            Grade,
            [
                Grade(organisation=orgs[o.key], name=name, seniority=seniority)
                for o in self.plan.organisations
                for name, seniority in WORKFORCE_OF_KIND[o.kind].grades.items()
                if (orgs[o.key].pk, name) not in existing
            ],
        )
        rows = Grade.objects.filter(organisation__in=orgs.values()).values_list(
            "organisation_id", "name", "pk"
        )
        return {(organisation_id, name): pk for organisation_id, name, pk in rows}

    def people(self) -> dict[str, int]:
        emails = [p.email for p in self.plan.people]
        existing = set(Person.objects.filter(email__in=emails).values_list("email", flat=True))
        persona_hash = make_password(DEMO_PASSWORD)
        self.create(
            "people",
            Person,
            [
                Person(
                    email=p.email,
                    given_name=p.given_name,
                    family_name=p.family_name,
                    password=persona_hash if p.persona else make_password(None),
                )
                for p in self.plan.people
                if p.email not in existing
            ],
        )
        return dict(Person.objects.filter(email__in=emails).values_list("email", "pk"))

    def email_addresses(self, people: dict[str, int]) -> None:
        addresses = {address: p.email for p in self.plan.people for address in p.addresses}
        existing = set(
            EmailAddress.objects.filter(email__in=addresses).values_list("email", flat=True)
        )
        self.create(
            "e-mail addresses",
            EmailAddress,
            [
                EmailAddress(person_id=people[owner], email=address)
                for address, owner in addresses.items()
                if address not in existing
            ],
        )

    def employments(
        self,
        orgs: dict[str, Organisation],
        grades: dict[tuple[int, str], int],
        people: dict[str, int],
    ) -> None:
        numbered = Employment.objects.filter(organisation__in=orgs.values()).exclude(
            employee_number=""
        )
        ids = {
            (org, number): pk
            for org, number, pk in numbered.values_list("organisation_id", "employee_number", "pk")
        }
        new: list[tuple[EmploymentPlan, Employment]] = []
        for e in self.plan.employments:
            organisation = orgs[e.organisation]
            if (organisation.pk, e.employee_number) in ids:
                continue
            destination = orgs[e.destination_organisation] if e.destination_organisation else None
            row = Employment(
                person_id=people[e.person],
                organisation=organisation,
                employee_number=e.employee_number,
                work_email=e.work_email,
                job_title=e.job.title,
                grade_id=grades[(organisation.pk, e.job.grade)],
                seniority=e.seniority,
                kind=e.kind,
                start_date=e.start_date,
                end_date=e.end_date,
                leaving_reason=e.leaving_reason,
                destination=e.destination,
                destination_organisation=destination,
            )
            new.append((e, row))
        self.create("employments", Employment, [row for _, row in new])
        ids |= {(row.organisation.pk, row.employee_number): row.pk for _, row in new}
        # Only new employments get their line manager, so one an admin has changed stays changed.
        managed = []
        for e, row in new:
            if e.line_manager:
                row.line_manager_id = ids.get((row.organisation.pk, e.line_manager))
                managed.append(row)
        Employment.objects.bulk_update(managed, ["line_manager"], batch_size=BATCH)

    def roles(
        self,
        partnerships: dict[str, Partnership],
        orgs: dict[str, Organisation],
        people: dict[str, int],
    ) -> None:
        existing = set(
            OrganisationRoleGrant.objects.filter(organisation__in=orgs.values()).values_list(
                "person_id", "organisation_id", "role"
            )
        )
        self.create(
            "organisation roles",
            OrganisationRoleGrant,
            [
                OrganisationRoleGrant(person_id=people[email], organisation=orgs[key], role=role)
                for email, key, role in self.plan.organisation_roles
                if (people[email], orgs[key].pk, role) not in existing
            ],
        )
        existing = set(
            PartnershipRoleGrant.objects.filter(partnership__in=partnerships.values()).values_list(
                "person_id", "partnership_id", "role"
            )
        )
        self.create(
            "partnership roles",
            PartnershipRoleGrant,
            [
                PartnershipRoleGrant(
                    person_id=people[email], partnership=partnerships[name], role=role
                )
                for email, name, role in self.plan.partnership_roles
                if (people[email], partnerships[name].pk, role) not in existing
            ],
        )

    def run(self) -> None:
        partnerships = self.partnerships()
        orgs = self.organisations()
        self.memberships(partnerships, orgs)
        grades = self.grades(orgs)
        people = self.people()
        self.email_addresses(people)
        self.employments(orgs, grades, people)
        self.roles(partnerships, orgs, people)


def load_app_demo_data() -> dict[str, int]:
    """Call `load()` in every installed app's `demo_data` module; return the rows each created.

    Apps built on the partnership add their demo rows this way, so it never imports them.
    """
    created: dict[str, int] = {}
    for app in apps.get_app_configs():
        if app.name != __package__ and module_has_submodule(app.module, "demo_data"):
            created |= import_module(f"{app.name}.demo_data").load()
    return created


def load_app_demo_logins() -> list[DemoLogin]:
    """The extra sign-ins of apps' demo stories: `logins()` in an app's `demo_data`, if any."""
    logins: list[DemoLogin] = []
    for app in apps.get_app_configs():
        if app.name != __package__ and module_has_submodule(app.module, "demo_data"):
            logins += getattr(import_module(f"{app.name}.demo_data"), "logins", list)()
    return logins


QUIET = {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "NOTIFY_API_KEY": ""}


def build_demo() -> DemoResult:
    """Create whatever of the demo is missing (nothing, the second time); refuse in production."""
    if settings.PRODUCTION:
        raise DemoRefused("The demo is never loaded into a production installation.")
    plan = make_plan()
    loader = _Loader(plan)
    # The services e-mail people as they go, some only once this transaction commits: the
    # demo's fictional staff need no mail, so it is quiet until after the commit.
    with override_settings(**QUIET), transaction.atomic():
        loader.run()
        loader.created |= load_app_demo_data()
    names = {o.key: o.name for o in plan.organisations}
    by_persona = {p.persona: p.email for p in plan.people if p.persona}
    logins = [
        DemoLogin(
            persona.label, by_persona[persona.key], DEMO_PASSWORD, names[persona.organisation]
        )
        for persona in PERSONAS
    ] + load_app_demo_logins()
    return DemoResult(created=loader.created, logins=logins)
