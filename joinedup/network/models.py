"""Learning together: discussion spaces across organisations, and the initiatives register.

Discussion: a `Space` (a community of practice, a run's space, or a space another app keeps
through a generic context) has `SpaceMember`s, `Thread`s and `Post`s. A thread's first post is
its opening post. Posts are written in a small Markdown subset (`text.py`) and kept both as the
author typed them and as sanitised HTML. Counters on threads and spaces (replies, last post) are
changed only by the posting services. Moderation hides posts (never deletes them), locks
threads, and keeps its own log beside the audit log.

Initiatives: an `Initiative` with its partners, sponsors and places; dated `LearningReview`s by the
partners involved, with evidence and outcome measures; `Adoption`s recording where it spread.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from joinedup.learning.models import Run
from joinedup.materials.models import Material
from joinedup.partnership.models import Organisation, Partnership, Person, Sector

# --- Discussion spaces ---------------------------------------------------------------------------


class SpaceKind(models.TextChoices):
    COMMUNITY = "community", "Community of practice"
    RUN = "run", "Course run"
    CONTEXT = "context", "Linked space"


class Space(models.Model):
    """A place to discuss. Who belongs depends on its kind: anyone in the partnership may join a
    community (with the owner's approval when `join_approval`); a run's members follow its
    confirmed bookings and facilitators; a linked space's members are kept by the app that made
    it, through `spaces.set_context_members`."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SpaceKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="network_spaces",
        help_text="The organisation that runs the space (a run's host).",
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person who names the space's moderators.",
    )
    join_approval = models.BooleanField(
        default=False, help_text="Communities only: the owner approves each request to join."
    )
    run = models.OneToOneField(
        Run, on_delete=models.PROTECT, null=True, blank=True, related_name="network_space"
    )
    context_kind = models.CharField(max_length=40, blank=True)
    context_id = models.CharField(max_length=64, blank=True)
    context_label = models.CharField(max_length=200, blank=True)
    thread_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["partnership", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["context_kind", "context_id"],
                condition=~Q(context_kind=""),
                name="one_space_per_context",
            ),
            models.CheckConstraint(
                condition=Q(kind=SpaceKind.RUN) | Q(run__isnull=True),
                name="only_run_spaces_have_a_run",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SpaceKind.CONTEXT) | ~Q(context_kind=""),
                name="linked_space_has_context",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def membership_is_kept_elsewhere(self) -> bool:
        """A run's or a linked space's members are not chosen by joining and leaving."""
        return self.kind != SpaceKind.COMMUNITY


class MemberStatus(models.TextChoices):
    REQUESTED = "requested", "Asked to join"
    ACTIVE = "active", "Member"


class Subscription(models.TextChoices):
    EVERY_POST = "every_post", "An e-mail for every post"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"
    NONE = "none", "No e-mails"


class SpaceMember(models.Model):
    """A person's place in a space, with the organisation they are shown with."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_spaces")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    is_moderator = models.BooleanField(default=False)
    subscription = models.CharField(
        max_length=20, choices=Subscription.choices, default=Subscription.DAILY
    )
    digest_sent_until = models.DateTimeField(
        null=True, blank=True, help_text="Posts up to this time have been in a digest."
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        indexes = [models.Index(fields=["person", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["space", "person"], name="one_membership_per_space")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.space}"

    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE


class Thread(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while its opening post is hidden."
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lock_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [
            models.Index(
                F("space"), F("last_post_at").desc(), F("id").desc(), name="thread_space_recent"
            ),
            models.Index(F("last_post_at").desc(), F("id").desc(), name="thread_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_locked(self) -> bool:
        return self.locked_at is not None


class Post(models.Model):
    """An opening post or a reply. `body` is what the author typed; `body_html` its sanitised
    rendering (`text.render`). Deleting by the author clears both and leaves a placeholder;
    hiding by a moderator keeps them for moderators."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="posts")
    is_opening = models.BooleanField(default=False)
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="network_posts"
    )
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"]),
            models.Index(fields=["space", "created_at"]),
            models.Index(fields=["author", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_opening=True), name="one_opening_post"
            )
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Attachment(models.Model):
    """A file on a post, checked and stored by `joinedup.lib.uploads`."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    storage_name = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file_name


class ThreadRead(models.Model):
    """How far a person has read a thread: posts after `read_at` are unread."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "thread"], name="one_read_mark_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} read {self.thread_id} at {self.read_at}"


class PostingWindow(models.Model):
    """The posting rate limit's counter for one person: posts since `started_at`. Claimed with a
    conditional update (see `posts.claim_posting_slot`), never read-then-write."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    posts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.posts} posts since {self.started_at}"


# --- Moderation ----------------------------------------------------------------------------------


class ReportReason(models.TextChoices):
    ABUSE = "abuse", "Abusive or offensive"
    PERSONAL_DATA = "personal_data", "Shares someone's personal details"
    CONFIDENTIAL = "confidential", "Shares confidential information"
    SPAM = "spam", "Spam or advertising"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Post hidden"
    DISMISSED = "dismissed", "No action"


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    detail = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} of post {self.post_id}"


class ModerationKind(models.TextChoices):
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Restored"
    LOCK = "lock", "Thread locked"
    UNLOCK = "unlock", "Thread unlocked"
    DISMISS = "dismiss", "Report dismissed"


class ModerationAction(models.Model):
    """The moderation log of a space: what was done, by whom, why (also in the audit log)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="moderation_actions")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ModerationKind.choices)
    reason = models.TextField()
    moderator = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acting_for = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


# --- Initiatives register -----------------------------------------------------------------------


class Mission(models.Model):
    """A partnership mission or outcome, in the vocabulary the partnership lead curates."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    retired = models.BooleanField(default=False, help_text="Kept on old initiatives, not offered.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_mission_name")
        ]

    def __str__(self) -> str:
        return self.name


class Problem(models.TextChoices):
    POVERTY = "poverty", "Poverty"
    HOUSING = "housing", "Housing need"
    ISOLATION = "isolation", "Social isolation"
    DISCHARGE = "discharge", "Hospital discharge"
    WORKFORCE = "workforce", "Workforce"
    HEALTH_INEQUALITIES = "health_inequalities", "Health inequalities"
    CHILDREN = "children", "Children and families"
    SAFETY = "safety", "Community safety"
    CLIMATE = "climate", "Climate and environment"
    OTHER = "other", "Something else"


class Level(models.TextChoices):
    CENTRAL = "central", "Central government"
    REGIONAL = "regional", "Regional or combined authority"
    LOCAL = "local", "Local government"
    NHS = "nhs", "NHS"
    VOLUNTARY = "voluntary", "Voluntary sector"
    COMMUNITY = "community", "Community"


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    PILOT = "pilot", "Pilot"
    SCALING = "scaling", "Scaling"
    MAINSTREAMED = "mainstreamed", "Mainstreamed"
    STOPPED = "stopped", "Stopped"


class Initiative(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="network_initiatives"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    problem = models.CharField(max_length=30, choices=Problem.choices)
    problem_detail = models.TextField(blank=True, help_text="The root cause, in a sentence or two.")
    missions = models.ManyToManyField(Mission, blank=True, related_name="initiatives")
    status = models.CharField(max_length=20, choices=InitiativeStatus.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    funding_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(max_length=200, blank=True)
    is_public = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="initiative_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(funding_amount__isnull=True) | Q(funding_amount__gte=Decimal("0")),
                name="initiative_funding_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InitiativeLevel(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(max_length=20, choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "level"], name="unique_initiative_level")
        ]

    def __str__(self) -> str:
        return self.get_level_display()


class InitiativeSector(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sectors")
    sector = models.CharField(max_length=40, choices=Sector.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "sector"], name="unique_initiative_sector"
            )
        ]

    def __str__(self) -> str:
        return self.get_sector_display()


class InitiativePlace(models.Model):
    """A local authority the initiative works in, by its GSS code (see `places.py`)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="places")
    gss_code = models.CharField(max_length=9)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["gss_code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "gss_code"], name="unique_initiative_place"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InitiativePartner(models.Model):
    """An organisation in the initiative and what it brings. A partner organisation of the
    partnership is linked; any other (a government department, a funder) is named."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    brings_money = models.BooleanField(default=False)
    brings_staff = models.BooleanField(default=False)
    brings_data = models.BooleanField(default=False)
    brings_legitimacy = models.BooleanField(default=False)
    brings_expertise = models.BooleanField(default=False)
    contribution = models.TextField(blank=True, help_text="What they bring, in their words.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="initiative_partner_named",
            ),
            models.UniqueConstraint(
                fields=["initiative", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_initiative_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class InitiativeSponsor(models.Model):
    """A sponsor: an organisation, optionally with the person who sponsors it inside the
    partnership. Public pages and exports show the organisation only."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sponsors")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=200, blank=True, help_text="For example executive sponsor.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="initiative_sponsor_named",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class Rating(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class LearningReview(models.Model):
    """What one partner learnt from the initiative, on a date."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reviews")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField()
    what_worked = models.TextField()
    what_did_not = models.TextField(blank=True)
    place_history = models.TextField(blank=True)
    place_geography = models.TextField(blank=True)
    place_relationships = models.TextField(blank=True)
    frontline_buy_in = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    frontline_buy_in_notes = models.TextField(blank=True)
    reporting_burden = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    reporting_burden_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.initiative} on {self.reviewed_on}"


class Evidence(models.Model):
    """A link or a material from the library backing a review."""

    review = models.ForeignKey(LearningReview, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(material__isnull=True) & ~Q(url=""))
                | (Q(material__isnull=False) & Q(url="")),
                name="evidence_is_a_link_or_a_material",
            )
        ]

    def __str__(self) -> str:
        return self.title


class OutcomeMeasure(models.Model):
    review = models.ForeignKey(LearningReview, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    unit = models.CharField(max_length=50, blank=True)
    measured_on = models.DateField()

    class Meta:
        ordering = ["name", "measured_on", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.value} on {self.measured_on}"


class Adoption(models.Model):
    """The initiative taken on by another organisation or place, with what it changed."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    gss_code = models.CharField(max_length=9, blank=True)
    place_name = models.CharField(max_length=200, blank=True)
    adopted_on = models.DateField()
    local_changes = models.TextField(help_text="What was changed for local conditions.")
    lessons = models.TextField(blank=True, help_text="What the adopter learnt.")
    recorded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["adopted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="one_adoption_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} adopted by {self.organisation}"
