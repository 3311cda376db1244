"""The licences a shared material may carry, and which licence an adaptation may take.
Plain data in, plain data out.

Six licences (issue 5, "Materials"): four open ones (Open Government Licence v3.0, CC BY 4.0,
CC BY-SA 4.0, CC BY-NC 4.0) and two that keep a material inside ("partnership members only",
"owner organisation only"). "Open" here means the licence lets anyone read and share the material,
so it may be published on public pages (after the owner's explicit "publish openly" step); CC BY-NC
counts as open in that sense, although not by the Open Definition, because reading and sharing
without charge is non-commercial use.

An adaptation's licence follows its source (issue 5, "Lineage"), with the choices this module
makes where the issue is silent:

- Open Government Licence v3.0 and CC BY 4.0 ask only for attribution, which the lineage gives
  (the adaptation's page credits the exact version it came from). Neither has a share-alike or
  non-commercial term, so an adaptation may take any of the six licences, open or not.
- CC BY-SA 4.0 stays CC BY-SA 4.0: its ShareAlike term makes any adaptation that is shared carry
  the same licence, and sharing with partners is sharing, so not even a narrower audience is
  allowed. No other licence here is one Creative Commons lists as BY-SA compatible.
- CC BY-NC 4.0 keeps the non-commercial term: CC BY-NC 4.0, partnership members only or owner
  organisation only. The two inside licences grant no commercial use at all (partners are public
  services using each other's material for their own staff), so narrowing the audience keeps the
  term; OGL, CC BY and CC BY-SA would grant commercial use the source never gave.
- Partnership members only stays members only or narrower (owner organisation only). Even the
  source's owner cannot open it up through an adaptation: opening a material is an explicit
  decision about that material (its licence and the "publish openly" step), never a side effect
  of adapting it.
- Owner organisation only can be adapted only inside that organisation, and the adaptation stays
  owner organisation only, for the same reason.

A chain of adaptations therefore never widens a members-only or owner-only audience and never
drops a ShareAlike or non-commercial term.
"""

from __future__ import annotations

from dataclasses import dataclass

OGL_3 = "ogl-3"
CC_BY_4 = "cc-by-4"
CC_BY_SA_4 = "cc-by-sa-4"
CC_BY_NC_4 = "cc-by-nc-4"
PARTNERSHIP = "partnership"
OWNER_ONLY = "owner-only"


@dataclass(frozen=True)
class Licence:
    """One licence: its code, the label people read, and for open licences the licence text."""

    code: str
    label: str
    url: str | None

    @property
    def is_open(self) -> bool:
        """Whether anyone may read and share a material under this licence."""
        return self.url is not None


# In the order forms offer them: the most open first.
LICENCES: dict[str, Licence] = {
    licence.code: licence
    for licence in (
        Licence(
            OGL_3,
            "Open Government Licence v3.0",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        ),
        Licence(CC_BY_4, "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
        Licence(CC_BY_SA_4, "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
        Licence(CC_BY_NC_4, "CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
        Licence(PARTNERSHIP, "Partnership members only", None),
        Licence(OWNER_ONLY, "Owner organisation only", None),
    )
}

LICENCE_CHOICES: list[tuple[str, str]] = [(code, item.label) for code, item in LICENCES.items()]

INSIDE = (PARTNERSHIP, OWNER_ONLY)

# The licences an adaptation may take, by its source's licence, and why others are refused.
_FOLLOWS: dict[str, tuple[tuple[str, ...], str]] = {
    OGL_3: (tuple(LICENCES), ""),
    CC_BY_4: (tuple(LICENCES), ""),
    CC_BY_SA_4: (
        (CC_BY_SA_4,),
        "An adaptation of a CC BY-SA 4.0 material must also be CC BY-SA 4.0 (its ShareAlike term).",
    ),
    CC_BY_NC_4: (
        (CC_BY_NC_4, *INSIDE),
        "An adaptation of a CC BY-NC 4.0 material must keep its non-commercial term: "
        "choose CC BY-NC 4.0, Partnership members only or Owner organisation only.",
    ),
    PARTNERSHIP: (
        INSIDE,
        "An adaptation of a partnership members only material must stay members only or "
        "narrower: choose Partnership members only or Owner organisation only.",
    ),
    OWNER_ONLY: (
        (OWNER_ONLY,),
        "An adaptation of an owner organisation only material must stay owner organisation only.",
    ),
}

OUTSIDE_OWNER = "Only the owner organisation can adapt a material licensed owner organisation only."


def licence(code: str) -> Licence:
    """The licence with this code; a ValueError naming the code if there is none."""
    try:
        return LICENCES[code]
    except KeyError:
        raise ValueError(f"{code!r} is not a licence code") from None


def is_open(code: str) -> bool:
    """Whether a material under this licence may be published for anyone to read."""
    return licence(code).is_open


def allowed_adaptation_licences(source: str, *, same_organisation: bool) -> list[str]:
    """The licence codes an adaptation of a `source`-licensed material may take, in form order.

    `same_organisation` says whether the adapting organisation owns the source material.
    """
    licence(source)
    if source == OWNER_ONLY and not same_organisation:
        return []
    allowed, _ = _FOLLOWS[source]
    return [code for code in LICENCES if code in allowed]


def adaptation_refusal(
    source_licence: str, chosen_licence: str, *, same_organisation: bool
) -> str | None:
    """Why an adaptation of a `source_licence` material may not take `chosen_licence`, in plain
    words; None when it may."""
    licence(source_licence)
    licence(chosen_licence)
    if source_licence == OWNER_ONLY and not same_organisation:
        return OUTSIDE_OWNER
    allowed, reason = _FOLLOWS[source_licence]
    return None if chosen_licence in allowed else reason
