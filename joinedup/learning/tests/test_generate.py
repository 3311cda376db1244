"""Synthetic learning for benchmarks: `joinedup generate_learning --programmes N --runs M`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from joinedup.learning import term_index
from joinedup.learning.generate import generate_learning
from joinedup.learning.models import (
    Booking,
    BookingStatus,
    CatalogueTerm,
    CatalogueWord,
    DeliveryMode,
    Programme,
    Run,
)
from joinedup.partnership.generate import GenerateRefused, generate


@pytest.fixture
def generated(db):
    generate(people=120, organisations=4, progress=False)
    return generate_learning(programmes=12, runs=40, progress=False)


def test_generate_learning_adds_the_programmes_runs_and_their_sessions(generated):
    assert (Programme.objects.count(), Run.objects.count()) == (12, 40)
    assert generated.sessions > 0
    assert all(programme.topics.exists() for programme in Programme.objects.all())
    # A run has sessions, or is self-paced with a completion deadline instead.
    for run in Run.objects.select_related("programme").prefetch_related("sessions"):
        if run.programme.delivery_mode == DeliveryMode.SELF_PACED:
            assert run.completion_deadline is not None
        else:
            assert run.sessions.exists()


def test_each_runs_places_taken_are_its_confirmed_bookings_of_its_hosts_staff(generated):
    confirmed = Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED))
    runs = Run.objects.annotate(confirmed=confirmed)
    assert not runs.exclude(places_taken=F("confirmed")).exists()
    assert not runs.filter(places_taken__gt=F("capacity")).exists()
    confirmed_bookings = Booking.objects.filter(status=BookingStatus.CONFIRMED)
    assert not confirmed_bookings.exclude(organisation=F("run__programme__host")).exists()


def test_learning_needs_the_benchmark_organisations_first(db):
    with pytest.raises(GenerateRefused):
        generate_learning(programmes=2, runs=4, progress=False)


def test_generate_learning_command_adds_programmes_to_the_generated_people(db):
    call_command("generate", "--people", "60", "--organisations", "3", verbosity=0)
    output = io.StringIO()
    call_command(
        "generate_learning", "--programmes", "5", "--runs", "10", verbosity=0, stdout=output
    )
    assert "Added 5 programmes, 10 runs" in output.getvalue()
    assert Run.objects.count() == 10


def test_generate_learning_command_needs_runs_with_programmes(db):
    with pytest.raises(CommandError, match="--runs"):
        call_command("generate_learning", "--programmes", "5", verbosity=0)


def test_generated_programmes_have_the_catalogue_terms_the_services_write(generated):
    written = set(CatalogueTerm.objects.values_list("programme_id", "term", "title"))
    CatalogueTerm.objects.all().delete()
    for programme in Programme.objects.all():
        term_index.index_programme(programme)
    assert set(CatalogueTerm.objects.values_list("programme_id", "term", "title")) == written
    words = set(CatalogueWord.objects.values_list("word", flat=True))
    assert {term for _, term, _ in written if not term.startswith("topic:")} <= words
