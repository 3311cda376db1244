"""Talent profiles: the person's own profile and its discoverability, a profile seen by others,
and the skills vocabulary that L&D leads and the partnership lead curate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.models import Partnership, Sector
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, profiles, skills
from ..models import OpportunityKind, OpportunitySkill, Profile, ProfileSkill, Skill, SkillStatus
from ..profile_forms import (
    ConfirmForm,
    DiscoverableForm,
    ExperienceForm,
    MergeForm,
    ProfileForm,
    SearchForm,
    SkillForm,
    SynonymForm,
)

CURATED_LIMIT = 200
FREE_LIMIT = 100
HINT_LIMIT = 60


def _own_profile(request: HttpRequest) -> Profile:
    """The signed-in person's profile (made on first visit)."""
    if request.actor.person is None:
        raise PermissionDenied
    try:
        return profiles.profile_for(request.actor.person, actor=request.actor)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error


def _labels(values: list[str], choices: type) -> list[str]:
    names = dict(choices.choices)
    return [names.get(value, value) for value in values]


def _summary(profile: Profile) -> dict:
    """What a profile page shows, for the person and for others."""
    return {
        "profile": profile,
        "skills": profiles.skill_names(profile),
        "experiences": list(profile.experiences.all()),
        "kinds": _labels(profile.aspiration_kinds, OpportunityKind),
        "sectors": _labels(profile.aspiration_sectors, Sector),
    }


def _hints(profile: Profile) -> list[str]:
    """Names in the vocabulary, most held first, to suggest on the form."""
    held = Count("profile_skills")
    curated = Skill.objects.filter(partnership=profile.partnership, status=SkillStatus.CURATED)
    return list(
        curated.annotate(held=held)
        .order_by("-held", "name")
        .values_list("name", flat=True)[:HINT_LIMIT]
    )


@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    """The person's own profile with who sees it, and the switch letting partners find it."""
    profile = _own_profile(request)
    context = {
        **_summary(profile),
        "discoverable_form": DiscoverableForm(
            initial={"discoverable": "yes" if profile.discoverable else "no"}
        ),
    }
    return render(request, "talent/profiles/mine.html", context)


@require_http_methods(["GET", "POST"])
def my_profile_edit(request: HttpRequest) -> HttpResponse:
    """Change skills, aspirations, mobility and availability."""
    profile = _own_profile(request)
    initial = {field: getattr(profile, field) for field in profiles.PROFILE_FIELDS}
    initial["skills"] = ", ".join(profiles.skill_names(profile))
    for field in ("aspiration_seniority_min", "aspiration_seniority_max"):
        initial[field] = "" if initial[field] is None else str(initial[field])
    form = ProfileForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = profiles.update_profile(request.actor, profile, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Profile saved." if changed else "Nothing was changed.")
            return redirect("talent:my-profile")
    context = {"form": form, "profile": profile, "hints": _hints(profile)}
    return render(request, "talent/profiles/edit.html", context)


@require_http_methods(["GET", "POST"])
def my_profile_discoverable(request: HttpRequest) -> HttpResponse:
    """Let partners find the profile, or stop them at once."""
    profile = _own_profile(request)
    form = DiscoverableForm(
        posted(request), initial={"discoverable": "yes" if profile.discoverable else "no"}
    )
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["discoverable"] == "yes"
        try:
            profiles.set_discoverable(request.actor, profile, on)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                "People across the partnership can now find your profile."
                if on
                else "Your profile is now seen only by your own organisation.",
            )
            return redirect("talent:my-profile")
    return render(request, "talent/profiles/discoverable.html", {"form": form, "profile": profile})


@require_http_methods(["GET", "POST"])
def experience_add(request: HttpRequest) -> HttpResponse:
    """Add a role in a sector before joining the partnership."""
    profile = _own_profile(request)
    form = ExperienceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            profiles.add_experience(request.actor, profile, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Experience added.")
            return redirect("talent:my-profile")
    return render(request, "talent/profiles/experience_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def experience_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a past role from the person's own profile."""
    experience = access.get_own_experience(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        profiles.remove_experience(request.actor, experience)
        messages.success(request, "Experience removed.")
        return redirect("talent:my-profile")
    context = {
        "form": form,
        "title": f"Remove {experience.role}?",
        "caption": experience.get_sector_display(),
        "button": "Remove",
        "back": reverse("talent:my-profile"),
    }
    return render(request, "talent/profiles/confirm.html", context)


@require_GET
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A profile the actor may see: a colleague's, or a partner's its owner made discoverable."""
    profile = access.get_profile_for(request.actor, pk)
    context = {**_summary(profile), "mine": access.may_change_profile(request.actor, profile)}
    return render(request, "talent/profiles/detail.html", context)


# --- The vocabulary ------------------------------------------------------------------------------


def _curated_partnership(request: HttpRequest) -> tuple[Partnership, list[Partnership]]:
    """The partnership whose vocabulary is shown (`?partnership=`), among those curated."""
    curated = access.curated_partnerships(request.actor)
    if not curated:
        raise PermissionDenied
    chosen = request.GET.get("partnership", "")
    found = next((p for p in curated if chosen.isdigit() and str(p.pk) == chosen), curated[0])
    return found, curated


def _count(model: type, field: str = "skill") -> Coalesce:
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _with_usage(found: QuerySet[Skill]) -> QuerySet[Skill]:
    return found.annotate(held=_count(ProfileSkill), wanted=_count(OpportunitySkill))


@require_http_methods(["GET", "POST"])
def vocabulary(request: HttpRequest) -> HttpResponse:
    """The curated skills with their other names and usage, the free entries to merge or
    promote, and adding a skill."""
    partnership, curated_in = _curated_partnership(request)
    form = SkillForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            skill = profiles.add_skill(request.actor, partnership, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{skill.name} is in the vocabulary.")
            return redirect(request.get_full_path())
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    found = Skill.objects.filter(partnership=partnership)
    if query:
        key = skills.key_of(query)
        found = found.filter(Q(key__contains=key) | Q(synonyms__key__contains=key)).distinct()
    curated = _with_usage(found.filter(status=SkillStatus.CURATED)).order_by("key", "pk")
    free = _with_usage(found.filter(status=SkillStatus.FREE)).order_by("-held", "key", "pk")
    curated_rows = list(curated.prefetch_related("synonyms")[: CURATED_LIMIT + 1])
    free_rows = list(free[: FREE_LIMIT + 1])
    context = {
        "form": form,
        "search": search,
        "query": query,
        "partnership": partnership,
        "partnerships": curated_in if len(curated_in) > 1 else [],
        "curated": curated_rows[:CURATED_LIMIT],
        "more_curated": len(curated_rows) > CURATED_LIMIT,
        "free": free_rows[:FREE_LIMIT],
        "more_free": len(free_rows) > FREE_LIMIT,
        "curated_limit": CURATED_LIMIT,
        "free_limit": FREE_LIMIT,
    }
    return render(request, "talent/profiles/vocabulary.html", context)


def _skill_page(request: HttpRequest, skill: Skill, **forms) -> HttpResponse:
    usage = _with_usage(Skill.objects.filter(pk=skill.pk)).values("held", "wanted").get()
    context = {
        "skill": skill,
        "synonyms": list(skill.synonyms.all()),
        "usage": usage,
        "rename_form": forms.get("rename_form")
        or SkillForm(initial={"name": skill.name, "description": skill.description}),
        "synonym_form": forms.get("synonym_form") or SynonymForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "promote_form": forms.get("promote_form") or ConfirmForm(),
        "free": skill.status == SkillStatus.FREE,
    }
    return render(request, "talent/profiles/skill.html", context)


@require_GET
def skill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A skill of the vocabulary, or a free entry, with what a curator may do to it."""
    return _skill_page(request, access.get_curated_skill_for(request.actor, pk))


@require_http_methods(["GET", "POST"])
def skill_rename(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a skill or change its description."""
    skill = access.get_curated_skill_for(request.actor, pk)
    form = SkillForm(
        posted(request), initial={"name": skill.name, "description": skill.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            profiles.rename_skill(request.actor, skill, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Saved {skill.name}.")
            return redirect("talent:skill", pk=skill.pk)
    return _skill_page(request, skill, rename_form=form)


@require_http_methods(["GET", "POST"])
def synonym_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a curated skill another name."""
    skill = access.get_curated_skill_for(request.actor, pk)
    form = SynonymForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            synonym = profiles.add_synonym(request.actor, skill, form.cleaned_data["synonym"])
        except ValidationError as error:
            show_refusal(form, error, field_for={"name": "synonym"})
        else:
            messages.success(request, f"{synonym.name} now means {skill.name}.")
            return redirect("talent:skill", pk=skill.pk)
    return _skill_page(request, skill, synonym_form=form)


@require_http_methods(["GET", "POST"])
def synonym_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove another name of a skill."""
    synonym = access.get_curated_synonym_for(request.actor, pk)
    skill = synonym.skill
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        profiles.remove_synonym(request.actor, synonym)
        messages.success(request, f"{synonym.name} no longer means {skill.name}.")
        return redirect("talent:skill", pk=skill.pk)
    context = {
        "form": form,
        "title": f"Remove {synonym.name} as another name for {skill.name}?",
        "caption": "Skills vocabulary",
        "hint": "Profiles keep the skill; typing this name will make a free entry again.",
        "button": "Remove",
        "back": reverse("talent:skill", args=[skill.pk]),
    }
    return render(request, "talent/profiles/confirm.html", context)


@require_http_methods(["GET", "POST"])
def skill_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a free entry into a curated skill named by the curator."""
    skill = access.get_curated_skill_for(request.actor, pk)
    form = MergeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["into"]
        into = skills.find(skill.partnership, [name]).get(skills.key_of(name))
        try:
            if into is None or into.status != SkillStatus.CURATED:
                raise ValidationError({"into": f"No skill in the vocabulary is called {name}"})
            profiles.merge_skill(request.actor, skill, into)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{skill.name} is merged into {into.name}.")
            return redirect("talent:skill", pk=into.pk)
    return _skill_page(request, skill, merge_form=form)


@require_http_methods(["GET", "POST"])
def skill_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a free entry into the vocabulary as it is."""
    skill = access.get_curated_skill_for(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            profiles.promote_skill(request.actor, skill)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{skill.name} is in the vocabulary.")
            return redirect("talent:skill", pk=skill.pk)
    return _skill_page(request, skill, promote_form=form)
