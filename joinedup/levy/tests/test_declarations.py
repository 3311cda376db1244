"""Schemes, declarations, the declarations CSV import and commitments (levy.declarations)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from joinedup.levy import declarations, queries
from joinedup.levy.declaration_file import (
    MAX_BYTES,
    DeclarationFileError,
    read_declarations,
)
from joinedup.levy.models import (
    Commitment,
    CommitmentStatus,
    Declaration,
    DeclarationImport,
    EntryKind,
    LedgerEntry,
)
from joinedup.levy.tests.factories import (
    CommitmentFactory,
    DeclarationFactory,
    LevyAccountFactory,
    PayeSchemeFactory,
)
from joinedup.partnership.models import AuditEvent

TODAY = dt.date(2026, 11, 30)
HEADINGS = "id,scheme,payroll_year,payroll_month,levy_due_ytd,submitted_at"


def year_file(scheme: str = "123/AB45678", months: int = 12, prefix: str = "EPS") -> str:
    """A year (17-18) of declarations, 10,000 a month, each on the 15th after the month ends."""
    lines = [HEADINGS]
    for month in range(1, months + 1):
        calendar_month = (month + 3) % 12 + 1
        year = 2017 if month <= 8 else 2018
        lines.append(
            f"{prefix}-{month},{scheme},17-18,{month},{month * 10000},"
            f"{year}-{calendar_month:02d}-15"
        )
    return "\r\n".join(lines) + "\r\n"


def problems_of(text: str | bytes) -> list[tuple[int, str, str]]:
    data = text.encode() if isinstance(text, str) else text
    _, problems = read_declarations(data, today=TODAY)
    return [(problem.line, problem.column, problem.message) for problem in problems]


def file_error(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(DeclarationFileError) as raised:
        read_declarations(data, today=TODAY)
    return str(raised.value)


# --- Reading the file ------------------------------------------------------------------------


def test_a_good_file_gives_one_row_per_line_with_exact_amounts():
    rows, problems = read_declarations(year_file().encode(), today=TODAY)
    assert problems == []
    assert len(rows) == 12
    assert rows[0].line == 2
    assert rows[0].levy_due_ytd == Decimal("10000")
    assert rows[0].submitted_on == dt.date(2017, 5, 15)
    assert rows[11].submitted_on == dt.date(2018, 4, 15)


def test_a_byte_order_mark_and_columns_in_any_order_are_accepted():
    text = "\ufeffsubmitted_at,levy_due_ytd,payroll_month,payroll_year,scheme,id\n"
    text += "15/05/2017,10000.12345,1,17-18,123/ab45678,X1\n"
    rows, problems = read_declarations(text.encode(), today=TODAY)
    assert problems == []
    assert rows[0].scheme == "123/AB45678"
    assert rows[0].levy_due_ytd == Decimal("10000.12345")
    assert rows[0].submitted_on == dt.date(2017, 5, 15)


def test_a_blank_levy_figure_is_no_payment_for_period():
    rows, _ = read_declarations(
        f"{HEADINGS}\nX1,123/AB45678,17-18,1,,2017-05-15\n".encode(), today=TODAY
    )
    assert rows[0].levy_due_ytd is None


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("X1,12/AB45678,17-18,1,10,2017-05-15", "scheme", "is not a PAYE scheme reference"),
        ("X1,,17-18,1,10,2017-05-15", "scheme", "Enter the PAYE scheme reference"),
        ("X1,123/AB45678,17-19,1,10,2017-05-15", "payroll_year", "is not a tax year"),
        ("X1,123/AB45678,2017,1,10,2017-05-15", "payroll_year", "is not a tax year"),
        ("X1,123/AB45678,17-18,13,10,2017-05-15", "payroll_month", "1 to 12"),
        ("X1,123/AB45678,17-18,0,10,2017-05-15", "payroll_month", "1 to 12"),
        ("X1,123/AB45678,17-18,one,10,2017-05-15", "payroll_month", "1 to 12"),
        ("X1,123/AB45678,17-18,1,-5,2017-05-15", "levy_due_ytd", "must not be negative"),
        ("X1,123/AB45678,17-18,1,1e5,2017-05-15", "levy_due_ytd", "is not an amount"),
        ('X1,123/AB45678,17-18,1,"10,000",2017-05-15', "levy_due_ytd", "is not an amount"),
        ("X1,123/AB45678,17-18,1,1.123456,2017-05-15", "levy_due_ytd", "5 decimal places"),
        ("X1,123/AB45678,17-18,1,10,2017-02-30", "submitted_at", "is not a real date"),
        ("X1,123/AB45678,17-18,1,10,May 2017", "submitted_at", "is not a date"),
        ("X1,123/AB45678,17-18,1,10,", "submitted_at", "Enter the date"),
        ("X1,123/AB45678,17-18,1,10,2027-01-01", "submitted_at", "is in the future"),
        (",123/AB45678,17-18,1,10,2017-05-15", "id", "Enter the declaration's id"),
        ("X1,123/AB45678,17-18,1,10", "", "has 5 cells"),
    ],
)
def test_each_bad_cell_is_named_by_line_and_column(cells, column, message):
    found = problems_of(f"{HEADINGS}\n{cells}\n")
    assert len(found) == 1
    line, named, text = found[0]
    assert (line, named) == (2, column)
    assert message in text


def test_every_problem_in_the_file_is_listed_not_just_the_first():
    text = f"{HEADINGS}\nX1,123/AB45678,17-18,13,10,2017-05-15\nX2,bad,17-19,1,10,2017-05-15\n"
    found = problems_of(text)
    assert [(line, column) for line, column, _ in found] == [
        (2, "payroll_month"),
        (3, "scheme"),
        (3, "payroll_year"),
    ]


def test_a_repeated_id_is_a_problem_on_its_later_line():
    text = (
        f"{HEADINGS}\nX1,123/AB45678,17-18,1,10,2017-05-15\nX1,123/AB45678,17-18,2,20,2017-06-15\n"
    )
    assert problems_of(text) == [(3, "id", "'X1' is also the id on line 2")]


def test_line_numbers_count_the_lines_of_quoted_cells_and_skip_blank_lines():
    text = (
        f'{HEADINGS}\n\n"X\n1",123/AB45678,17-18,1,10,2017-05-15\n'
        "X2,123/AB45678,17-18,13,10,2017-05-15\n"
    )
    found = problems_of(text)
    assert found[-1][:2] == (5, "payroll_month")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"   \r\n", "The file is empty"),
        (HEADINGS.encode() + b"\r\n", "column headings but no declarations"),
        (b"id,scheme,payroll_year,payroll_month,levy_due_ytd\r\n", "'submitted_at' is missing"),
        (HEADINGS.encode() + b",notes\r\n", "'notes' is not a column"),
        (
            HEADINGS.encode() + b"\nX1,123/AB45678,17-18,1,10,2017-05-15\n\xff\xfe,x\n",
            "Line 3 is not UTF-8",
        ),
        (b"x" * (MAX_BYTES + 1), "must be smaller than 1 MB"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(data, message):
    assert message in file_error(data)


# --- Schemes and declarations entered by hand ------------------------------------------------


@pytest.mark.django_db
def test_a_scheme_reference_is_checked_and_unique(world):
    account = LevyAccountFactory(organisation=world.own)
    actor = world.actor("own_levy_officer")
    scheme = declarations.add_scheme(actor=actor, account=account, reference=" 123/ab45678 ")
    assert scheme.reference == "123/AB45678"
    with pytest.raises(ValidationError, match="already registered"):
        declarations.add_scheme(actor=actor, account=account, reference="123/AB45678")
    with pytest.raises(ValidationError, match="is not a PAYE scheme reference"):
        declarations.add_scheme(actor=actor, account=account, reference="AB45678")
    assert AuditEvent.objects.filter(action="levy_scheme.added").count() == 1


@pytest.mark.django_db
def test_an_entered_declaration_gets_an_id_and_its_funds_in_reach_the_ledger(world):
    account = LevyAccountFactory(organisation=world.own)
    scheme = PayeSchemeFactory(account=account, reference="123/AB45678")
    declaration = declarations.add_declaration(
        actor=world.actor("own_levy_officer"),
        scheme=scheme,
        payroll_year="17-18",
        payroll_month=1,
        levy_due_ytd=Decimal("10000"),
        submitted_on=dt.date(2017, 5, 15),
    )
    assert declaration.submission_id.startswith("manual-")
    amounts = dict(LedgerEntry.objects.filter(account=account).values_list("kind", "amount"))
    assert amounts == {EntryKind.FUNDS_IN: Decimal("10000"), EntryKind.TOP_UP: Decimal("1000")}
    assert AuditEvent.objects.filter(action="levy_declaration.entered").count() == 1


@pytest.mark.django_db
def test_declaration_lines_say_which_counted_and_why(world):
    account = LevyAccountFactory(organisation=world.own)
    scheme = PayeSchemeFactory(account=account)
    used = DeclarationFactory(
        scheme=scheme, payroll_year="17-18", payroll_month=1, submitted_on=dt.date(2017, 5, 15)
    )
    replaced = DeclarationFactory(
        scheme=scheme, payroll_year="17-18", payroll_month=2, submitted_on=dt.date(2017, 6, 10)
    )
    winner = DeclarationFactory(
        scheme=scheme,
        payroll_year="17-18",
        payroll_month=2,
        levy_due_ytd=Decimal("20000"),
        submitted_on=dt.date(2017, 6, 12),
    )
    late = DeclarationFactory(
        scheme=scheme, payroll_year="17-18", payroll_month=3, submitted_on=dt.date(2017, 7, 20)
    )
    adjustment = DeclarationFactory(
        scheme=scheme,
        payroll_year="17-18",
        payroll_month=12,
        levy_due_ytd=Decimal("25000"),
        submitted_on=dt.date(2018, 4, 22),
    )
    lines = {
        line.declaration.pk: line
        for line in declarations.declaration_lines(account, scheme, "17-18")
    }
    assert lines[used.pk].status == "used"
    assert lines[used.pk].landing_month == dt.date(2017, 5, 1)
    assert lines[used.pk].total == Decimal("11000")
    assert lines[replaced.pk].status == "replaced"
    assert lines[winner.pk].status == "used"
    assert lines[winner.pk].levy == Decimal("10000")
    assert lines[late.pk].status == "late"
    assert lines[late.pk].cut_off == dt.date(2017, 7, 20)
    assert lines[adjustment.pk].status == "adjustment"
    assert lines[adjustment.pk].levy == Decimal("5000")


# --- The import ------------------------------------------------------------------------------


@pytest.fixture
def officer_account(world):
    account = LevyAccountFactory(organisation=world.own)
    PayeSchemeFactory(account=account, reference="123/AB45678")
    PayeSchemeFactory(account=account, reference="456/CD12345")
    return world.actor("own_levy_officer"), account


@pytest.mark.django_db
def test_an_import_adds_every_row_and_the_ledger_follows(officer_account):
    actor, account = officer_account
    text = year_file() + year_file(scheme="456/CD12345", prefix="B").split("\r\n", 1)[1]
    check, recorded = declarations.import_declarations(
        actor=actor, account=account, file_name="2017-18.csv", data=text.encode()
    )
    assert (len(check.new), check.already_recorded) == (24, 0)
    assert check.by_scheme == [("123/AB45678", 12, 0), ("456/CD12345", 12, 0)]
    assert (recorded.rows, recorded.added) == (24, 24)
    assert Declaration.objects.filter(imported_by=recorded).count() == 24
    total = sum(LedgerEntry.objects.filter(account=account).values_list("amount", flat=True))
    assert total == Decimal("264000")  # two schemes of 132,000 (the worked example)
    assert AuditEvent.objects.filter(action="levy_declarations.imported").count() == 1


@pytest.mark.django_db
def test_importing_the_same_file_again_adds_nothing(officer_account):
    actor, account = officer_account
    data = year_file().encode()
    declarations.import_declarations(actor=actor, account=account, file_name="a.csv", data=data)
    entries = LedgerEntry.objects.count()
    check = declarations.check_import(account=account, file_name="a.csv", data=data)
    assert check.earlier_import is not None
    assert (len(check.new), check.already_recorded) == (0, 12)
    check, recorded = declarations.import_declarations(
        actor=actor, account=account, file_name="a.csv", data=data
    )
    assert recorded is None
    assert DeclarationImport.objects.count() == 1
    assert Declaration.objects.count() == 12
    assert LedgerEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_file_overlapping_an_earlier_one_adds_only_its_new_rows(officer_account):
    actor, account = officer_account
    declarations.import_declarations(
        actor=actor, account=account, file_name="a.csv", data=year_file(months=6).encode()
    )
    check, recorded = declarations.import_declarations(
        actor=actor, account=account, file_name="b.csv", data=year_file().encode()
    )
    assert (len(check.new), check.already_recorded, recorded.added) == (6, 6, 6)
    assert Declaration.objects.count() == 12


@pytest.mark.django_db
def test_a_bad_last_row_means_nothing_is_imported(officer_account):
    actor, account = officer_account
    text = year_file() + "EPS-13,123/AB45678,17-18,13,1,2018-04-15\r\n"
    with pytest.raises(declarations.ImportRefused) as refused:
        declarations.import_declarations(
            actor=actor, account=account, file_name="a.csv", data=text.encode()
        )
    assert [(p.line, p.column) for p in refused.value.check.problems] == [(14, "payroll_month")]
    assert Declaration.objects.count() == 0
    assert DeclarationImport.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_scheme_is_refused_naming_the_line(officer_account, world):
    actor, account = officer_account
    PayeSchemeFactory(account=LevyAccountFactory(organisation=world.partner), reference="999/ZZ1")
    text = f"{HEADINGS}\nX1,999/ZZ1,17-18,1,10,2017-05-15\n"
    check = declarations.check_import(account=account, file_name="a.csv", data=text.encode())
    assert [(p.line, p.column) for p in check.problems] == [(2, "scheme")]
    assert "not one of this account's PAYE schemes" in check.problems[0].message


@pytest.mark.django_db
def test_a_recorded_id_with_other_figures_is_refused(officer_account):
    actor, account = officer_account
    declarations.import_declarations(
        actor=actor, account=account, file_name="a.csv", data=year_file(months=1).encode()
    )
    changed = year_file(months=1).replace(",10000,", ",12000,")
    check = declarations.check_import(account=account, file_name="b.csv", data=changed.encode())
    assert [(p.line, p.column) for p in check.problems] == [(2, "id")]
    assert "already recorded" in check.problems[0].message


# --- Commitments -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_commitment_is_added_and_its_schedule_caps_the_price_at_the_band(world):
    account = LevyAccountFactory(organisation=world.own)
    commitment = declarations.add_commitment(
        actor=world.actor("own_levy_officer"),
        account=account,
        reference="APP-1",
        provider="Barnet College",
        standard_code="ST0384",
        standard_title="Team leader / supervisor",
        level=3,
        start_on=dt.date(2026, 9, 1),
        planned_end_on=dt.date(2027, 8, 31),
        price=Decimal("6000"),
        funding_band=Decimal("5000"),
    )
    with pytest.raises(ValidationError, match="already has an apprenticeship APP-1"):
        declarations.add_commitment(
            actor=world.actor("own_levy_officer"),
            account=account,
            reference="APP-1",
            provider="Another college",
            standard_code="ST0384",
            standard_title="Team leader / supervisor",
            level=3,
            start_on=dt.date(2026, 9, 1),
            planned_end_on=dt.date(2027, 8, 31),
            price=Decimal("6000"),
            funding_band=Decimal("5000"),
        )
    assert Commitment.objects.filter(account=account).count() == 1
    schedule = queries.schedule_of(commitment)
    assert schedule.capped_price == Decimal("5000")
    assert schedule.employer_excess == Decimal("1000")
    assert len(schedule.instalments) == 12
    assert schedule.instalments[0].amount == Decimal("333.33333")
    assert sum(i.amount for i in schedule.instalments) == Decimal("4000")
    assert schedule.completion_payment == Decimal("1000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_end_on": dt.date(2026, 8, 1)}, "planned_end_on"),
        ({"planned_end_on": dt.date(2026, 9, 20)}, "planned_end_on"),
        ({"price": Decimal("0")}, "price"),
        ({"funding_band": Decimal("-1")}, "funding_band"),
        ({"reference": "APP-0"}, "reference"),
        ({"start_on": dt.date(2016, 1, 1), "planned_end_on": dt.date(2017, 1, 31)}, "start_on"),
    ],
)
def test_a_commitment_that_cannot_be_paid_is_refused_on_its_field(world, changes, field):
    account = LevyAccountFactory(organisation=world.own)
    CommitmentFactory(account=account, reference="APP-0")
    values = {
        "reference": "APP-1",
        "provider": "Barnet College",
        "standard_code": "ST0384",
        "standard_title": "Team leader / supervisor",
        "level": 3,
        "start_on": dt.date(2026, 9, 1),
        "planned_end_on": dt.date(2027, 8, 31),
        "price": Decimal("5000"),
        "funding_band": Decimal("5000"),
    } | changes
    with pytest.raises(ValidationError) as refused:
        declarations.add_commitment(
            actor=world.actor("own_levy_officer"), account=account, **values
        )
    assert field in refused.value.error_dict


@pytest.mark.django_db
def test_a_commitment_ends_once(world):
    commitment = CommitmentFactory(account=LevyAccountFactory(organisation=world.own))
    actor = world.actor("own_levy_officer")
    declarations.end_commitment(actor=actor, commitment=commitment, status=CommitmentStatus.STOPPED)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.STOPPED
    with pytest.raises(ValidationError, match="already ended"):
        declarations.end_commitment(
            actor=actor, commitment=commitment, status=CommitmentStatus.COMPLETED
        )
    assert AuditEvent.objects.filter(action="levy_commitment.stopped").count() == 1
