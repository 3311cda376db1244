"""Learning reviews of initiatives: what a partner learnt, on a date, with evidence and measures.

`add_review` and `update_review` check everything and either save the whole review (its evidence
and outcome measures replaced as given) in one transaction with one audit entry, or refuse with a
`ValidationError` whose keys name the field, or the row and its field (`evidence_2_link`,
`measures_1_value`), each message naming the row in words. A row left wholly blank is skipped, so
the rows keep their numbers as the person typed them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from joinedup.materials.access import visible_materials
from joinedup.materials.models import Material
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access, fields
from .models import Evidence, Initiative, LearningReview, OutcomeMeasure, Rating

TITLE_LIMIT = Evidence._meta.get_field("title").max_length
LINK_LIMIT = Evidence._meta.get_field("url").max_length
NAME_LIMIT = OutcomeMeasure._meta.get_field("name").max_length
UNIT_LIMIT = OutcomeMeasure._meta.get_field("unit").max_length
MAX_ROWS = 20
# A measure's value fits DecimalField(max_digits=16, decimal_places=4).
VALUE_PLACES = 4
VALUE_LIMIT = Decimal(10) ** 12
# A library material named by its number, or by its address (…/materials/123/).
MATERIAL_NUMBER = re.compile(r"^(?:.*/materials/)?(\d{1,18})/?$")

TEXTS = {
    "what_worked": "What worked",
    "what_did_not": "What did not work",
    "place_history": "History of the place",
    "place_geography": "Geography of the place",
    "place_relationships": "Relationships in the place",
    "frontline_buy_in_notes": "Frontline buy-in notes",
    "reporting_burden_notes": "Reporting burden notes",
}
RATINGS = {"frontline_buy_in": "Frontline buy-in", "reporting_burden": "Reporting burden"}
FIELDS = ("reviewed_on", *TEXTS, *RATINGS)


def _row_text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _material(value: Any, actor: Actor) -> Material | None:
    """A material the actor sees, named by itself, its number or its address."""
    if isinstance(value, Material):
        number = value.pk
    else:
        match = MATERIAL_NUMBER.match(str(value).strip())
        if match is None:
            return None
        number = int(match.group(1))
    return visible_materials(actor).filter(pk=number).first()


def _evidence(
    rows: Sequence[Mapping[str, Any]], actor: Actor, errors: dict[str, str]
) -> list[Evidence]:
    found = []
    for number, row in enumerate(rows, start=1):
        title = _row_text(row, "title")
        link = _row_text(row, "link") or _row_text(row, "url")
        material_given = row.get("material") not in (None, "")
        if not (title or link or material_given):
            continue
        where = f"Evidence {number}"
        if not title:
            errors[f"evidence_{number}_title"] = f"{where}: enter a title"
        elif len(title) > TITLE_LIMIT or "\x00" in title:
            errors[f"evidence_{number}_title"] = (
                f"{where}: the title must be {TITLE_LIMIT} characters or fewer"
            )
        material = None
        if link and material_given:
            errors[f"evidence_{number}_link"] = (
                f"{where}: give a link or a library material, not both"
            )
            continue
        if not (link or material_given):
            errors[f"evidence_{number}_link"] = f"{where}: give a link or a library material"
            continue
        if link:
            try:
                if len(link) > LINK_LIMIT:
                    raise ValidationError("too long")
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError:
                errors[f"evidence_{number}_link"] = (
                    f"{where}: enter a link starting with https:// or http://, "
                    f"{LINK_LIMIT} characters or fewer"
                )
                continue
        else:
            material = _material(row["material"], actor)
            if material is None:
                errors[f"evidence_{number}_material"] = (
                    f"{where}: choose a material from the library that you can see, by its "
                    "number or address"
                )
                continue
        found.append(Evidence(title=title, url=link, material=material))
    return found


def _measures(rows: Sequence[Mapping[str, Any]], errors: dict[str, str]) -> list[OutcomeMeasure]:
    found = []
    today = timezone.localdate()
    for number, row in enumerate(rows, start=1):
        name, unit = _row_text(row, "name"), _row_text(row, "unit")
        raw_value = row.get("value")
        raw_date = row.get("measured_on")
        if not (name or unit or _row_text(row, "value") or raw_date not in (None, "")):
            continue
        where = f"Outcome measure {number}"
        if not name:
            errors[f"measures_{number}_name"] = f"{where}: enter the name of the measure"
        elif len(name) > NAME_LIMIT or "\x00" in name:
            errors[f"measures_{number}_name"] = (
                f"{where}: the name must be {NAME_LIMIT} characters or fewer"
            )
        value = _decimal(raw_value) if _row_text(row, "value") else None
        if value is None:
            errors[f"measures_{number}_value"] = f"{where}: enter the value as a number"
        elif abs(value) >= VALUE_LIMIT or value.as_tuple().exponent < -VALUE_PLACES:  # type: ignore[operator]
            errors[f"measures_{number}_value"] = (
                f"{where}: the value must be under 1,000,000,000,000 with at most "
                f"{VALUE_PLACES} decimal places"
            )
        if not unit:
            errors[f"measures_{number}_unit"] = (
                f"{where}: enter the unit (for example people, days or per cent)"
            )
        elif len(unit) > UNIT_LIMIT or "\x00" in unit:
            errors[f"measures_{number}_unit"] = (
                f"{where}: the unit must be {UNIT_LIMIT} characters or fewer"
            )
        measured_on = fields.date(raw_date)
        if measured_on is None:
            errors[f"measures_{number}_measured_on"] = f"{where}: enter the date it was measured"
        elif measured_on > today:
            errors[f"measures_{number}_measured_on"] = (
                f"{where}: the date measured must be today or in the past"
            )
        if not any(key.startswith(f"measures_{number}_") for key in errors):
            found.append(OutcomeMeasure(name=name, value=value, unit=unit, measured_on=measured_on))
    return found


def _checked(actor: Actor, data: Mapping[str, Any]) -> tuple[dict, list, list]:
    """The review's values, evidence and measures; a ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    reviewed_on = fields.date(data.get("reviewed_on"))
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    values["reviewed_on"] = reviewed_on
    for field, label in TEXTS.items():
        values[field] = fields.text(data, field, label, errors)
    if not values["what_worked"] and "what_worked" not in errors:
        errors["what_worked"] = "Enter what worked"
    for field, label in RATINGS.items():
        rating = str(data.get(field) or "")
        if rating and rating not in Rating.values:
            errors[field] = f"{label}: choose low, medium or high"
        values[field] = rating
    rows = {"evidence": data.get("evidence") or [], "measures": data.get("measures") or []}
    for key, given in rows.items():
        if not isinstance(given, (list, tuple)) or not all(isinstance(r, Mapping) for r in given):
            errors[key] = f"Give the {key} as a list of rows"
            rows[key] = []
        elif len(given) > MAX_ROWS:
            errors[key] = f"Give at most {MAX_ROWS} rows of {key}"
            rows[key] = []
    evidence = _evidence(rows["evidence"], actor, errors)
    measures = _measures(rows["measures"], errors)
    if errors:
        raise ValidationError(errors)
    return values, evidence, measures


def _save_rows(review: LearningReview, evidence: list, measures: list) -> None:
    for row in evidence:
        row.review = review
    for measure in measures:
        measure.review = review
    Evidence.objects.bulk_create(evidence)
    OutcomeMeasure.objects.bulk_create(measures)


def _audit(actor: Actor, review: LearningReview, action: str) -> None:
    audit.record(
        actor=actor,
        action=f"learning_review.{action}",
        kind="learning_review",
        object_id=review.pk,
        label=f"Review of {review.initiative.title}"[:200],
        organisation=review.organisation,
        partnership=review.initiative.partnership,
        changes={
            "initiative": review.initiative_id,
            "reviewed_on": review.reviewed_on.isoformat(),
            "evidence": review.evidence.count(),
            "measures": review.measures.count(),
        },
    )


def add_review(*, actor: Actor, initiative: Initiative, data: Mapping[str, Any]) -> LearningReview:
    """Record a learning review by a partner involved, for the acting organisation."""
    if not access.may_review(actor, initiative):
        raise PermissionDenied
    values, evidence, measures = _checked(actor, data)
    with transaction.atomic():
        review = LearningReview.objects.create(
            initiative=initiative, organisation=actor.organisation, author=actor.person, **values
        )
        _save_rows(review, evidence, measures)
        _audit(actor, review, "added")
    return review


def update_review(
    *, actor: Actor, review: LearningReview, data: Mapping[str, Any]
) -> LearningReview:
    """Change a review (its author or the partnership lead): its evidence and measures are
    replaced by the rows given."""
    if not access.may_edit_review(actor, review):
        raise PermissionDenied
    values, evidence, measures = _checked(actor, data)
    with transaction.atomic():
        for field, value in values.items():
            setattr(review, field, value)
        review.save(update_fields=list(values))
        review.evidence.all().delete()
        review.measures.all().delete()
        _save_rows(review, evidence, measures)
        _audit(actor, review, "changed")
    return review


def review_data(review: LearningReview) -> dict[str, Any]:
    """A saved review as the data `update_review` takes (to fill the edit form)."""
    return {
        **{field: getattr(review, field) for field in FIELDS},
        "evidence": [
            {"title": row.title, "link": row.url, "material": row.material_id or ""}
            for row in review.evidence.all()
        ],
        "measures": [
            {
                "name": row.name,
                "value": f"{row.value.normalize():f}",
                "unit": row.unit,
                "measured_on": row.measured_on,
            }
            for row in review.measures.all()
        ],
    }
