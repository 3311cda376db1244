"""One talent scheme for the place: profiles and skills, opportunities and applications,
secondment agreements, rotation schemes, mentoring, and the system-translator figures.

People, organisations and employments belong to `partnership`; a secondment's move is recorded as
an employment there. Seniority is 1-9 and sectors are `partnership.models.Sector` (DESIGN.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.partnership.models import Employment, Organisation, Partnership, Person, Sector


def seniority_range_is_valid(low: str, high: str) -> Q:
    """The condition that a seniority range lies in 1-9 with its low end at most its high end."""
    return Q(**{f"{low}__gte": 1}) & Q(**{f"{high}__lte": 9}) & Q(**{f"{low}__lte": models.F(high)})


# --- Profiles and skills -------------------------------------------------------------------------


class SkillStatus(models.TextChoices):
    CURATED = "curated", "In the vocabulary"
    FREE = "free", "Free entry"


class Skill(models.Model):
    """A skill in a partnership's vocabulary, curated by L&D leads, or a free entry someone typed.

    A lead merges a free entry into a curated skill: its holders and opportunities move to the
    curated skill, its name becomes a synonym, and the free entry is deleted.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=100)
    # Lower case, single spaces: what names are compared by (see talent/skills.py).
    key = models.CharField(max_length=100)
    status = models.CharField(
        max_length=10, choices=SkillStatus.choices, default=SkillStatus.CURATED
    )
    description = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="unique_skill_key")
        ]

    def __str__(self) -> str:
        return self.name


class SkillSynonym(models.Model):
    """Another name for a curated skill ("MI" for "Management information")."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="synonyms")
    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="unique_synonym_key")
        ]

    def __str__(self) -> str:
        return self.name


class OpportunityKind(models.TextChoices):
    SECONDMENT_FULL = "secondment_full", "Secondment (full-time)"
    SECONDMENT_PART = "secondment_part", "Secondment (part-time)"
    ROTATION = "rotation", "Rotation post"
    SHADOWING = "shadowing", "Shadowing"
    PROJECT = "project", "Project or stretch assignment"
    MENTORING = "mentoring", "Mentoring offer"
    ACTION_LEARNING = "action_learning", "Action learning set place"


class Profile(models.Model):
    """A person's talent profile. Nobody outside the person's own organisations sees it unless
    `discoverable` is set, and clearing it hides it at once everywhere (rankings included).

    `organisation`, `sector` and `seniority` copy the person's main current employment, kept
    current by the services that change profiles or employments, so ranking reads one table.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="talent_profile")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sector = models.CharField(max_length=40, choices=Sector.choices, blank=True)
    seniority = models.PositiveSmallIntegerField(null=True, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    discoverable = models.BooleanField(default=False)
    discoverable_since = models.DateTimeField(null=True, blank=True)
    # Aspirations: kinds of opportunity (OpportunityKind values), sectors (Sector values) and a
    # seniority range they would move to.
    aspiration_kinds = models.JSONField(default=list, blank=True)
    aspiration_sectors = models.JSONField(default=list, blank=True)
    aspiration_seniority_min = models.PositiveSmallIntegerField(null=True, blank=True)
    aspiration_seniority_max = models.PositiveSmallIntegerField(null=True, blank=True)
    # Mobility and availability.
    areas = models.CharField(max_length=300, blank=True)
    remote = models.BooleanField(default=False)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    available_from = models.DateField(null=True, blank=True)
    availability_note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["partnership", "discoverable"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(seniority__isnull=True) | (Q(seniority__gte=1) & Q(seniority__lte=9)),
                name="profile_seniority_1_to_9",
            ),
            models.CheckConstraint(
                condition=(
                    Q(aspiration_seniority_min__isnull=True)
                    | Q(aspiration_seniority_max__isnull=True)
                    | seniority_range_is_valid(
                        "aspiration_seniority_min", "aspiration_seniority_max"
                    )
                ),
                name="profile_aspiration_seniority_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Talent profile of {self.person}"


class ProfileSkill(models.Model):
    """A skill on a profile. `discoverable`, `partnership` and `sector` copy the profile's, in the
    same transaction as any change to them, so the ranking's SQL pre-filter reads one index."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="profile_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="profile_skills")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    discoverable = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["skill", "discoverable", "profile"])]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="unique_profile_skill")
        ]

    def __str__(self) -> str:
        return f"{self.skill} on {self.profile_id}"


class PriorExperience(models.Model):
    """Experience in a sector before joining the partnership (counts towards the measure)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="experiences")
    sector = models.CharField(max_length=40, choices=Sector.choices)
    organisation_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200)
    years = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["-years", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gt=0) & Q(years__lte=60), name="experience_years_0_to_60"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.get_sector_display()})"


# --- Opportunities and applications --------------------------------------------------------------


class Audience(models.TextChoices):
    PARTNERSHIP = "partnership", "The whole partnership"
    ORGANISATIONS = "organisations", "Chosen organisations"
    SECTORS = "sectors", "Chosen sectors"


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Opportunity(models.Model):
    """A secondment, rotation post, shadowing, project, mentoring offer or action learning place
    that a host organisation offers to people across the partnership (or some of it)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="opportunities")
    kind = models.CharField(max_length=20, choices=OpportunityKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    seniority_min = models.PositiveSmallIntegerField(default=1)
    seniority_max = models.PositiveSmallIntegerField(default=9)
    starts_on = models.DateField()
    duration_months = models.PositiveSmallIntegerField()
    # Share of working time, in per cent (100 = full time).
    time_share = models.PositiveSmallIntegerField(default=100)
    location = models.CharField(max_length=200, blank=True)
    remote = models.BooleanField(default=False)
    closes_on = models.DateField()
    audience = models.CharField(
        max_length=20, choices=Audience.choices, default=Audience.PARTNERSHIP
    )
    audience_organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    audience_sectors = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    contact = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["closes_on", "id"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["partnership", "status", "closes_on"]),
            models.Index(fields=["host", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=seniority_range_is_valid("seniority_min", "seniority_max"),
                name="opportunity_seniority_range",
            ),
            models.CheckConstraint(
                condition=Q(time_share__gte=1) & Q(time_share__lte=100),
                name="opportunity_time_share_1_to_100",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__gte=1), name="opportunity_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OpportunitySkill(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="opportunity_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="opportunity_skills")
    essential = models.BooleanField(default=True)

    class Meta:
        ordering = ["-essential", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "skill"], name="unique_opportunity_skill"
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({'essential' if self.essential else 'desirable'})"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEWED = "interviewed", "Interviewed"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Offer accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# An application in one of these is still live: one per person per opportunity.
LIVE_APPLICATION = (
    ApplicationStatus.APPLIED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEWED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
)


class Application(models.Model):
    """A person's application to an opportunity, through shortlist, interview and offer."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    home_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    home_employment = models.ForeignKey(
        Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    statement = models.TextField()
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    interview_notes = models.TextField(blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "applicant"],
                condition=Q(status__in=LIVE_APPLICATION),
                name="one_live_application_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} to {self.opportunity_id}"


# --- Secondment agreements -----------------------------------------------------------------------


class AgreementStatus(models.TextChoices):
    AWAITING_RELEASE = "awaiting_release", "Awaiting release by the home organisation"
    SIGNING = "signing", "Awaiting signatures"
    SIGNED = "signed", "Signed"
    ACTIVE = "active", "Secondment under way"
    ENDED = "ended", "Ended"
    CANCELLED = "cancelled", "Cancelled"


class SalaryPayer(models.TextChoices):
    HOME = "home", "Home organisation"
    HOST = "host", "Host organisation"


class SecondmentAgreement(models.Model):
    """The three-party agreement for an accepted offer: released by the home line manager and
    home L&D lead, then signed by the person, the home organisation and the host. Changing the
    terms clears every signature (`terms_version` counts changes)."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="agreement"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="secondments")
    home_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="secondments_out"
    )
    host_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="secondments_in"
    )
    home_employment = models.ForeignKey(
        Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.AWAITING_RELEASE
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    job_title = models.CharField(max_length=200)
    salary_paid_by = models.CharField(
        max_length=10, choices=SalaryPayer.choices, default=SalaryPayer.HOME
    )
    # What the host pays the home organisation over the whole secondment (0 = no recharge),
    # posted on the recharge ledger when the secondment starts.
    recharge_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    objectives = models.TextField(blank=True)
    return_arrangements = models.TextField(blank=True)
    terms_version = models.PositiveIntegerField(default=1)
    line_manager_released_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    line_manager_released_at = models.DateTimeField(null=True, blank=True)
    ld_lead_released_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ld_lead_released_at = models.DateTimeField(null=True, blank=True)
    secondment_employment = models.ForeignKey(
        Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recharge_entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    return_note = models.TextField(blank=True)
    home_feedback = models.TextField(blank=True)
    host_feedback = models.TextField(blank=True)
    person_feedback = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(home_organisation=models.F("host_organisation")),
                name="agreement_home_is_not_host",
            ),
            models.CheckConstraint(
                condition=Q(recharge_amount__gte=0), name="agreement_recharge_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Secondment agreement {self.pk}"


class SignatureParty(models.TextChoices):
    PERSON = "person", "Secondee"
    HOME = "home", "Home organisation"
    HOST = "host", "Host organisation"


class AgreementSignature(models.Model):
    """One party's signature of one version of an agreement's terms."""

    agreement = models.ForeignKey(
        SecondmentAgreement, on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.CharField(max_length=10, choices=SignatureParty.choices)
    signed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    terms_version = models.PositiveIntegerField()
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "terms_version"], name="one_signature_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} signed agreement {self.agreement_id}"


# --- Rotation schemes ----------------------------------------------------------------------------


class RotationScheme(models.Model):
    """A graduate or leadership scheme of placements across employers, run by the partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="rotation_schemes"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    rounds = models.PositiveSmallIntegerField(default=3)
    placement_months = models.PositiveSmallIntegerField(default=8)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rounds__gte=1) & Q(rounds__lte=12), name="scheme_rounds_1_to_12"
            ),
            models.CheckConstraint(
                condition=Q(placement_months__gte=1), name="scheme_placement_months_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    scheme = models.ForeignKey(RotationScheme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="unique_cohort_name")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.name}"


class Participant(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rotations")
    home_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__family_name", "person__given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="unique_participant")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort}"


class RoundStatus(models.TextChoices):
    PREFERENCES = "preferences", "Collecting preferences"
    MATCHED = "matched", "Matched, not yet published"
    PUBLISHED = "published", "Published"


class RotationRound(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="rotation_rounds")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=RoundStatus.choices, default=RoundStatus.PREFERENCES
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="unique_round_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="round_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.cohort}"


class RotationPost(models.Model):
    """A post an organisation offers in a round, for up to `capacity` participants."""

    round = models.ForeignKey(RotationRound, on_delete=models.CASCADE, related_name="posts")
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    capacity = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["host__name", "title", "id"]

    def __str__(self) -> str:
        return f"{self.title}, {self.host}"


class ParticipantPreference(models.Model):
    """A participant's ranking of a post in a round (rank 1 is their first choice)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="preferences"
    )
    post = models.ForeignKey(RotationPost, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["participant", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "post"], name="unique_pref_post"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} ranks {self.post_id} #{self.rank}"


class HostPreference(models.Model):
    """A host's ranking of a participant for one of its posts (rank 1 is its first choice)."""

    post = models.ForeignKey(RotationPost, on_delete=models.CASCADE, related_name="rankings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["post", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "participant"], name="unique_host_pref_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} ranks {self.participant_id} #{self.rank}"


class Placement(models.Model):
    """Where a participant goes in a round: by the matching, or placed by hand (audited)."""

    round = models.ForeignKey(RotationRound, on_delete=models.CASCADE, related_name="placements")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="placements"
    )
    post = models.ForeignKey(RotationPost, on_delete=models.PROTECT, related_name="placements")
    manual = models.BooleanField(default=False)
    reason = models.CharField(max_length=500, blank=True)
    placed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"], name="one_placement_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} at {self.post}"


# --- Mentoring -----------------------------------------------------------------------------------


class MentoringRole(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class MentoringSignup(models.Model):
    """A person offering to mentor, or asking for a mentor, across the partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentoring")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=MentoringRole.choices)
    skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    aspirations = models.TextField(blank=True)
    prefers_other_sector = models.BooleanField(default=True)
    # How many mentees a mentor takes at once (mentees: 1).
    capacity = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "person", "role"],
                condition=Q(active=True),
                name="one_active_signup_per_role",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=10),
                name="mentoring_capacity_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person}"


class MatchingRunStatus(models.TextChoices):
    DRAFT = "draft", "Draft, for review"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


class MentoringMatching(models.Model):
    """One run of the mentoring assignment by the partnership's mentoring lead."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=20, choices=MatchingRunStatus.choices, default=MatchingRunStatus.DRAFT
    )
    total_fit = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    unmatched_mentees = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Mentoring matching {self.pk}"


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class MentoringPair(models.Model):
    matching = models.ForeignKey(MentoringMatching, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(MentoringSignup, on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey(MentoringSignup, on_delete=models.PROTECT, related_name="+")
    fit = models.DecimalField(max_digits=6, decimal_places=3)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["matching", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matching", "mentee"], name="one_pair_per_mentee"),
        ]

    def __str__(self) -> str:
        return f"Mentoring pair {self.pk}"


class MentoringMeeting(models.Model):
    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-met_on", "-id"]

    def __str__(self) -> str:
        return f"Meeting of pair {self.pair_id} on {self.met_on}"


# --- System translators --------------------------------------------------------------------------


class TranslatorSnapshot(models.Model):
    """The system-translator figures of one organisation at one month's end, kept by a monthly
    job so the partnership view reads a summary table, not every employment."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the figures are for.")
    staff = models.PositiveIntegerField(default=0)
    translators = models.PositiveIntegerField(default=0)
    senior_staff = models.PositiveIntegerField(default=0)
    senior_translators = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="one_translator_snapshot_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"Translators at {self.organisation_id} in {self.month:%Y-%m}"
