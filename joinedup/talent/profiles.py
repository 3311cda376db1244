"""Talent profiles, and the skills vocabulary that L&D leads curate.

A profile copies the person's main current employment (organisation, sector, seniority) so the
ranking reads one table; each `ProfileSkill` copies the profile's partnership and
discoverability, changed in the same transaction as the profile, so a profile that stops being
discoverable is gone from the very next ranking. Each write is one transaction with one audit
entry (`partnership.audit`); refused input is a ValidationError naming each field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    Employment,
    EmploymentKind,
    Partnership,
    Person,
    Sector,
)

from . import access, skills
from .models import (
    MentoringSignup,
    OpportunityKind,
    OpportunitySkill,
    PriorExperience,
    Profile,
    ProfileSkill,
    Skill,
    SkillStatus,
    SkillSynonym,
)

PROFILE_FIELDS = (
    "headline",
    "summary",
    "aspiration_kinds",
    "aspiration_sectors",
    "aspiration_seniority_min",
    "aspiration_seniority_max",
    "areas",
    "remote",
    "hours_per_week",
    "available_from",
    "availability_note",
)
TEXT_LIMITS = {
    "headline": 200,
    "summary": 5_000,
    "areas": 300,
    "availability_note": 300,
    "role": 200,
    "organisation_name": 200,
    "name": skills.NAME_LIMIT,
    "description": 300,
}
LABELS = {
    "headline": "Headline",
    "summary": "Summary",
    "aspiration_kinds": "Kinds of opportunity",
    "aspiration_sectors": "Sectors",
    "aspiration_seniority_min": "Lowest seniority",
    "aspiration_seniority_max": "Highest seniority",
    "areas": "Areas",
    "remote": "Remote working",
    "hours_per_week": "Hours a week",
    "available_from": "Available from",
    "availability_note": "Availability note",
    "skills": "Skills",
    "sector": "Sector",
    "role": "Role",
    "organisation_name": "Organisation",
    "years": "Years",
    "name": "Name",
    "description": "Description",
}
MAX_SKILLS = 30
MAX_EXPERIENCES = 20
HOURS_LIMIT = Decimal("60")
YEARS_LIMIT = Decimal("60")
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


# --- Checking what was typed ---------------------------------------------------------------------


def _text(value: object, field: str, errors: dict[str, str]) -> str:
    text = str(value if value is not None else "").strip()
    if "\x00" in text:
        errors[field] = f"{LABELS[field]} must not contain NUL characters"
        return ""
    try:
        text.encode()
    except UnicodeEncodeError:
        errors[field] = f"{LABELS[field]} must be valid Unicode text"
        return ""
    if len(text) > TEXT_LIMITS[field]:
        errors[field] = f"{LABELS[field]} must be {TEXT_LIMITS[field]:,} characters or fewer"
    return text


def _choices(
    value: object, field: str, allowed: Sequence[str], errors: dict[str, str]
) -> list[str]:
    """Values from a fixed list, without repeats, in the list's order."""
    if value is None or value == "":
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        errors[field] = f"{LABELS[field]}: choose from the list"
        return []
    chosen = [str(item) for item in value]
    if any(item not in allowed for item in chosen):
        errors[field] = f"{LABELS[field]}: choose from the list"
        return []
    return [item for item in allowed if item in chosen]


def _seniority(value: object, field: str, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors[field] = f"{LABELS[field]} must be a whole number from 1 to 9"
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[field] = f"{LABELS[field]} must be a whole number from 1 to 9"
        return None
    if not 1 <= number <= 9:
        errors[field] = f"{LABELS[field]} must be a whole number from 1 to 9"
        return None
    return number


def _decimal(
    value: object, field: str, limit: Decimal, example: str, errors: dict[str, str]
) -> Decimal | None:
    """A positive number up to `limit` with at most one decimal place (blank is None)."""
    if value is None or value == "":
        return None
    label = LABELS[field]
    if isinstance(value, bool):
        errors[field] = f"{label} must be a number, like {example}"
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = f"{label} must be a number, like {example}"
        return None
    if not number.is_finite() or number <= 0 or number > limit:
        errors[field] = f"{label} must be more than 0 and no more than {limit}"
    elif number != number.quantize(Decimal("0.1")):
        errors[field] = f"{label} must have no more than 1 decimal place"
    else:
        return number.quantize(Decimal("0.1"))
    return None


def _date(value: object, field: str, errors: dict[str, str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            errors[field] = f"{LABELS[field]} must be a real date, like 2027-04-01"
            return None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        errors[field] = f"{LABELS[field]} must be between 2000 and 2100"
        return None
    return value


def _flag(value: object, field: str, errors: dict[str, str]) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    errors[field] = f"{LABELS[field]} must be yes or no"
    return False


def checked_names(value: object, field: str = "skills") -> list[str]:
    """Typed skill names, stored form, without repeats by key; a ValidationError names `field`."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable):
        raise ValidationError({field: "Give skills as a list of names"})
    names: list[str] = []
    keys: set[str] = set()
    for item in value:
        name = skills.clean_name(item)
        if not name:
            continue
        if "\x00" in name:
            raise ValidationError({field: "Skill names must not contain NUL characters"})
        try:
            name.encode()
        except UnicodeEncodeError:
            raise ValidationError({field: "Skill names must be valid Unicode text"}) from None
        if len(name) > skills.NAME_LIMIT:
            raise ValidationError(
                {field: f"Each skill must be {skills.NAME_LIMIT} characters or fewer: {name[:30]}…"}
            )
        if skills.key_of(name) not in keys:
            keys.add(skills.key_of(name))
            names.append(name)
    if len(names) > MAX_SKILLS:
        raise ValidationError({field: f"Give at most {MAX_SKILLS} skills"})
    return names


def profile_values(**fields: Any) -> dict[str, Any]:
    """A profile's checked fields; a ValidationError names each bad one."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "headline": _text(fields.get("headline"), "headline", errors),
        "summary": _text(fields.get("summary"), "summary", errors),
        "aspiration_kinds": _choices(
            fields.get("aspiration_kinds"), "aspiration_kinds", OpportunityKind.values, errors
        ),
        "aspiration_sectors": _choices(
            fields.get("aspiration_sectors"), "aspiration_sectors", Sector.values, errors
        ),
        "aspiration_seniority_min": _seniority(
            fields.get("aspiration_seniority_min"), "aspiration_seniority_min", errors
        ),
        "aspiration_seniority_max": _seniority(
            fields.get("aspiration_seniority_max"), "aspiration_seniority_max", errors
        ),
        "areas": _text(fields.get("areas"), "areas", errors),
        "remote": _flag(fields.get("remote"), "remote", errors),
        "hours_per_week": _decimal(
            fields.get("hours_per_week"), "hours_per_week", HOURS_LIMIT, "22.5", errors
        ),
        "available_from": _date(fields.get("available_from"), "available_from", errors),
        "availability_note": _text(fields.get("availability_note"), "availability_note", errors),
    }
    low, high = values["aspiration_seniority_min"], values["aspiration_seniority_max"]
    if low is not None and high is not None and low > high:
        errors["aspiration_seniority_max"] = (
            "Highest seniority must be the same as or above the lowest"
        )
    if errors:
        raise ValidationError(errors)
    return values


def _plain(value: object) -> object:
    """A value the audit log's JSON can hold."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --- The profile and its copy of the main employment ---------------------------------------------


def main_employment(person: Person) -> Employment | None:
    """The person's main current employment: the latest start among current ones, a
    secondment only when there is nothing else (a secondee stays their home employer's)."""
    return (
        Employment.objects.current()
        .filter(person=person)
        .select_related("organisation")
        .annotate(
            seconded=ExpressionWrapper(
                Q(kind=EmploymentKind.SECONDMENT), output_field=BooleanField()
            )
        )
        .order_by("seconded", "-start_date", "-id")
        .first()
    )


def partnership_of_employment(employment: Employment | None) -> Partnership | None:
    """The partnership of the employment's organisation (the earliest joined, if several)."""
    if employment is None:
        return None
    membership = (
        open_memberships()
        .filter(organisation=employment.organisation_id)
        .select_related("partnership")
        .order_by("joined_on", "id")
        .first()
    )
    return membership.partnership if membership else None


def profile_for(person: Person, *, actor: Actor | None = None) -> Profile:
    """The person's profile, made (private) on first use in the partnership of their main
    current employment's organisation, and brought in step with that employment."""
    profile = Profile.objects.filter(person=person).first()
    if profile is not None:
        sync_employment(profile)
        return profile
    employment = main_employment(person)
    partnership = partnership_of_employment(employment)
    if partnership is None:
        raise ValidationError("A talent profile needs a current job at a partnership member")
    with transaction.atomic():
        profile, created = Profile.objects.get_or_create(
            person=person,
            defaults={
                "partnership": partnership,
                "organisation": employment.organisation if employment else None,
                "sector": employment.organisation.sector if employment else "",
                "seniority": employment.seniority if employment else None,
            },
        )
        if created:
            audit.record(
                actor=actor,
                action="talent_profile.created",
                kind="talent_profile",
                object_id=profile.pk,
                organisation=profile.organisation,
                partnership=partnership,
                changes={"discoverable": False},
            )
    if not created:
        sync_employment(profile)
    return profile


def sync_employment(profile: Profile) -> bool:
    """Copy the person's main current employment (organisation, sector, seniority) onto the
    profile, and its organisation's partnership onto the profile and its skills; True when
    anything changed. Moving to another partnership carries the skills over by name into that
    partnership's vocabulary and withdraws discoverability (the consent was for the old one).
    A person with no current job keeps their profile with no organisation."""
    employment = main_employment(profile.person)
    values: dict[str, Any] = {
        "organisation_id": employment.organisation_id if employment else None,
        "sector": employment.organisation.sector if employment else "",
        "seniority": employment.seniority if employment else None,
    }
    partnership = partnership_of_employment(employment)
    moved = partnership is not None and partnership.pk != profile.partnership_id
    if moved:
        values["partnership_id"] = partnership.pk
        values["discoverable"] = False
        values["discoverable_since"] = None
    if all(getattr(profile, field) == value for field, value in values.items()):
        return False
    with transaction.atomic():
        if moved:
            names = list(profile.profile_skills.values_list("skill__name", flat=True))
            profile.profile_skills.all().delete()
        Profile.objects.filter(pk=profile.pk).update(**values, updated_at=timezone.now())
        for field, value in values.items():
            setattr(profile, field, value)
        if moved:
            profile.partnership = partnership
            _put_skills(profile, skills.resolve(partnership, names, created_by=profile.person))
            audit.record(
                actor=None,
                action="talent_profile.moved_partnership",
                kind="talent_profile",
                object_id=profile.pk,
                organisation=profile.organisation,
                partnership=partnership,
                changes={"partnership": partnership.pk, "discoverable": False},
            )
    return True


def _put_skills(profile: Profile, chosen: list[Skill]) -> tuple[list[int], list[int]]:
    """Make the profile's skills exactly `chosen`, each row copying the profile's partnership
    and discoverability; the ids added and removed."""
    wanted = {skill.pk for skill in chosen}
    held = set(profile.profile_skills.values_list("skill_id", flat=True))
    removed = sorted(held - wanted)
    added = [skill.pk for skill in chosen if skill.pk not in held]
    if removed:
        profile.profile_skills.filter(skill_id__in=removed).delete()
    ProfileSkill.objects.bulk_create(
        [
            ProfileSkill(
                profile=profile,
                skill_id=pk,
                partnership_id=profile.partnership_id,
                discoverable=profile.discoverable,
            )
            for pk in added
        ]
    )
    return added, removed


def skill_names(profile: Profile) -> list[str]:
    """The profile's skills' names, by name."""
    return list(
        profile.profile_skills.order_by("skill__name").values_list("skill__name", flat=True)
    )


def _owner(actor: Actor | None, profile: Profile) -> None:
    if actor is None or not access.may_change_profile(actor, profile):
        raise PermissionDenied("Only the person changes their own talent profile")


def update_profile(actor: Actor, profile: Profile, **fields: Any) -> dict[str, tuple]:
    """The person changes their profile (fields left out keep their values; `skills` takes
    names as `set_skills` does); each changed field as (before, after)."""
    _owner(actor, profile)
    unknown = fields.keys() - {*PROFILE_FIELDS, "skills"}
    if unknown:
        raise TypeError(f"update_profile() got unexpected fields {sorted(unknown)}")
    before = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    errors: dict[str, Any] = {}
    try:
        values = profile_values(**{**before, **fields})
    except ValidationError as error:
        errors.update(error.message_dict)
        values = {}
    names: list[str] | None = None
    if "skills" in fields:
        try:
            names = checked_names(fields["skills"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    changed: dict[str, tuple] = {
        field: (before[field], value) for field, value in values.items() if before[field] != value
    }
    with transaction.atomic():
        if names is not None:
            added, removed = _put_skills(
                profile, skills.resolve(profile.partnership, names, created_by=actor.person)
            )
            if added or removed:
                changed["skills"] = (removed, added)
        if not changed:
            return changed
        Profile.objects.filter(pk=profile.pk).update(
            **{field: values[field] for field in values if field in changed},
            updated_at=timezone.now(),
        )
        for field in changed:
            if field in values:
                setattr(profile, field, values[field])
        audit.record(
            actor=actor,
            action="talent_profile.updated",
            kind="talent_profile",
            object_id=profile.pk,
            organisation=profile.organisation,
            partnership=profile.partnership,
            # Free text is personal: the log says that it changed, not what it says.
            changes={
                field: "changed" if field in TEXT_LIMITS else _changed_value(field, change)
                for field, change in changed.items()
            },
        )
    return changed


def _changed_value(field: str, change: tuple) -> object:
    if field == "skills":
        return {"removed": change[0], "added": change[1]}
    return _plain(change[1])


def set_skills(actor: Actor, profile: Profile, names: Iterable[str] | str) -> tuple[list, list]:
    """The person's skills become the typed names (known names and synonyms are the
    vocabulary's skills; others become free entries); the skill ids added and removed."""
    _owner(actor, profile)
    checked = checked_names(names)
    with transaction.atomic():
        added, removed = _put_skills(
            profile, skills.resolve(profile.partnership, checked, created_by=actor.person)
        )
        if added or removed:
            Profile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
            audit.record(
                actor=actor,
                action="talent_profile.skills_set",
                kind="talent_profile",
                object_id=profile.pk,
                organisation=profile.organisation,
                partnership=profile.partnership,
                changes={"added": added, "removed": removed},
            )
    return added, removed


def set_discoverable(actor: Actor | None, profile: Profile, on: bool) -> bool:
    """Let partners find the profile, or stop them at once: the profile and every one of its
    skill rows (which the ranking's pre-filter reads) change in one transaction. Only the person
    turns it on; the person, or the system (`actor` None, after a change of job), turns it off.
    True when it changed."""
    if not isinstance(on, bool):
        raise ValidationError({"discoverable": "Choose yes or no"})
    if actor is not None or on:
        _owner(actor, profile)
    with transaction.atomic():
        changed = Profile.objects.filter(pk=profile.pk).exclude(discoverable=on)
        since = timezone.now() if on else None
        if not changed.update(discoverable=on, discoverable_since=since, updated_at=timezone.now()):
            # Already so: still make sure every skill row agrees.
            ProfileSkill.objects.filter(profile=profile).exclude(discoverable=on).update(
                discoverable=on
            )
            return False
        ProfileSkill.objects.filter(profile=profile).update(discoverable=on)
        profile.discoverable, profile.discoverable_since = on, since
        audit.record(
            actor=actor,
            action="talent_profile.discoverable" if on else "talent_profile.hidden",
            kind="talent_profile",
            object_id=profile.pk,
            organisation=profile.organisation,
            partnership=profile.partnership,
            changes={"discoverable": on},
        )
    return True


# --- Prior experience ----------------------------------------------------------------------------


def add_experience(
    actor: Actor,
    profile: Profile,
    *,
    sector: str,
    role: str,
    years: Decimal | str | float,
    organisation_name: str = "",
) -> PriorExperience:
    """The person records experience in a sector before joining (sector, role, years)."""
    _owner(actor, profile)
    errors: dict[str, str] = {}
    if sector not in Sector.values:
        errors["sector"] = "Sector: choose from the list"
    role = _text(role, "role", errors)
    if "role" not in errors and not role:
        errors["role"] = "Enter the role"
    organisation_name = _text(organisation_name, "organisation_name", errors)
    if years is None or years == "":
        errors["years"] = "Enter the years, like 2 or 3.5"
        checked_years = None
    else:
        checked_years = _decimal(years, "years", YEARS_LIMIT, "3.5", errors)
    if not errors and profile.experiences.count() >= MAX_EXPERIENCES:
        errors["sector"] = f"A profile holds at most {MAX_EXPERIENCES} past roles"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        experience = PriorExperience.objects.create(
            profile=profile,
            sector=sector,
            role=role,
            organisation_name=organisation_name,
            years=checked_years,
        )
        audit.record(
            actor=actor,
            action="talent_profile.experience_added",
            kind="talent_profile",
            object_id=profile.pk,
            organisation=profile.organisation,
            partnership=profile.partnership,
            changes={"experience": experience.pk, "sector": sector, "years": str(checked_years)},
        )
    return experience


def remove_experience(actor: Actor, experience: PriorExperience) -> None:
    """The person removes a past role from their profile."""
    profile = experience.profile
    _owner(actor, profile)
    with transaction.atomic():
        experience.delete()
        audit.record(
            actor=actor,
            action="talent_profile.experience_removed",
            kind="talent_profile",
            object_id=profile.pk,
            organisation=profile.organisation,
            partnership=profile.partnership,
            changes={"sector": experience.sector},
        )


# --- The vocabulary ------------------------------------------------------------------------------


def _curator(actor: Actor, partnership: Partnership) -> None:
    if not access.may_curate_skills(actor, partnership):
        raise PermissionDenied("Only L&D leads and the partnership lead curate the vocabulary")


def _checked_name(value: object, field: str = "name") -> str:
    errors: dict[str, str] = {}
    name = skills.clean_name(_text(value, "name", errors))
    if not errors and not name:
        errors["name"] = "Enter a name"
    if errors:
        raise ValidationError({field: errors["name"]})
    return name


def _key_taken(partnership: Partnership, key: str, *, allow_skill: Skill | None = None) -> str:
    """Why the key cannot be a new name in the vocabulary ("" when it is free)."""
    skill = Skill.objects.filter(partnership=partnership, key=key).first()
    if skill is not None and skill != allow_skill:
        if skill.status == SkillStatus.FREE:
            return f"{skill.name} is already a free entry: promote it or merge it instead"
        return f"{skill.name} is already a skill in the vocabulary"
    synonym = (
        SkillSynonym.objects.filter(partnership=partnership, key=key)
        .select_related("skill")
        .first()
    )
    if synonym is not None and synonym.skill != allow_skill:
        return f"{synonym.name} is already another name for {synonym.skill.name}"
    return ""


def _record_skill(actor: Actor, action: str, skill: Skill, changes: dict[str, Any]) -> None:
    audit.record(
        actor=actor,
        action=action,
        kind="skill",
        object_id=skill.pk,
        label=skill.name,
        partnership=skill.partnership,
        changes=changes,
    )


NAME_JUST_TAKEN = (
    "Someone has just given this name to a skill or another name in the vocabulary: choose "
    "another name, or find that skill"
)


def add_skill(actor: Actor, partnership: Partnership, name: str, description: str = "") -> Skill:
    """An L&D lead (or the partnership lead) adds a curated skill to the vocabulary."""
    _curator(actor, partnership)
    name = _checked_name(name)
    errors: dict[str, str] = {}
    description = _text(description, "description", errors)
    taken = _key_taken(partnership, skills.key_of(name))
    if taken:
        errors["name"] = taken
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            skill = Skill.objects.create(
                partnership=partnership,
                name=name,
                key=skills.key_of(name),
                status=SkillStatus.CURATED,
                description=description,
                created_by=actor.person,
            )
            _record_skill(actor, "skill.added", skill, {"status": SkillStatus.CURATED})
    except IntegrityError as error:  # the same name saved a moment ago by someone else
        raise ValidationError({"name": NAME_JUST_TAKEN}) from error
    return skill


def rename_skill(actor: Actor, skill: Skill, name: str, description: str | None = None) -> Skill:
    """A curator renames a skill (and may change its description); a name that is one of its
    own synonyms stops being a synonym."""
    _curator(actor, skill.partnership)
    name = _checked_name(name)
    errors: dict[str, str] = {}
    if description is not None:
        description = _text(description, "description", errors)
    key = skills.key_of(name)
    taken = _key_taken(skill.partnership, key, allow_skill=skill)
    if taken:
        errors["name"] = taken
    if errors:
        raise ValidationError(errors)
    before = skill.name
    try:
        with transaction.atomic():
            SkillSynonym.objects.filter(skill=skill, key=key).delete()
            skill.name, skill.key = name, key
            fields = ["name", "key"]
            if description is not None:
                skill.description = description
                fields.append("description")
            skill.save(update_fields=fields)
            _record_skill(actor, "skill.renamed", skill, {"renamed": before != name})
    except IntegrityError as error:
        skill.refresh_from_db()
        raise ValidationError({"name": NAME_JUST_TAKEN}) from error
    return skill


def add_synonym(actor: Actor, skill: Skill, name: str) -> SkillSynonym:
    """A curator adds another name for a curated skill; a name that is already a skill or a
    synonym in the vocabulary is refused."""
    _curator(actor, skill.partnership)
    if skill.status != SkillStatus.CURATED:
        raise ValidationError({"name": "Promote this free entry before giving it other names"})
    name = _checked_name(name)
    taken = _key_taken(skill.partnership, skills.key_of(name))
    if taken:
        raise ValidationError({"name": taken})
    try:
        with transaction.atomic():
            synonym = SkillSynonym.objects.create(
                partnership=skill.partnership, skill=skill, name=name, key=skills.key_of(name)
            )
            _record_skill(actor, "skill.synonym_added", skill, {"synonym": synonym.pk})
    except IntegrityError as error:
        raise ValidationError({"name": NAME_JUST_TAKEN}) from error
    return synonym


def remove_synonym(actor: Actor, synonym: SkillSynonym) -> None:
    """A curator removes another name of a skill (profiles keep the skill itself)."""
    skill = synonym.skill
    _curator(actor, skill.partnership)
    with transaction.atomic():
        pk = synonym.pk
        synonym.delete()
        _record_skill(actor, "skill.synonym_removed", skill, {"synonym": pk})


def promote_skill(actor: Actor, skill: Skill) -> Skill:
    """A curator takes a free entry into the vocabulary as it is."""
    _curator(actor, skill.partnership)
    with transaction.atomic():
        promoted = Skill.objects.filter(pk=skill.pk, status=SkillStatus.FREE).update(
            status=SkillStatus.CURATED
        )
        if not promoted:
            raise ValidationError("This skill is already in the vocabulary")
        skill.status = SkillStatus.CURATED
        _record_skill(actor, "skill.promoted", skill, {"status": SkillStatus.CURATED})
    return skill


def merge_skill(actor: Actor, free: Skill, into: Skill) -> Skill:
    """A curator merges a free entry into a curated skill: its profiles, opportunities and
    mentoring sign-ups move to the curated skill (a holder of both keeps one), its name
    becomes a synonym, and the free entry is deleted. One transaction."""
    _curator(actor, free.partnership)
    if free.status != SkillStatus.FREE:
        raise ValidationError({"into": "Only a free entry can be merged into another skill"})
    if into.partnership_id != free.partnership_id or into.status != SkillStatus.CURATED:
        raise ValidationError({"into": "Choose a skill in this partnership's vocabulary"})
    with transaction.atomic():
        holders = ProfileSkill.objects.filter(skill=into).values("profile_id")
        ProfileSkill.objects.filter(skill=free, profile_id__in=holders).delete()
        moved_profiles = ProfileSkill.objects.filter(skill=free).update(skill=into)
        wanted = OpportunitySkill.objects.filter(skill=into).values("opportunity_id")
        # An opportunity wanting both keeps the curated row, essential if either was.
        OpportunitySkill.objects.filter(
            skill=into,
            opportunity_id__in=OpportunitySkill.objects.filter(skill=free, essential=True).values(
                "opportunity_id"
            ),
        ).update(essential=True)
        OpportunitySkill.objects.filter(skill=free, opportunity_id__in=wanted).delete()
        moved_opportunities = OpportunitySkill.objects.filter(skill=free).update(skill=into)
        through = MentoringSignup.skills.through
        signed = through.objects.filter(skill=into).values("mentoringsignup_id")
        through.objects.filter(skill=free, mentoringsignup_id__in=signed).delete()
        through.objects.filter(skill=free).update(skill=into)
        free_pk, free_name, free_key = free.pk, free.name, free.key
        free.delete()
        SkillSynonym.objects.create(
            partnership=into.partnership, skill=into, name=free_name, key=free_key
        )
        _record_skill(
            actor,
            "skill.merged",
            into,
            {
                "merged": free_pk,
                "profiles_moved": moved_profiles,
                "opportunities_moved": moved_opportunities,
            },
        )
    return into
