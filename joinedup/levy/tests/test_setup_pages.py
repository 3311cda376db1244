"""The levy account set-up pages, through HTTP: schemes, declarations, the import, commitments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.levy.declaration_file import MAX_BYTES
from joinedup.levy.models import Commitment, CommitmentStatus, Declaration, LedgerEntry, PayeScheme
from joinedup.levy.tests.factories import (
    CommitmentFactory,
    DeclarationFactory,
    LevyAccountFactory,
    PayeSchemeFactory,
)
from joinedup.levy.tests.test_declarations import HEADINGS, year_file
from joinedup.partnership.services import create_personal_token


@pytest.fixture
def account(world):
    account = LevyAccountFactory(organisation=world.own)
    PayeSchemeFactory(account=account, reference="123/AB45678")
    return account


@pytest.fixture
def officer(client_for):
    return client_for("own_levy_officer")


def url(name: str, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk})


def upload(client, account, text: str | bytes, name: str = "declarations.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        url("levy:setup-import", account.pk), {"file": SimpleUploadedFile(name, data)}
    )


def confirm(client, account, response):
    sha256 = response.context["check"].sha256
    return client.post(url("levy:setup-import-confirm", account.pk), {"sha256": sha256})


def test_a_levy_officer_adds_a_scheme_and_sees_it_listed(account, officer):
    response = officer.post(
        url("levy:setup-scheme-add", account.pk), {"reference": "456/cd12345", "name": "Schools"}
    )
    assert response.status_code == 302
    page = officer.get(url("levy:setup", account.pk)).content.decode()
    assert "456/CD12345" in page
    assert "Schools" in page


def test_a_bad_scheme_reference_is_shown_in_the_error_summary(account, officer):
    response = officer.post(url("levy:setup-scheme-add", account.pk), {"reference": "AB45678"})
    assert response.status_code == 200
    assert "is not a PAYE scheme reference" in response.content.decode()
    assert not PayeScheme.objects.filter(reference="AB45678").exists()


def test_an_admin_reads_the_set_up_but_may_not_add_a_scheme(account, client_for):
    admin = client_for("own_admin")
    page = admin.get(url("levy:setup", account.pk))
    assert page.status_code == 200
    assert "Add a PAYE scheme" not in page.content.decode()
    assert admin.get(url("levy:setup-scheme-add", account.pk)).status_code == 403


def test_an_entered_declaration_is_listed_as_used_with_what_it_added(account, officer):
    scheme = account.schemes.get()
    response = officer.post(
        url("levy:setup-declaration-add", account.pk),
        {
            "scheme": scheme.pk,
            "payroll_year": "17-18",
            "payroll_month": "1",
            "levy_due_ytd": "10000",
            "submitted_on_day": "15",
            "submitted_on_month": "5",
            "submitted_on_year": "2017",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Used" in page
    assert "May 2017" in page
    assert "£11,000.00" in page
    assert LedgerEntry.objects.filter(account=account).count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"payroll_month": "13"}, "Choose a payroll month from 1 to 12"),
        ({"payroll_year": "17-19"}, "is not a tax year"),
        ({"levy_due_ytd": ""}, "or tick no payment for period"),
        ({"no_payment": "on"}, "Leave the levy due empty"),
        ({"levy_due_ytd": "-1"}, "never below 0"),
        ({"submitted_on_day": "31", "submitted_on_month": "2"}, "must be a real date"),
    ],
)
def test_a_bad_declaration_is_refused_with_its_message(account, officer, changes, message):
    values = {
        "scheme": account.schemes.get().pk,
        "payroll_year": "17-18",
        "payroll_month": "1",
        "levy_due_ytd": "10000",
        "submitted_on_day": "15",
        "submitted_on_month": "5",
        "submitted_on_year": "2017",
    } | changes
    response = officer.post(url("levy:setup-declaration-add", account.pk), values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_declarations_page_explains_a_late_declaration(account, client_for):
    scheme = account.schemes.get()
    DeclarationFactory(
        scheme=scheme, payroll_year="17-18", payroll_month=1, submitted_on=dt.date(2017, 5, 20)
    )
    page = client_for("partnership_lead").get(
        url("levy:setup-declarations", account.pk), {"scheme": scheme.pk, "year": "17-18"}
    )
    text = page.content.decode()
    assert "Late" in text
    assert "20 May 2017" in text


def test_an_import_is_previewed_then_confirmed_then_the_same_file_adds_nothing(account, officer):
    preview = upload(officer, account, year_file())
    assert preview.status_code == 200
    check = preview.context["check"]
    assert (len(check.new), check.already_recorded) == (12, 0)
    assert "Import 12 declarations" in preview.content.decode()
    assert not Declaration.objects.exists()

    done = confirm(officer, account, preview)
    assert done.status_code == 302
    assert Declaration.objects.count() == 12
    detail = officer.get(done["Location"]).content.decode()
    assert "123/AB45678" in detail

    again = upload(officer, account, year_file())
    assert again.context["check"].earlier_import is not None
    page = again.content.decode()
    assert "This same file was imported on" in page
    assert "importing it again would add nothing" in page
    assert Declaration.objects.count() == 12


def test_a_file_with_problems_lists_each_line_and_saves_nothing(account, officer):
    text = year_file() + "EPS-13,123/AB45678,17-18,13,1,2018-04-15\r\n"
    response = upload(officer, account, text)
    page = response.content.decode()
    assert "The file has 1 problem" in page
    assert "Line 14, payroll_month" in page
    assert "Nothing has been saved" in page
    assert "/import/confirm/" not in page
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"id,scheme\r\nX1,123/AB45678\r\n", "is missing"),
        (b"\xff\xfeid,scheme", "Line 1 is not UTF-8"),
        (HEADINGS.encode() + b"\r\n", "no declarations"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(account, officer, data, message):
    response = upload(officer, account, data)
    assert message in response.content.decode()


def test_an_empty_upload_and_a_file_too_big_are_refused(account, officer):
    assert "The selected file is empty" in upload(officer, account, b"").content.decode()
    big = upload(officer, account, b"x" * (MAX_BYTES + 1)).content.decode()
    assert "must be smaller than 1 MB" in big


def test_confirming_without_a_checked_file_asks_for_it_again(account, officer):
    response = officer.post(url("levy:setup-import-confirm", account.pk), {"sha256": "0" * 64})
    assert response.status_code == 200
    assert "upload it again" in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_template_neutralises_cells_that_a_spreadsheet_would_run(world, client_for):
    account = LevyAccountFactory(organisation=world.own)
    PayeScheme.objects.create(account=account, reference="=1+1")
    response = client_for("own_admin").get(url("levy:setup-import-template", account.pk))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADINGS
    assert "'=1+1" in text


def test_the_export_imports_again_without_adding_anything(account, officer):
    done = confirm(officer, account, upload(officer, account, year_file()))
    assert done.status_code == 302
    exported = officer.get(url("levy:setup-declarations-export", account.pk))
    assert exported["Content-Type"].startswith("text/csv")
    again = upload(officer, account, exported.content, name="export.csv")
    check = again.context["check"]
    assert check.ok
    assert (len(check.new), check.already_recorded) == (0, 12)


def test_the_export_neutralises_an_id_a_spreadsheet_would_run(account, officer):
    DeclarationFactory(scheme=account.schemes.get(), submission_id="=HYPERLINK(1)")
    exported = officer.get(url("levy:setup-declarations-export", account.pk))
    assert "'=HYPERLINK(1)" in exported.content.decode("utf-8-sig")


def test_a_commitment_shows_its_schedule_and_the_employers_excess(world, officer):
    account = LevyAccountFactory(organisation=world.own)
    response = officer.post(
        url("levy:setup-commitment-add", account.pk),
        {
            "reference": "APP-1",
            "provider": "Barnet College",
            "standard": "ST0384",
            "level": "3",
            "start_on_day": "1",
            "start_on_month": "9",
            "start_on_year": "2026",
            "planned_end_on_day": "31",
            "planned_end_on_month": "8",
            "planned_end_on_year": "2027",
            "price": "6000",
            "funding_band": "5000",
        },
        follow=True,
    )
    page = response.content.decode()
    commitment = Commitment.objects.get()
    assert commitment.standard_title == "Team leader / supervisor"
    assert "Instalment 1 of 12" in page
    assert "£333.33" in page
    assert "Completion payment" in page
    assert "£1,000.00 above the funding band" in page
    assert "£5,000.00" in page


def test_a_commitment_with_a_bad_end_date_is_refused_on_that_field(world, officer):
    account = LevyAccountFactory(organisation=world.own)
    response = officer.post(
        url("levy:setup-commitment-add", account.pk),
        {
            "reference": "APP-1",
            "provider": "Barnet College",
            "standard": "ST0384",
            "level": "3",
            "start_on_day": "1",
            "start_on_month": "9",
            "start_on_year": "2026",
            "planned_end_on_day": "1",
            "planned_end_on_month": "8",
            "planned_end_on_year": "2026",
            "price": "6000",
            "funding_band": "5000",
        },
    )
    assert "The planned end date must be after the start" in response.content.decode()
    assert not Commitment.objects.exists()


def test_the_levy_officer_stops_a_commitment(world, officer):
    commitment = CommitmentFactory(account=LevyAccountFactory(organisation=world.own))
    response = officer.post(
        url("levy:setup-commitment-end", commitment.pk), {"status": CommitmentStatus.STOPPED}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.STOPPED
    assert commitment.price == Decimal("14000")


def test_the_declarations_list_takes_the_same_number_of_queries_for_more_rows(account, officer):
    scheme = account.schemes.get()
    target = url("levy:setup-declarations", account.pk)
    query = {"scheme": scheme.pk, "year": "17-18"}
    DeclarationFactory(scheme=scheme, payroll_year="17-18", payroll_month=1)
    with CaptureQueriesContext(connection) as one:
        officer.get(target, query)
    for month in range(2, 13):
        DeclarationFactory(scheme=scheme, payroll_year="17-18", payroll_month=month)
    with CaptureQueriesContext(connection) as twelve:
        page = officer.get(target, query)
    assert len(page.context["lines"]) == 12
    assert len(twelve) == len(one)


# --- The API ---------------------------------------------------------------------------------


def bearer(world, persona: str) -> dict[str, str]:
    _, raw = create_personal_token(actor=world.actor(persona), name="Levy script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def declarations_url(account) -> str:
    return f"/api/v1/levy/accounts/{account.pk}/declarations"


def test_the_levy_officer_adds_a_declaration_through_the_api_and_funds_in_follow(
    world, account, client
):
    scheme = account.schemes.get()
    body = {
        "scheme": scheme.pk,
        "payroll_year": "17-18",
        "payroll_month": 1,
        "levy_due_ytd": "10000",
        "submitted_at": "2017-05-15",
        "submission_id": "EPS-1",
    }
    headers = bearer(world, "own_levy_officer")
    added = client.post(declarations_url(account), body, content_type="application/json", **headers)
    assert added.status_code == 201
    assert added.json()["scheme"] == "123/AB45678"
    assert LedgerEntry.objects.filter(account=account).count() == 2
    again = client.post(declarations_url(account), body, content_type="application/json", **headers)
    assert again.status_code == 409
    assert again.json()["detail"].startswith("submission_id (body)")
    listed = client.get(declarations_url(account), {"payroll_year": "17-18"}, **headers).json()
    assert [item["submission_id"] for item in listed["items"]] == ["EPS-1"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"payroll_month": 13}, "payroll_month"),
        ({"payroll_year": "17-19"}, "payroll_year"),
        ({"levy_due_ytd": "-1"}, "levy_due_ytd"),
        ({"submitted_at": "2017-02-30"}, "submitted_at"),
    ],
)
def test_a_bad_declaration_through_the_api_names_its_field(world, account, client, changes, field):
    body = {
        "scheme": account.schemes.get().pk,
        "payroll_year": "17-18",
        "payroll_month": 1,
        "levy_due_ytd": "10000",
        "submitted_at": "2017-05-15",
    } | changes
    response = client.post(
        declarations_url(account),
        body,
        content_type="application/json",
        **bearer(world, "own_levy_officer"),
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"{field} (body)")
    assert not Declaration.objects.exists()


def test_an_admin_reads_declarations_through_the_api_but_may_not_add_one(world, account, client):
    headers = bearer(world, "own_admin")
    assert client.get(declarations_url(account), **headers).status_code == 200
    body = {
        "scheme": account.schemes.get().pk,
        "payroll_year": "17-18",
        "payroll_month": 1,
        "levy_due_ytd": None,
        "submitted_at": "2017-05-15",
    }
    refused = client.post(
        declarations_url(account), body, content_type="application/json", **headers
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("page", ["levy:setup", "levy:setup-commitments", "api"])
def test_list_pages_take_the_same_number_of_queries_for_more_rows(
    world, account, client, officer, page
):
    scheme = account.schemes.get()
    headers = bearer(world, "own_levy_officer") if page == "api" else {}
    target = declarations_url(account) if page == "api" else url(page, account.pk)
    if page != "api":
        client = officer

    def add_rows(start: int) -> None:
        for number in range(start, start + 5):
            other = PayeSchemeFactory(account=account)
            DeclarationFactory(scheme=other, payroll_month=number % 12 + 1)
            DeclarationFactory(scheme=scheme, payroll_month=number % 12 + 1)
            CommitmentFactory(account=account)

    add_rows(0)
    client.get(target, **headers)  # a token's first use of the minute is written down
    with CaptureQueriesContext(connection) as few:
        assert client.get(target, **headers).status_code == 200
    add_rows(5)
    with CaptureQueriesContext(connection) as more:
        assert client.get(target, **headers).status_code == 200
    assert len(more) == len(few)
