"""The local authorities reference data: loaded once, looked up by code, searched by name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from joinedup.network import places


def test_every_english_local_authority_is_loaded():
    assert len(places.all_places()) == 317
    assert places._places.cache_info().currsize == 1


def test_a_place_is_found_by_its_code_in_any_case():
    barnet = places.place_for(" e09000003 ")
    assert barnet is not None
    assert (barnet.gss_code, barnet.name, barnet.region) == ("E09000003", "Barnet", "London")


def test_an_unknown_code_finds_nothing():
    assert places.place_for("E99999999") is None


def test_search_finds_names_containing_the_text_and_puts_a_code_first():
    assert [place.name for place in places.search("manchester")] == ["Manchester"]
    assert "Barnsley" in [place.name for place in places.search("barn")]
    assert places.search("E09000003")[0].name == "Barnet"
    assert places.search("  ") == []


def test_valid_codes_give_their_places_once_each():
    found = places.validate_codes(["E09000003", "e09000003", "", "E08000003"])
    assert [place.name for place in found] == ["Barnet", "Manchester"]


def test_an_unknown_code_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        places.validate_codes(["E09000003", "W06000015", "nonsense"])
    assert refused.value.message_dict == {
        "places": ["Not the code of an English local authority: W06000015, nonsense"]
    }
