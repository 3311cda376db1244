"""The gateway checklist's plain rules: each of the six items met and not met, with its why."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from joinedup.apprenticeships import gateway_rules as rules
from joinedup.apprenticeships.gateway_rules import Agreement, Facts, KsbCoverage, ModuleResult

AGREED = Agreement(by="Lee Fraser", on=dt.date(2028, 6, 1))
READY = Facts(
    modules=[ModuleResult("Leading people", True), ModuleResult("Strategy", True)],
    ksbs=[KsbCoverage("K1", True), KsbCoverage("S1", True)],
    required_hours=Decimal(400),
    verified_hours=Decimal("400.00"),
    project_state="signed_off",
    project_signed_off_on=dt.date(2028, 5, 20),
)


def _item(facts: Facts, key: str) -> rules.Item:
    return next(item for item in rules.checklist(facts) if item.key == key)


def test_the_checklist_has_the_six_items_in_order():
    items = rules.checklist(READY)
    assert [item.key for item in items] == list(rules.ORDER)
    assert [item.title for item in items][:2] == [
        "All modules passed",
        "Every KSB evidenced and signed off",
    ]


def test_all_modules_passed_is_met_when_every_module_is():
    item = _item(READY, rules.MODULES)
    assert item.met
    assert item.why == "All 2 modules passed"


def test_a_module_not_passed_is_named_with_its_reason():
    facts = replace(
        READY,
        modules=[
            ModuleResult("Leading people", True),
            ModuleResult("Strategy", False, "failed: Strategy report"),
        ],
    )
    item = _item(facts, rules.MODULES)
    assert not item.met
    assert item.why == "1 of 2 modules has not been passed: Strategy (failed: Strategy report)"


def test_no_modules_is_not_met():
    assert not _item(replace(READY, modules=[]), rules.MODULES).met


def test_every_ksb_signed_off_is_met():
    item = _item(READY, rules.KSBS)
    assert item.met
    assert item.why == "All 2 KSBs have signed-off evidence"


def test_ksbs_without_signed_off_evidence_are_counted_and_named():
    ksbs = [KsbCoverage(f"K{n}", True) for n in range(1, 19)]
    ksbs[2] = KsbCoverage("K3", False)
    ksbs.append(KsbCoverage("S7", False))
    ksbs.append(KsbCoverage("B1", True))
    item = _item(replace(READY, ksbs=ksbs), rules.KSBS)
    assert not item.met
    assert item.why == "2 of 20 KSBs have no signed-off evidence: K3, S7"


def test_a_long_list_of_gaps_is_cut_short():
    ksbs = [KsbCoverage(f"K{n}", False) for n in range(1, 13)]
    item = _item(replace(READY, ksbs=ksbs), rules.KSBS)
    assert item.why.endswith("K9, K10 and 2 more")


def test_a_standard_without_ksbs_is_not_met():
    item = _item(replace(READY, ksbs=[]), rules.KSBS)
    assert not item.met
    assert "no KSBs" in item.why


def test_off_the_job_hours_are_met_at_the_required_number():
    item = _item(READY, rules.HOURS)
    assert item.met
    assert item.why == "400 hours verified, of the 400 required"


def test_off_the_job_hours_short_say_how_many_to_go():
    item = _item(replace(READY, verified_hours=Decimal("312.50")), rules.HOURS)
    assert not item.met
    assert item.why == "312.5 of the 400 required off-the-job hours verified: 87.5 to go"


def test_a_signed_off_project_is_met():
    item = _item(READY, rules.PROJECT)
    assert item.met
    assert item.why == "Signed off by the sponsor on 20 May 2028"


def test_a_project_not_signed_off_says_where_it_is():
    submitted = replace(READY, project_state="submitted", project_submitted_on=dt.date(2028, 5, 2))
    assert _item(submitted, rules.PROJECT).why == (
        "Submitted on 2 May 2028; waiting for the sponsor to sign it off"
    )
    assert not _item(submitted, rules.PROJECT).met
    none = replace(READY, project_state=None)
    assert _item(none, rules.PROJECT).why == "No workplace project has been proposed yet"
    assert not _item(replace(READY, project_state="approved"), rules.PROJECT).met


def test_the_employer_and_provider_are_met_once_they_agree():
    facts = replace(READY, employer=AGREED, provider=AGREED)
    employer = _item(facts, rules.EMPLOYER)
    assert employer.met
    assert employer.why == "Agreed by Lee Fraser on 1 June 2028"
    assert _item(facts, rules.PROVIDER).met
    assert rules.passed(rules.checklist(facts))


def test_before_agreeing_the_parties_wait_for_the_rest_or_for_themselves():
    waiting = _item(READY, rules.PROVIDER)
    assert not waiting.met
    assert waiting.why == "Waiting for the provider's programme leader to agree"
    not_ready = _item(replace(READY, verified_hours=Decimal(1)), rules.EMPLOYER)
    assert not not_ready.met
    assert "once the modules, KSBs, hours and project are all met" in not_ready.why
    assert rules.ready(rules.checklist(READY))
    assert not rules.passed(rules.checklist(replace(READY, employer=AGREED)))


def test_hours_are_written_without_trailing_zeros():
    assert rules.hours_text(Decimal("400.00")) == "400"
    assert rules.hours_text(Decimal("1234.50")) == "1,234.5"
