"""Licences (materials/licences.py): the vocabulary, which are open, and which licence an
adaptation may take, for every pair and along any chain of adaptations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.materials.licences import (
    CC_BY_4,
    CC_BY_NC_4,
    CC_BY_SA_4,
    LICENCE_CHOICES,
    LICENCES,
    OGL_3,
    OWNER_ONLY,
    PARTNERSHIP,
    adaptation_refusal,
    allowed_adaptation_licences,
    is_open,
)
from joinedup.materials.models import Material, MaterialKind

CODES = list(LICENCES)
EVERY = set(CODES)

# Written out by hand from the issue, independently of the module's table.
ALLOWED_FOR_ANOTHER_ORGANISATION = {
    OGL_3: EVERY,
    CC_BY_4: EVERY,
    CC_BY_SA_4: {CC_BY_SA_4},
    CC_BY_NC_4: {CC_BY_NC_4, PARTNERSHIP, OWNER_ONLY},
    PARTNERSHIP: {PARTNERSHIP, OWNER_ONLY},
    OWNER_ONLY: set(),
}
ALLOWED_FOR_THE_OWNER = ALLOWED_FOR_ANOTHER_ORGANISATION | {OWNER_ONLY: {OWNER_ONLY}}

codes = st.sampled_from(CODES)


def test_the_codes_the_models_store_are_the_six_licences_of_the_issue():
    assert CODES == [OGL_3, CC_BY_4, CC_BY_SA_4, CC_BY_NC_4, PARTNERSHIP, OWNER_ONLY]
    assert CODES == ["ogl-3", "cc-by-4", "cc-by-sa-4", "cc-by-nc-4", "partnership", "owner-only"]
    assert LICENCE_CHOICES[0] == ("ogl-3", "Open Government Licence v3.0")
    assert dict(LICENCE_CHOICES)["partnership"] == "Partnership members only"
    assert dict(LICENCE_CHOICES)["owner-only"] == "Owner organisation only"


def test_open_licences_link_to_their_text_and_inside_ones_have_no_link():
    assert LICENCES[OGL_3].url.startswith("https://www.nationalarchives.gov.uk/")
    assert LICENCES[CC_BY_SA_4].url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert LICENCES[PARTNERSHIP].url is None
    assert LICENCES[OWNER_ONLY].url is None


def test_the_four_public_licences_are_open_and_the_two_inside_ones_are_not():
    assert [code for code in CODES if is_open(code)] == [OGL_3, CC_BY_4, CC_BY_SA_4, CC_BY_NC_4]


@pytest.mark.parametrize("same_organisation", [True, False])
@pytest.mark.parametrize("source", CODES)
def test_the_allowed_licences_are_those_the_issue_names(source, same_organisation):
    expected = (ALLOWED_FOR_THE_OWNER if same_organisation else ALLOWED_FOR_ANOTHER_ORGANISATION)[
        source
    ]
    allowed = allowed_adaptation_licences(source, same_organisation=same_organisation)
    assert set(allowed) == expected
    assert allowed == [code for code in CODES if code in expected]


def test_share_alike_refusal_names_the_share_alike_term():
    reason = adaptation_refusal(CC_BY_SA_4, CC_BY_4, same_organisation=True)
    assert reason == (
        "An adaptation of a CC BY-SA 4.0 material must also be CC BY-SA 4.0 (its ShareAlike term)."
    )


def test_share_alike_cannot_be_narrowed_to_partnership_members():
    assert adaptation_refusal(CC_BY_SA_4, PARTNERSHIP, same_organisation=False) is not None


def test_non_commercial_refusal_says_which_licences_keep_the_term():
    reason = adaptation_refusal(CC_BY_NC_4, OGL_3, same_organisation=False)
    assert "non-commercial" in reason
    assert "CC BY-NC 4.0, Partnership members only or Owner organisation only" in reason


def test_members_only_cannot_be_opened_even_by_its_owner():
    reason = adaptation_refusal(PARTNERSHIP, CC_BY_4, same_organisation=True)
    assert "must stay members only or narrower" in reason


def test_owner_only_refuses_another_organisation_whatever_it_chooses():
    for chosen in CODES:
        assert adaptation_refusal(OWNER_ONLY, chosen, same_organisation=False) == (
            "Only the owner organisation can adapt a material licensed owner organisation only."
        )


def test_owner_only_adapted_by_its_owner_stays_owner_only():
    assert adaptation_refusal(OWNER_ONLY, OWNER_ONLY, same_organisation=True) is None
    assert "must stay owner organisation only" in adaptation_refusal(
        OWNER_ONLY, PARTNERSHIP, same_organisation=True
    )


def test_open_government_and_cc_by_material_may_be_kept_inside():
    assert adaptation_refusal(OGL_3, OWNER_ONLY, same_organisation=False) is None
    assert adaptation_refusal(CC_BY_4, CC_BY_NC_4, same_organisation=False) is None


@pytest.mark.parametrize("bad", ["", "CC-BY-4", "cc-by-3", "public"])
def test_an_unknown_code_is_a_value_error_naming_it(bad):
    with pytest.raises(ValueError, match=repr(bad)):
        adaptation_refusal(bad, OGL_3, same_organisation=True)
    with pytest.raises(ValueError, match=repr(bad)):
        adaptation_refusal(OGL_3, bad, same_organisation=True)
    with pytest.raises(ValueError, match=repr(bad)):
        allowed_adaptation_licences(bad, same_organisation=True)
    with pytest.raises(ValueError, match=repr(bad)):
        is_open(bad)


@given(source=codes, chosen=codes, same_organisation=st.booleans())
def test_the_allowed_list_and_the_refusal_agree_for_every_pair(source, chosen, same_organisation):
    allowed = allowed_adaptation_licences(source, same_organisation=same_organisation)
    refusal = adaptation_refusal(source, chosen, same_organisation=same_organisation)
    assert (chosen in allowed) == (refusal is None)
    if refusal is not None:
        assert refusal.endswith(".")
        assert len(refusal) > 40


@given(
    first=codes,
    steps=st.lists(st.tuples(codes, st.booleans()), max_size=12),
)
def test_a_chain_of_adaptations_never_widens_the_audience_or_drops_a_term(first, steps):
    """Each step tries a licence, by the owner or by another organisation; refused steps are
    not taken, as the service refuses them."""
    chain = [first]
    for chosen, same_organisation in steps:
        if adaptation_refusal(chain[-1], chosen, same_organisation=same_organisation) is None:
            chain.append(chosen)
    for earlier, later in ((a, b) for i, a in enumerate(chain) for b in chain[i + 1 :]):
        if earlier == OWNER_ONLY:
            assert later == OWNER_ONLY
        if earlier == PARTNERSHIP:
            assert later in (PARTNERSHIP, OWNER_ONLY)
        if earlier == CC_BY_SA_4:
            assert later == CC_BY_SA_4
        if earlier == CC_BY_NC_4:
            assert later in (CC_BY_NC_4, PARTNERSHIP, OWNER_ONLY)
        if not is_open(earlier):
            assert not is_open(later)


@pytest.mark.parametrize("code", CODES)
def test_a_material_shows_the_label_of_its_licence_and_kind(code):
    for kind, kind_label in MaterialKind.choices:
        material = Material(kind=kind, licence=code)

        assert material.get_licence_display() == LICENCES[code].label
        assert material.get_kind_display() == kind_label


def test_a_code_without_a_label_shows_as_itself():
    material = Material(kind="podcast", licence="all-rights-reserved")

    assert (material.get_kind_display(), material.get_licence_display()) == (
        "podcast",
        "all-rights-reserved",
    )
