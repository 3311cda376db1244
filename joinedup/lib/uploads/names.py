"""File names people see: the uploader's name made safe to show and to offer as a download name.

The name never touches the disk (stored files have generated names). A name that climbs out of
its folder ("..\\x", "\\etc\\x") is refused by the upload check (`leaves_its_folder`), since
only a hostile client sends one; any other name is cleaned, not refused: folders are dropped,
control and formatting characters (including right-to-left overrides that disguise "gpj.exe" as
"exe.jpg") removed, characters Windows reserves replaced.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARACTERS = 120
MAX_NAME_BYTES = 240  # UTF-8 bytes; most filesystems allow 255 for a name someone saves it under
FALLBACK_STEM = "file"
_RESERVED = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
# Names Windows reserves for devices, with or without an extension ("CON.txt" is still CON).
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{n}" for n in "0123456789¹²³"}
    | {f"lpt{n}" for n in "0123456789¹²³"}
)


def sanitise_file_name(raw: str) -> str:
    """A safe display and download name for `raw`: no folders, no control characters, no characters
    Windows reserves, no leading dot, at most 120 characters, the extension kept."""
    name = re.split(r"[/\\]", raw)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if ch.isspace() else ch for ch in name if _is_visible(ch))
    name = _RESERVED.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip(" .")
    extension = extension.strip(" ")
    if len(extension) > 10 or not extension.isalnum():
        stem, extension = name, ""
    if stem.split(".")[0].strip(" ").lower() in DEVICE_NAMES:
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    stem = _shorten(stem, suffix) or FALLBACK_STEM
    return f"{stem}{suffix}"


def leaves_its_folder(raw: str) -> bool:
    """Whether a name climbs out of its folder: a ".." part, or a leading slash or backslash."""
    parts = re.split(r"[/\\]", raw)
    return raw.startswith(("/", "\\")) or any(part.strip() == ".." for part in parts)


def extension_of(name: str) -> str:
    """The lower-case extension of a (sanitised) name without its dot, or "" if it has none."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _is_visible(ch: str) -> bool:
    # Cc: control characters; Cf: formatting (bidi overrides, zero-width); Cs/Co/Cn: surrogates,
    # private use and unassigned code points, which show as boxes or not at all.
    return ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}


def _shorten(stem: str, suffix: str) -> str:
    stem = stem[: max(MAX_NAME_CHARACTERS - len(suffix), 1)]
    while stem and len(f"{stem}{suffix}".encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .")
