"""The shared materials library (materials, versions, lineage, authors, reuse and reports) and the
trainer pool (accreditations, the train-the-trainer cascade, availability and delivery requests).

A material belongs to its owner organisation. Each upload (or new link) is an immutable
`MaterialVersion`; the material points at its newest one. An adaptation is a new material that
records the exact version it came from (`adapted_from`) and the first material of its family
(`family_root`), so the family tree is one query. Who may read a material follows its licence and
the "publish openly" step (`materials/access.py`); the licence rules are in `materials/licences.py`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from joinedup.learning.models import Programme, Run, Topic
from joinedup.partnership.models import Organisation, Person

from . import licences


class MaterialKind(models.TextChoices):
    SLIDE_DECK = "slide_deck", "Slide deck"
    FACILITATOR_GUIDE = "facilitator_guide", "Facilitator guide"
    HANDOUT = "handout", "Handout"
    WORKBOOK = "workbook", "Workbook"
    ELEARNING = "elearning", "E-learning package"
    VIDEO = "video", "Video"
    CASE_STUDY = "case_study", "Case study"
    TOOLKIT = "toolkit", "Toolkit"
    TEMPLATE = "template", "Template"


class Licence(models.TextChoices):
    """The codes and labels of `materials.licences`, which holds the rules about them."""

    OGL_3 = licences.OGL_3, licences.LICENCES[licences.OGL_3].label
    CC_BY_4 = licences.CC_BY_4, licences.LICENCES[licences.CC_BY_4].label
    CC_BY_SA_4 = licences.CC_BY_SA_4, licences.LICENCES[licences.CC_BY_SA_4].label
    CC_BY_NC_4 = licences.CC_BY_NC_4, licences.LICENCES[licences.CC_BY_NC_4].label
    PARTNERSHIP = licences.PARTNERSHIP, licences.LICENCES[licences.PARTNERSHIP].label
    OWNER_ONLY = licences.OWNER_ONLY, licences.LICENCES[licences.OWNER_ONLY].label


# Labels by code: Django's own `get_FOO_display` rebuilds a dict of the choices on each call, a
# cost the library page paid twice for each result.
_KIND_LABELS = dict(MaterialKind.choices)
_LICENCE_LABELS = dict(Licence.choices)


class MaterialQuerySet(models.QuerySet["Material"]):
    def shown(self) -> MaterialQuerySet:
        """Not hidden by the partnership lead or the owner."""
        return self.filter(hidden_at__isnull=True)


class Material(models.Model):
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="materials")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=30, choices=MaterialKind.choices)
    licence = models.CharField(max_length=20, choices=Licence.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="materials")
    programmes = models.ManyToManyField(Programme, blank=True, related_name="materials")
    current_version = models.ForeignKey(
        "MaterialVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adapted_from = models.ForeignKey(
        "MaterialVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adaptations",
        help_text="The exact version this material was adapted from.",
    )
    family_root = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family",
        help_text="The original of this material's family; itself for an original.",
    )
    published_openly_at = models.DateTimeField(null=True, blank=True)
    published_openly_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_document = models.TextField(
        blank=True,
        editable=False,
        help_text="Summary, topic names and the current version's text, kept by the services "
        "for the full-text index (materials/search.py).",
    )

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["title", "id"], name="material_title_id"),
            models.Index(fields=["owner", "licence"], name="material_owner_licence"),
            # The library filtered by owner (and kind) in title order, walked page by page
            # rather than sorting all of an owner's materials.
            models.Index(fields=["owner", "title", "id"], name="material_owner_title"),
            models.Index(fields=["owner", "kind", "title", "id"], name="material_owner_kind_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_kind_display(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)

    def get_licence_display(self) -> str:
        return _LICENCE_LABELS.get(self.licence, self.licence)

    @property
    def is_published_openly(self) -> bool:
        return self.published_openly_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be read"
    DONE = "done", "Text read"
    FAILED = "failed", "Text could not be read"
    NOT_APPLICABLE = "not_applicable", "No text to read"


class MaterialVersion(models.Model):
    """One immutable upload or link of a material; earlier versions stay downloadable."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change_note = models.TextField(blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text="The sanitised name.")
    storage_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    extracted_text = models.TextField(blank=True)
    extraction_status = models.CharField(
        max_length=20, choices=ExtractionStatus.choices, default=ExtractionStatus.NOT_APPLICABLE
    )
    extraction_error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="material_version_number"),
            models.CheckConstraint(
                condition=(Q(storage_name="") & ~Q(external_url=""))
                | (~Q(storage_name="") & Q(external_url="")),
                name="material_version_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} (version {self.number})"

    @property
    def is_link(self) -> bool:
        return bool(self.external_url)


class MaterialAuthor(models.Model):
    """A person credited as an author; their name shows publicly only if they chose so."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="authored_materials")
    show_name_publicly = models.BooleanField(
        default=False, help_text="Otherwise the owner organisation is credited on public pages."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["material", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["material", "person"], name="material_author_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.material}"


class Reuse(models.Model):
    """'We used this': an organisation's use of a material, with what it reached and saved."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="reuses")
    version = models.ForeignKey(
        MaterialVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="reuses"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="material_reuses"
    )
    used_on = models.DateField()
    run = models.ForeignKey(
        Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="material_reuses"
    )
    context = models.CharField(max_length=300, blank=True)
    learners_reached = models.PositiveIntegerField(default=0)
    hours_saved = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal("0"))
    cost_saved = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    recorded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-used_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_saved__gte=0) & Q(cost_saved__gte=0),
                name="reuse_savings_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(run__isnull=False) | ~Q(context=""), name="reuse_has_context"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} used {self.material}"


class ReportReason(models.TextChoices):
    LICENCE_BREACH = "licence_breach", "Licence breach"
    ERROR = "error", "Error in the content"
    HARM = "harm", "Harmful or offensive content"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    HIDDEN = "hidden", "Material hidden"
    DISMISSED = "dismissed", "Dismissed"


class MaterialReport(models.Model):
    """A report about a material, to its owner and the partnership lead."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.TextField()
    reported_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Report on {self.material}: {self.get_reason_display()}"


class Accreditation(models.Model):
    """A person accredited to deliver a programme (train-the-trainer).

    `trained_by` is the accreditation of the trainer who trained them, so accreditations of a
    programme form a tree (the cascade); a first-generation accreditation has none and is given by
    the host organisation's L&D lead or programme leader. Renewal is a new accreditation.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="accreditations")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="accreditations"
    )
    trained_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainees",
        help_text="The accrediting trainer's own accreditation; blank for the first generation.",
    )
    accredited_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="accreditations_given"
    )
    accredited_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    evidence_material = models.ForeignKey(
        Material, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_url = models.URLField(max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "accredited_on", "id"]
        indexes = [
            models.Index(fields=["programme", "person"], name="accreditation_prog_person"),
            models.Index(fields=["person", "expires_on"], name="accreditation_person_expiry"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "accredited_on"], name="one_accreditation_a_day"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("accredited_on")),
                name="accreditation_expires_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.programme}"

    def is_current(self, on: dt.date) -> bool:
        return self.withdrawn_at is None and (self.expires_on is None or self.expires_on >= on)


class TrainerOffer(models.Model):
    """An accredited trainer's opt-in to the trainer pool: how much time, and for whom."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="trainer_offer")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="trainer_offers",
        help_text="The employer lending the trainer.",
    )
    days_per_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For example 2; blank for no set limit."
    )
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        help_text="Partner organisations they will deliver for; none means every partner.",
    )
    note = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Off when they leave the pool.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__family_name", "person__given_name", "id"]
        indexes = [models.Index(fields=["organisation", "is_active"], name="offer_org_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(days_per_month__isnull=True) | Q(days_per_month__range=(1, 31)),
                name="offer_days_per_month_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in the trainer pool"


class TrainerAvailability(models.Model):
    """A date range in which a pooled trainer can deliver."""

    offer = models.ForeignKey(TrainerOffer, on_delete=models.CASCADE, related_name="availability")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name_plural = "trainer availability"
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="availability_range")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="availability_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} to {self.ends_on}"


class DeliveryStatus(models.TextChoices):
    AWAITING_TRAINER = "awaiting_trainer", "Waiting for the trainer"
    AWAITING_MANAGER = "awaiting_manager", "Waiting for the trainer's line manager"
    AWAITING_LEAD = "awaiting_lead", "Waiting for the lending organisation's L&D lead"
    APPROVED = "approved", "Approved: run created"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DELIVERED = "delivered", "Delivered"


class DeliveryRequest(models.Model):
    """Organisation B asks for organisation A's accredited trainer to run a programme at B.

    Approval runs trainer, then line manager, then A's L&D lead; the last approval creates a run
    hosted by B with the trainer named. After the last day an optional day rate per day is posted
    from B to A on the recharge ledger.
    """

    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="delivery_requests_made"
    )
    lending_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="delivery_requests_received"
    )
    trainer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delivery_requests")
    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.PROTECT, related_name="delivery_requests"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="delivery_requests"
    )
    places = models.PositiveIntegerField()
    venue = models.CharField(max_length=200, blank=True)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    day_rate = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Blank for no charge."
    )
    message = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.AWAITING_TRAINER
    )
    requested_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    trainer_approved_at = models.DateTimeField(null=True, blank=True)
    manager_approved_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    manager_approved_at = models.DateTimeField(null=True, blank=True)
    lead_approved_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_approved_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    run = models.OneToOneField(
        Run, on_delete=models.PROTECT, null=True, blank=True, related_name="delivery_request"
    )
    recharge = models.OneToOneField(
        "partnership.RechargeEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["status", "lending_organisation"], name="delivery_status_lender"),
            models.Index(fields=["trainer", "status"], name="delivery_trainer_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="delivery_places_positive"),
            models.CheckConstraint(
                condition=Q(day_rate__isnull=True) | Q(day_rate__gte=0),
                name="delivery_day_rate_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="delivery_times_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery of {self.programme} at {self.requesting_organisation}"


class DeliveryDay(models.Model):
    """A day the requested delivery takes place on."""

    request = models.ForeignKey(DeliveryRequest, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["request", "date"], name="one_delivery_day_a_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}"
