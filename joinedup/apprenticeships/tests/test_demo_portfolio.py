"""The demo's portfolio: Sam Okafor's evidence covers four of the six KSBs, with K2 awaiting the
tutor and S2 queried, and one signed-off item is a stored file."""

from __future__ import annotations

from joinedup.apprenticeships import portfolio
from joinedup.apprenticeships.demo_data import UNIVERSITY
from joinedup.apprenticeships.models import CheckState, Enrolment, Evidence
from joinedup.lib.uploads import open_stored


def test_sams_portfolio_has_two_gaps_one_queried(demo, db):
    sam = Enrolment.objects.get(
        apprentice__given_name="Sam", apprentice__family_name="Okafor", provider__name=UNIVERSITY
    )
    summary = portfolio.summarise(portfolio.coverage(sam))
    assert (summary.covered, summary.total) == (4, 6)
    assert [(row.ksb.code, row.awaiting, row.queried) for row in summary.gaps] == [
        ("K2", 1, 0),
        ("S2", 0, 1),
    ]
    queried = Evidence.objects.get(enrolment=sam, state=CheckState.QUERIED)
    assert queried.tutor_note and queried.checked_by.family_name == "Riley"
    log = Evidence.objects.get(enrolment=sam, kind="file")
    assert open_stored(log.storage_name).read().startswith(b"Decision log")
