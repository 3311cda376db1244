"""factory_boy factories for the partnership app."""

from __future__ import annotations

import datetime as dt

import factory

from joinedup.partnership.models import (
    Employment,
    Grade,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRoleGrant,
    Person,
)

TEST_PASSWORD = "correct horse battery staple"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    region = "London"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.VCSE
    headcount = 100


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = dt.date(2024, 4, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Grade {n}")
    seniority = 4


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Officer"
    work_email = factory.LazyAttribute(lambda o: o.person.email)
    start_date = dt.date(2022, 1, 10)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")


class OrganisationRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationRoleGrant

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "org_admin"


class PartnershipRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipRoleGrant

    person = factory.SubFactory(PersonFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = "partnership_lead"
