"""The one exception an upload check raises: a refusal whose reason is shown to the uploader."""

from __future__ import annotations


class UploadRefused(Exception):
    """An upload that is not stored; `reason` says why in plain words, for the form's error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
