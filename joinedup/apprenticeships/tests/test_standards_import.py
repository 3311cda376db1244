"""The KSB import: a good file adds and updates in one go; every bad line is reported with its line
number and what to do, and nothing is written; importing again updates descriptions; encodings
and separators as the staff import reads them; the size cap."""

from __future__ import annotations

import pytest

from joinedup.apprenticeships import standards
from joinedup.apprenticeships.models import Ksb, KsbKind, Standard
from joinedup.partnership.models import AuditEvent

GOOD = (
    "code,type,description\r\n"
    "K1,knowledge,How to set strategic direction\r\n"
    "S1,S,Lead and manage change\r\n"
    "B1,Behaviour,Works with integrity\r\n"
)


@pytest.fixture
def standard(db) -> Standard:
    return Standard.objects.create(reference_code="ZZ0101", title="Import test standard", level=7)


def run(world, standard, text: str | bytes, persona: str = "own_ld_lead"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return standards.import_ksbs(actor=world.actor(persona), standard=standard, data=data)


def problems_of(world, standard, text: str) -> list[tuple[int, str]]:
    with pytest.raises(standards.ImportRefused) as caught:
        run(world, standard, text)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def file_error(world, standard, data: str | bytes) -> str:
    with pytest.raises(standards.KsbFileError) as caught:
        run(world, standard, data)
    return str(caught.value)


def test_a_good_file_adds_every_ksb_with_its_kind_and_one_audit_entry_each(world, standard):
    result = run(world, standard, GOOD)

    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    kinds = dict(standard.ksbs.values_list("code", "kind"))
    assert kinds == {"K1": KsbKind.KNOWLEDGE, "S1": KsbKind.SKILL, "B1": KsbKind.BEHAVIOUR}
    assert AuditEvent.objects.filter(action="ksb.imported").count() == 3


def test_importing_again_updates_descriptions_and_keeps_what_the_file_leaves_out(world, standard):
    run(world, standard, GOOD)
    extra = Ksb.objects.create(
        standard=standard, code="K9", kind=KsbKind.KNOWLEDGE, number=9, description="Kept"
    )
    again = GOOD.replace("Lead and manage change", "Lead change well") + "K2,K,New one\r\n"

    result = run(world, standard, again)

    assert (result.added, result.updated, result.unchanged) == (1, 1, 2)
    assert standard.ksbs.get(code="S1").description == "Lead change well"
    assert standard.ksbs.filter(pk=extra.pk).exists()
    assert AuditEvent.objects.filter(action="ksb.changed").count() == 1


def test_the_same_file_twice_changes_nothing(world, standard):
    run(world, standard, GOOD)

    result = run(world, standard, GOOD)

    assert (result.added, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.filter(action="ksb.changed").count() == 0


def test_every_kind_of_bad_line_is_reported_by_line_and_nothing_is_written(world, standard):
    text = (
        "code,type,description\n"
        "K1,knowledge,Fine\n"
        "X1,knowledge,Bad code\n"
        "K2,,No type\n"
        "K3,colour,Unknown type\n"
        "K4,skill,Type disagrees\n"
        "K5,K,\n"
        "K1,K,Again\n"
        "\n"
        "S2,S," + "x" * 2001 + "\n"
    )

    found = problems_of(world, standard, text)

    lines = [line for line, _ in found]
    assert lines == [3, 4, 5, 6, 7, 8, 10]
    messages = dict(found)
    assert "“X1” is not a KSB code" in messages[3]
    assert messages[4].startswith("type: Enter the type")
    assert "“colour” is not a type" in messages[5]
    assert "K4 is a knowledge code but the type says skill" in messages[6]
    assert messages[7] == "description: Enter a description"
    assert messages[8] == "code: K1 is also on line 2: keep one of the two"
    assert "2,000 characters or fewer" in messages[10]
    assert not standard.ksbs.exists()
    assert not AuditEvent.objects.filter(object_kind=standards.KSB).exists()


def test_one_bad_line_stops_a_re_import_from_changing_anything(world, standard):
    run(world, standard, GOOD)

    problems_of(world, standard, GOOD.replace("Works with integrity", "Changed") + "Q1,K,bad\r\n")

    assert standard.ksbs.get(code="B1").description == "Works with integrity"


def test_a_file_without_the_heading_line_is_refused(world, standard):
    message = file_error(world, standard, "K1,knowledge,How to set strategic direction\n")

    assert "Line 1 must be the column headings code, type and description" in message


def test_a_missing_column_is_named(world, standard):
    message = file_error(world, standard, "code,description\nK1,Something\n")

    assert "it lacks type" in message


def test_an_unknown_column_is_named(world, standard):
    message = file_error(world, standard, "code,type,description,colour\nK1,K,x,red\n")

    assert "“colour”" in message


def test_headings_only_is_refused(world, standard):
    assert "no KSBs below them" in file_error(world, standard, "code,type,description\n")


def test_an_empty_file_is_refused(world, standard):
    assert file_error(world, standard, b"  \n") == "The selected file is empty"


def test_a_file_over_the_size_cap_is_refused(world, standard, monkeypatch):
    monkeypatch.setattr(standards, "IMPORT_MAX_BYTES", 100)

    message = file_error(world, standard, GOOD * 3)

    assert "must be smaller than" in message


def test_too_many_rows_are_refused(world, standard, monkeypatch):
    monkeypatch.setattr(standards, "IMPORT_MAX_ROWS", 2)

    assert "no more than 2 KSBs" in file_error(world, standard, GOOD)


def test_a_binary_file_is_refused(world, standard):
    assert "not a text CSV file" in file_error(world, standard, b"code,type\x00\x01\x02")


@pytest.mark.parametrize(
    "data",
    [
        GOOD.encode("utf-8-sig"),
        GOOD.encode("utf-16"),
        GOOD.replace("strategic", "stratégic").encode("cp1252"),
        GOOD.replace(",", ";").encode("utf-8"),
        GOOD.replace(",", "\t").encode("utf-8"),
    ],
    ids=["utf-8 with BOM", "utf-16", "windows-1252", "semicolons", "tabs"],
)
def test_encodings_and_separators_as_the_staff_import_reads_them(world, standard, data):
    assert run(world, standard, data).added == 3


def test_the_columns_may_come_in_any_order_with_an_illustrative_flag(world, standard):
    text = "Description,Type,Code,Illustrative\nMade up,K,K7,yes\nReal,S,S1,no\n"

    run(world, standard, text)

    assert standard.ksbs.get(code="K7").illustrative
    assert not standard.ksbs.get(code="S1").illustrative


def test_a_bad_illustrative_flag_is_a_problem(world, standard):
    found = problems_of(world, standard, "code,type,description,illustrative\nK1,K,x,maybe\n")

    assert found == [(2, "illustrative: “maybe” is not yes or no. Write yes, no or leave it empty")]


def test_only_those_who_may_edit_standards_import(world, standard):
    with pytest.raises(standards.PermissionDenied):
        run(world, standard, GOOD, persona="own_staff")
    assert not standard.ksbs.exists()
