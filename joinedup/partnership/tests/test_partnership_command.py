"""`joinedup partnership create`: a partnership, its lead's organisation and its first lead."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from joinedup.partnership.models import (
    AuditEvent,
    Employment,
    Organisation,
    Partnership,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
    Sector,
)
from joinedup.partnership.tests.factories import (
    TEST_PASSWORD,
    EmploymentFactory,
    OrganisationFactory,
    PersonFactory,
)

GOOD = {
    "--name": "West and North London",
    "--region": "London",
    "--description": "Public services of west and north London.",
    "--lead-email": "Paula.Lead@ICB.test",
    "--lead-given-name": "Paula",
    "--lead-family-name": "Lead",
    "--organisation-name": "NHS West and North London Integrated Care Board",
    "--organisation-kind": "integrated_care_board",
    "--organisation-code": "z9b2z",
}


def argv(**changes: str) -> list[str]:
    options = GOOD | {f"--{key.replace('_', '-')}": value for key, value in changes.items()}
    return ["partnership", "create", *[part for pair in options.items() for part in pair]]


def create(**changes: str) -> str:
    out = StringIO()
    call_command(*argv(**changes), stdout=out)
    return out.getvalue()


def refused(**changes: str) -> str:
    with pytest.raises(CommandError) as raised:
        create(**changes)
    assert raised.value.returncode == 2
    assert Partnership.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert Person.objects.count() == 0
    return str(raised.value)


def test_create_makes_the_partnership_its_lead_organisation_and_its_lead(db):
    out = create()

    partnership = Partnership.objects.get()
    assert (partnership.name, partnership.region) == ("West and North London", "London")
    organisation = Organisation.objects.get()
    assert organisation.official_code == "Z9B2Z"
    assert organisation.sector == Sector.HEALTH
    assert organisation.memberships.get().partnership == partnership
    lead = Person.objects.get()
    assert lead.email == "paula.lead@icb.test"
    assert Employment.objects.current().filter(person=lead, organisation=organisation).exists()
    assert PartnershipRoleGrant.objects.filter(
        person=lead, partnership=partnership, role=PartnershipRole.PARTNERSHIP_LEAD
    ).exists()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "organisation.created",
        "partnership.created",
    }
    assert "paula.lead@icb.test" in out
    assert re.search(r"/accounts/reset/[\w-]+/[\w-]+/", out)


def test_the_printed_link_lets_the_lead_choose_a_password_once_and_sign_in(db):
    path = re.search(r"(/accounts/reset/[\w-]+/[\w-]+/)", create()).group(1)
    client = Client()

    form = client.get(path, follow=True)
    assert "Choose a new password" in form.text
    new_password = "a long and unusual passphrase 42"
    saved = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert saved.status_code == 302

    assert "expired or was already used" in Client().get(path, follow=True).text
    signed_in = Client().post(
        "/accounts/login/", {"username": "paula.lead@icb.test", "password": new_password}
    )
    assert signed_in.status_code == 302
    assert signed_in.url == "/"


def test_a_lead_who_already_has_an_account_keeps_it_and_their_password(db):
    existing = PersonFactory(email="paula.lead@icb.test")
    EmploymentFactory(person=existing, organisation=OrganisationFactory())

    out = create()

    assert Person.objects.get() == existing
    assert "already have a password" in out
    assert "/accounts/reset/" not in out
    existing.refresh_from_db()
    assert existing.check_password(TEST_PASSWORD)


def test_an_unknown_organisation_kind_is_refused_naming_the_flag_and_the_kinds(db):
    message = refused(organisation_kind="icb")
    assert message.startswith("--organisation-kind: 'icb' is not a kind of organisation")
    assert "integrated_care_board" in message
    assert "\n" not in message


def test_an_official_code_that_does_not_fit_the_kind_is_refused(db):
    message = refused(organisation_kind="london_borough", organisation_code="E0900")
    assert message == "--organisation-code: Enter an ONS GSS code such as E09000005"


def test_an_official_code_another_organisation_has_is_refused_and_nothing_is_written(db):
    OrganisationFactory(name="Existing", kind="integrated_care_board", official_code="Z9B2Z")
    with pytest.raises(CommandError, match="--organisation-code: Another organisation") as raised:
        create()
    assert raised.value.returncode == 2
    assert Partnership.objects.count() == 0
    assert Organisation.objects.count() == 1
    assert Person.objects.count() == 0


def test_a_partnership_name_already_taken_is_refused(db):
    create()
    with pytest.raises(CommandError, match="--name: a partnership called") as raised:
        create(name="west and north london", organisation_code="")
    assert raised.value.returncode == 2
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"lead_email": "not-an-address"},
            "--lead-email: 'not-an-address' is not an e-mail address",
        ),
        ({"name": "  "}, "--name: enter a value"),
        ({"lead_family_name": ""}, "--lead-family-name: enter a value"),
        ({"organisation_name": " "}, "--organisation-name: enter a value"),
    ],
)
def test_blank_names_and_bad_addresses_are_refused(db, changes, message):
    assert refused(**changes) == message


def test_bad_input_from_the_console_is_one_line_and_exit_status_two(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "joinedup.cli", *argv(organisation_kind="icb")],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("CommandError: --organisation-kind: 'icb' is not a kind")
