"""The shared recharge ledger: posting, reversing, statements, exports, access and append-only."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.partnership import access, queries, services
from joinedup.partnership.models import AuditEvent, RechargeEntry
from joinedup.partnership.tests.world import build_world

TODAY = dt.date(2026, 11, 2)
YEAR_START, YEAR_END = dt.date(2026, 4, 1), dt.date(2027, 3, 31)


def post(world, amount="120.00", *, payer=None, payee=None, actor=None, **kwargs) -> RechargeEntry:
    values = {
        "source_kind": "run",
        "source_id": "17",
        "source_label": "Safeguarding adults level 3, 2 November",
        "occurred_on": TODAY,
    }
    values.update(kwargs)
    return services.post_recharge(
        actor=actor,
        payer=payer or world.partner,
        payee=payee or world.own,
        amount=Decimal(amount),
        **values,
    )


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# --- Posting and reversing ---------------------------------------------------------------------


def test_the_payees_admin_posts_a_charge_to_a_partner(world):
    entry = post(world, actor=world.actor("own_admin"), purchase_order="PO-1", cost_centre="LD01")
    assert entry.amount == Decimal("120.00")
    assert (entry.payer, entry.payee, entry.created_by) == (
        world.partner,
        world.own,
        world.own_admin,
    )
    assert (entry.purchase_order, entry.cost_centre) == ("PO-1", "LD01")


def test_a_job_posts_a_charge_with_no_actor(world):
    entry = post(world)
    assert entry.created_by is None


def test_reversing_posts_the_negated_amount_with_its_reason(world):
    entry = post(world, "75.50")
    reversal = services.reverse_recharge(
        actor=world.actor("partner_ld_lead"), entry=entry, reason="Did not attend: illness"
    )
    assert reversal.amount == Decimal("-75.50")
    assert (reversal.reverses, reversal.reason) == (entry, "Did not attend: illness")
    assert (reversal.payer, reversal.payee) == (world.partner, world.own)
    assert reversal.occurred_on == timezone.localdate()


def test_an_entry_cannot_be_reversed_twice(world):
    entry = post(world)
    services.reverse_recharge(actor=world.actor("own_admin"), entry=entry, reason="Wrong price")
    with pytest.raises(ValidationError) as raised:
        services.reverse_recharge(actor=world.actor("own_admin"), entry=entry, reason="Again")
    assert field_errors(raised.value) == {"entry": ["This entry has already been reversed"]}
    assert RechargeEntry.objects.count() == 2


def test_a_reversal_cannot_itself_be_reversed(world):
    entry = post(world)
    reversal = services.reverse_recharge(
        actor=world.actor("own_admin"), entry=entry, reason="Wrong price"
    )
    with pytest.raises(ValidationError) as raised:
        services.reverse_recharge(actor=world.actor("own_admin"), entry=reversal, reason="Undo")
    assert field_errors(raised.value) == {
        "entry": ["This entry is a reversal, so it cannot be reversed"]
    }


def test_status_is_worked_out_from_the_entries_never_stored(world, django_assert_num_queries):
    standing = post(world)
    reversed_charge = post(world, "9.99")
    reversal = services.reverse_recharge(
        actor=world.actor("own_admin"), entry=reversed_charge, reason="Wrong price"
    )
    with django_assert_num_queries(1):
        statuses = dict(RechargeEntry.objects.with_status().values_list("pk", "status"))
    assert statuses == {
        standing.pk: RechargeEntry.Status.POSTED,
        reversed_charge.pk: RechargeEntry.Status.REVERSED,
        reversal.pk: RechargeEntry.Status.REVERSAL,
    }


def test_a_reversal_needs_a_reason(world):
    entry = post(world)
    with pytest.raises(ValidationError) as raised:
        services.reverse_recharge(actor=world.actor("own_admin"), entry=entry, reason="  ")
    assert field_errors(raised.value) == {"reason": ["Enter the reason for reversing this entry"]}


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Enter an amount greater than zero"),
        ("-5.00", "Enter an amount greater than zero"),
        ("10.005", "Enter an amount with no more than 2 decimal places"),
        ("10000000000.00", "Enter an amount of £9,999,999,999.99 or less"),
        ("NaN", "Enter the amount as pounds and pence, like 125.50"),
        ("Infinity", "Enter the amount as pounds and pence, like 125.50"),
    ],
)
def test_a_bad_amount_is_refused_with_a_message_naming_the_field(world, amount, message):
    with pytest.raises(ValidationError) as raised:
        post(world, amount)
    assert field_errors(raised.value) == {"amount": [message]}
    assert not RechargeEntry.objects.exists()


def test_a_float_amount_is_refused_because_it_is_not_exact(world):
    with pytest.raises(ValidationError) as raised:
        services.post_recharge(
            actor=None,
            payer=world.partner,
            payee=world.own,
            amount=0.1,
            source_kind="run",
            source_id="1",
            source_label="",
            occurred_on=TODAY,
        )
    assert "amount" in field_errors(raised.value)


def test_trailing_zeros_beyond_pence_are_accepted_as_exact(world):
    assert post(world, "10.500").amount == Decimal("10.50")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"source_kind": ""}, "source_kind", "Enter the kind of source, like run"),
        ({"source_id": " "}, "source_id", "Enter the source's reference"),
        ({"purchase_order": "P" * 51}, "purchase_order", "Enter 50 characters or fewer"),
        ({"cost_centre": "C" * 51}, "cost_centre", "Enter 50 characters or fewer"),
        ({"occurred_on": "2026-11-02"}, "occurred_on", "Enter the date the charge arose"),
    ],
)
def test_bad_details_are_refused_with_a_message_naming_the_field(world, changes, field, message):
    with pytest.raises(ValidationError) as raised:
        post(world, **changes)
    assert field_errors(raised.value) == {field: [message]}


def test_an_organisation_cannot_charge_itself(world):
    with pytest.raises(ValidationError) as raised:
        post(world, payer=world.own, payee=world.own)
    assert field_errors(raised.value) == {
        "payer": ["The payer must be a different organisation from the payee"]
    }


def test_only_a_partner_can_be_charged(world):
    with pytest.raises(ValidationError) as raised:
        post(world, payer=world.outsider_org, payee=world.own)
    assert field_errors(raised.value) == {"payer": ["The payer must be a partner of the payee"]}


# --- Database constraints ----------------------------------------------------------------------


def _raw_entry(world, **changes) -> RechargeEntry:
    values = {
        "payer": world.partner,
        "payee": world.own,
        "amount": Decimal("1.00"),
        "source_kind": "run",
        "source_id": "1",
        "occurred_on": TODAY,
    }
    values.update(changes)
    return RechargeEntry(**values)


@pytest.mark.parametrize(
    "changes",
    [
        {"payer_is_payee": True},
        {"amount": Decimal("0")},
        {"amount": Decimal("-1.00")},
        {"reason": "A charge has no reason"},
    ],
)
def test_the_database_refuses_an_impossible_entry(world, changes):
    if changes.pop("payer_is_payee", False):
        changes["payer"] = world.own
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_entry(world, **changes).save()


def test_the_database_refuses_a_reversal_without_a_reason_or_with_a_positive_amount(world):
    entry = post(world)
    for changes in ({"amount": Decimal("-120.00")}, {"reason": "Positive"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            _raw_entry(world, reverses=entry, **changes).save()


def test_the_database_refuses_a_second_reversal_of_one_entry(world):
    entry = post(world)
    services.reverse_recharge(actor=world.actor("own_admin"), entry=entry, reason="Wrong")
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_entry(world, reverses=entry, amount=Decimal("-120.00"), reason="Again").save()


# --- Append-only ------------------------------------------------------------------------------


def test_an_entry_cannot_be_edited_or_deleted(world):
    entry = post(world)
    entry.amount = Decimal("1.00")
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert RechargeEntry.objects.get().amount == Decimal("120.00")


def test_entries_cannot_be_updated_or_deleted_in_bulk(world):
    post(world)
    with pytest.raises(ValueError, match="append-only"):
        RechargeEntry.objects.update(amount=Decimal("1.00"))
    with pytest.raises(ValueError, match="append-only"):
        RechargeEntry.objects.filter(payee=world.own).delete()
    with pytest.raises(ValueError, match="append-only"):
        access.visible_recharges(world.actor("own_admin")).update(reason="x")
    assert RechargeEntry.objects.get().amount == Decimal("120.00")


# --- Access -----------------------------------------------------------------------------------

SEES_RECHARGES = {
    "own_admin",
    "own_ld_lead",
    "own_levy_officer",
    "partner_admin",
    "partner_ld_lead",
}
MAY_POST_FOR_OWN = {"own_admin", "own_ld_lead"}
MAY_REVERSE = {"own_admin", "own_ld_lead", "partner_admin", "partner_ld_lead"}
PERSONAS = (
    "own_staff",
    "own_line_manager",
    "own_admin",
    "own_ld_lead",
    "own_levy_officer",
    "partner_staff",
    "partner_admin",
    "partner_ld_lead",
    "partnership_lead",
    "outsider",
    "anonymous",
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_recharges_are_visible_only_to_finance_roles_of_the_payer_and_payee(world, persona):
    entry = post(world)
    post(world, payer=world.icb, payee=world.partner)
    visible = set(access.visible_recharges(world.actor(persona)))
    if persona in SEES_RECHARGES and persona.startswith("own"):
        assert visible == {entry}
    elif persona in SEES_RECHARGES:
        assert len(visible) == 2 and entry in visible
    else:
        assert visible == set()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_payees_admin_or_ld_lead_may_post(world, persona):
    if persona in MAY_POST_FOR_OWN:
        assert post(world, actor=world.actor(persona)).payee == world.own
    else:
        with pytest.raises(PermissionDenied):
            post(world, actor=world.actor(persona))
        assert not RechargeEntry.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_an_admin_or_ld_lead_of_either_party_may_reverse(world, persona):
    entry = post(world)
    if persona in MAY_REVERSE:
        services.reverse_recharge(actor=world.actor(persona), entry=entry, reason="Wrong price")
        assert RechargeEntry.objects.filter(reverses=entry).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.reverse_recharge(actor=world.actor(persona), entry=entry, reason="Wrong")
        assert not RechargeEntry.objects.filter(reverses=entry).exists()


# --- Audit ------------------------------------------------------------------------------------


def test_posting_and_reversing_leave_an_event_in_each_partys_log(world):
    entry = post(world, actor=world.actor("own_admin"))
    reversal = services.reverse_recharge(
        actor=world.actor("partner_admin"), entry=entry, reason="Cancelled in time"
    )
    posted = AuditEvent.objects.filter(action="recharge.posted", object_id=str(entry.pk))
    reversed_ = AuditEvent.objects.filter(action="recharge.reversed", object_id=str(reversal.pk))
    assert {event.organisation for event in posted} == {world.own, world.partner}
    assert {event.organisation for event in reversed_} == {world.own, world.partner}
    event = posted.first()
    assert event.actor == world.own_admin
    assert event.changes == {
        "payer": world.partner.pk,
        "payee": world.own.pk,
        "amount": "120.00",
        "source_kind": "run",
        "source_id": "17",
        "reverses": None,
    }
    assert reversed_.first().changes["reverses"] == entry.pk


def test_a_refused_post_leaves_no_audit_event(world):
    with pytest.raises(ValidationError):
        post(world, "0")
    assert not AuditEvent.objects.filter(object_kind="recharge").exists()


# --- Statements -------------------------------------------------------------------------------


def test_the_statement_shows_owed_by_us_owed_to_us_and_net_per_partner(world):
    post(world, "100.00")
    post(world, "20.10", payer=world.own, payee=world.partner)
    cancelled = post(world, "30.00")
    services.reverse_recharge(actor=world.actor("own_admin"), entry=cancelled, reason="Wrong")
    post(world, "5.00", payer=world.own, payee=world.icb)
    post(world, "999.00", occurred_on=dt.date(2026, 3, 31))
    rows = queries.recharge_statement(world.own, YEAR_START, YEAR_END)
    by_partner = {row.partner_id: row for row in rows}
    partner = by_partner[world.partner.pk]
    assert partner.partner_name == world.partner.name
    assert (partner.owed_by_us, partner.owed_to_us, partner.net) == (
        Decimal("20.10"),
        Decimal("100.00"),
        Decimal("79.90"),
    )
    icb = by_partner[world.icb.pk]
    assert (icb.owed_by_us, icb.owed_to_us, icb.net) == (Decimal("5.00"), 0, Decimal("-5.00"))
    assert len(rows) == 2


def test_an_empty_period_has_an_empty_statement(world):
    post(world)
    assert queries.recharge_statement(world.own, dt.date(2020, 1, 1), dt.date(2020, 12, 31)) == []


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("post"), st.booleans(), st.integers(min_value=1, max_value=999_999_999_999)
        ),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=30)),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_any_posts_and_reversals_keep_the_statement_a_sum_seen_oppositely_by_each_party(
    world, operations
):
    with transaction.atomic():
        entries: list[RechargeEntry] = []
        for operation in operations:
            if operation[0] == "post":
                _, own_pays, pennies = operation
                payer, payee = (
                    (world.own, world.partner) if own_pays else (world.partner, world.own)
                )
                entries.append(post(world, str(Decimal(pennies) / 100), payer=payer, payee=payee))
            elif entries:
                entry = entries[operation[1] % len(entries)]
                with contextlib.suppress(ValidationError):
                    entries.append(
                        services.reverse_recharge(
                            actor=world.actor("own_admin"), entry=entry, reason="Correction"
                        )
                    )
        to_own = sum(
            (
                entry.amount if entry.payee_id == world.own.pk else -entry.amount
                for entry in entries
            ),
            Decimal("0.00"),
        )
        start, end = TODAY - dt.timedelta(days=3650), TODAY + dt.timedelta(days=3650)
        own_rows = queries.recharge_statement(world.own, start, end)
        partner_rows = queries.recharge_statement(world.partner, start, end)
        if not entries:
            assert own_rows == partner_rows == []
        else:
            (own_row,), (partner_row,) = own_rows, partner_rows
            assert own_row.net == to_own == own_row.owed_to_us - own_row.owed_by_us
            assert partner_row.net == -own_row.net
            assert partner_row.owed_by_us == own_row.owed_to_us
            assert partner_row.owed_to_us == own_row.owed_by_us
        transaction.set_rollback(True)


def _queries_for(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_the_statement_and_its_export_cost_the_same_queries_however_many_entries(world):
    def statement() -> None:
        queries.recharge_statement(world.own, YEAR_START, YEAR_END)

    def export() -> None:
        list(queries.recharge_statement_csv_lines(world.own, YEAR_START, YEAR_END))

    post(world)
    post(world, payer=world.own, payee=world.icb)
    few = (_queries_for(statement), _queries_for(export))
    for number in range(30):
        post(world, f"{number + 1}.25", payer=world.icb if number % 2 else world.partner)
    many = (_queries_for(statement), _queries_for(export))
    assert few == many == (1, 1)


# --- Finance export ---------------------------------------------------------------------------


def test_the_export_has_a_line_per_entry_with_neutralised_formulas(world):
    entry = post(
        world,
        "12.00",
        source_label='=HYPERLINK("http://evil.test")',
        purchase_order="+PO1",
        cost_centre="@SUM(A1)",
    )
    services.reverse_recharge(actor=world.actor("own_admin"), entry=entry, reason="-wrong")
    rows = list(queries.recharge_statement_csv_lines(world.own, YEAR_START, YEAR_END))
    assert rows[0] == queries.RECHARGE_CSV_HEADER
    charge, reversal = rows[1], rows[2]
    assert charge[4:6] == ["12.00", "12.00"]
    assert charge[8:11] == ['\'=HYPERLINK("http://evil.test")', "'+PO1", "'@SUM(A1)"]
    # Amounts are numbers, not text, so they stay readable: a minus sign is not a formula.
    assert reversal[4:6] == ["-12.00", "-12.00"]
    assert reversal[11:] == [str(entry.pk), "'-wrong"]
    partner_rows = list(queries.recharge_statement_csv_lines(world.partner, YEAR_START, YEAR_END))
    assert partner_rows[1][5] == "-12.00"
    written = io.StringIO()
    csv.writer(written).writerows(rows)
    assert all(not line.startswith(("=", "+", "@")) for line in written.getvalue().split(","))


# --- Concurrency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_reversing_one_entry_from_many_connections_at_once_reverses_it_once():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "needs a file-based SQLite test database (DATABASE_TEST_NAME=/tmp/name.sqlite3) "
            "or PostgreSQL (DATABASE_URL): an in-memory database cannot have two writers"
        )
    world = build_world()
    entry = post(world)
    personas = ["own_admin", "own_ld_lead", "partner_admin", "partner_ld_lead"] * 2
    start = threading.Barrier(len(personas))
    outcomes: list[object] = []

    def worker(persona: str) -> None:
        try:
            start.wait(timeout=30)
            outcomes.append(
                services.reverse_recharge(actor=world.actor(persona), entry=entry, reason="Twice")
            )
        except BaseException as error:  # noqa: BLE001 - reported by the assertions below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(persona,)) for persona in personas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    reversals = [outcome for outcome in outcomes if isinstance(outcome, RechargeEntry)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(reversals), len(refusals)) == (1, len(personas) - 1)
    assert RechargeEntry.objects.filter(reverses=entry).count() == 1
    (row,) = queries.recharge_statement(world.own, YEAR_START, YEAR_END)
    assert row.net == 0
