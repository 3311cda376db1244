"""File names made safe to show and to offer for download, whatever the uploader sent."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from joinedup.lib.uploads.names import (
    DEVICE_NAMES,
    MAX_NAME_BYTES,
    MAX_NAME_CHARACTERS,
    sanitise_file_name,
)

RESERVED = set('<>:"/\\|?*')


@given(st.text(max_size=400))
@example("../../etc/passwd")
@example("C:\\Windows\\System32\\evil.pdf")
@example("CON.txt")
@example(". . .")
@example("\u202egpj.exe")
@example("a" * 300 + ".docx")
@example("é" * 200 + ".pdf")
def test_any_name_becomes_a_short_visible_name_without_folders(raw):
    name = sanitise_file_name(raw)

    assert name
    assert not RESERVED & set(name)
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in name)
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert len(name) <= MAX_NAME_CHARACTERS
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name.split(".")[0].strip().lower() not in DEVICE_NAMES


@given(st.text(max_size=400))
def test_cleaning_a_clean_name_changes_nothing(raw):
    name = sanitise_file_name(raw)

    assert sanitise_file_name(name) == name


@given(
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=60),
    st.sampled_from(["pdf", "docx", "pptx", "txt", "csv", "zip"]),
)
def test_an_ordinary_name_keeps_its_words_and_extension(stem, extension):
    name = sanitise_file_name(f"{stem}.{extension}")

    assert name.endswith(f".{extension}")
    if stem.lower() not in DEVICE_NAMES:
        assert name == unicodedata.normalize("NFC", f"{stem}.{extension}")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/cron.d/plan.txt", "plan.txt"),
        ("C:\\Users\\me\\Handout (final).docx", "Handout (final).docx"),
        ("report\u202efdp.exe", "reportfdp.exe"),
        ('what: "why"?.pdf', "what_ _why__.pdf"),
        ("nul.txt", "_nul.txt"),
        ("  .hidden  ", "hidden"),
        ("", "file"),
        ("../", "file"),
        ("tab\tand\nnewline.txt", "tab and newline.txt"),
        ("x" * 200 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_hostile_names_are_cleaned_as_people_would_expect(raw, expected):
    assert sanitise_file_name(raw) == expected
