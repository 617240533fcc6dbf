import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

neq_validator = RegexValidator(
    r"^\d{10}$", _("The NEQ is the 10-digit Québec enterprise number, for example 1140000001.")
)
postal_code_validator = RegexValidator(
    r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$",
    _("Enter a Canadian postal code such as H2X 1Y4."),
)


def normalize_neq(value: str | None) -> str | None:
    """'1140 000 001' or '1140-000-001' -> '1140000001'; blank -> None."""
    if value is None:
        return None
    digits = re.sub(r"[\s-]", "", str(value))
    return digits or None


def normalize_postal_code(value: str) -> str:
    """'h2x1y4' -> 'H2X 1Y4' (the validator then checks the letters)."""
    compact = re.sub(r"\s", "", value or "").upper()
    return f"{compact[:3]} {compact[3:]}" if len(compact) == 6 else (value or "").strip()


class Impact(models.TextChoices):
    """The benefits inventory of buying from EÉS."""

    JOB_CREATION = "job_creation", _("Job creation")
    INTEGRATION = "integration", _("Social and professional integration")
    POVERTY = "poverty", _("Fighting poverty")
    SCHOOL_PERSEVERANCE = "school_perseverance", _("School perseverance")
    GENDER_EQUALITY = "gender_equality", _("Gender equality")
    IMMIGRANTS = "immigrants", _("Integration of immigrants")
    LOCAL_SERVICES = "local_services", _("Local services")
    ENVIRONMENT = "environment", _("Environment")


class EnterpriseQuerySet(models.QuerySet):
    def social_economy(self):
        """EÉS: enterprises whose social-economy status is verified."""
        return self.filter(status=Enterprise.Status.VERIFIED)

    def published(self):
        """What visitors see: verified EÉS that consented to publication."""
        return self.filter(status=Enterprise.Status.VERIFIED, is_published=True)

    def represented_by(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(representatives__user=user, representatives__is_approved=True)

    def visible_to(self, user):
        """Published EÉS for everyone; coordinators see all; representatives their own."""
        from portal.accounts.roles import roles_for

        roles = roles_for(user)
        if roles.coordinator:
            return self
        if roles.enterprise_ids:
            return self.filter(
                Q(status=Enterprise.Status.VERIFIED, is_published=True)
                | Q(pk__in=roles.enterprise_ids)
            )
        return self.published()

    def in_region(self, region_code: str):
        return self.filter(region_id=region_code)


class Enterprise(models.Model):
    """An enterprise: a social-economy enterprise (EÉS) once verified, or any supplier."""

    class LegalForm(models.TextChoices):
        COOP_WORKERS = "coop_workers", _("Workers' co-operative")
        COOP_SOLIDARITY = "coop_solidarity", _("Solidarity co-operative")
        COOP_CONSUMERS = "coop_consumers", _("Consumers' co-operative")
        COOP_PRODUCERS = "coop_producers", _("Producers' co-operative")
        COOP_WORKER_SHAREHOLDER = "coop_worker_shareholder", _("Worker-shareholder co-operative")
        NONPROFIT = "nonprofit", _("Non-profit organization (OBNL)")
        MUTUAL = "mutual", _("Mutual")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        # A draft being registered, or a supplier known only from procurement records.
        NOT_SUBMITTED = "not_submitted", _("Not submitted")
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    # Moves of the social-economy status; anything else is refused.
    STATUS_MOVES = {
        Status.NOT_SUBMITTED: {Status.PENDING, Status.VERIFIED},
        Status.PENDING: {Status.VERIFIED, Status.REJECTED},
        Status.VERIFIED: {Status.REVOKED, Status.PENDING},
        Status.REJECTED: {Status.PENDING},
        Status.REVOKED: {Status.PENDING},
    }

    class SizeBand(models.TextChoices):
        MICRO = "1-4", _("1 to 4 employees")
        SMALL = "5-19", _("5 to 19 employees")
        MEDIUM = "20-99", _("20 to 99 employees")
        LARGE = "100-499", _("100 to 499 employees")
        VERY_LARGE = "500+", _("500 employees or more")

    name = models.CharField(_("legal name"), max_length=200)
    other_names = models.TextField(
        _("other names"), blank=True, help_text=_("Trade names or former names, one per line.")
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    neq = models.CharField(
        _("NEQ"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[neq_validator],
        help_text=_("Québec enterprise number: 10 digits."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=LegalForm.choices, default=LegalForm.OTHER
    )
    status = models.CharField(
        _("social-economy status"),
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_SUBMITTED,
        # No index of its own: enterprise_visible_idx (status, is_published) serves it.
    )
    status_reason = models.TextField(_("reason for the decision"), blank=True)
    status_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_decisions",
    )
    status_decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted for verification at"), null=True, blank=True)

    mission = models.TextField(_("mission"), blank=True)
    description = models.TextField(_("description"), blank=True)
    primary_sector = models.ForeignKey(
        "reference.Sector",
        verbose_name=_("primary sector"),
        on_delete=models.PROTECT,
        related_name="primary_enterprises",
        null=True,
        blank=True,
    )
    sectors = models.ManyToManyField(
        "reference.Sector",
        verbose_name=_("sectors"),
        related_name="enterprises",
        blank=True,
        help_text=_("Every sector of activity, the primary one included."),
    )

    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        null=True,
        blank=True,
    )
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        null=True,
        blank=True,
    )
    address = models.CharField(_("street address"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=7, blank=True, validators=[postal_code_validator]
    )
    regions_served = models.ManyToManyField(
        "reference.Region",
        verbose_name=_("regions served"),
        related_name="enterprises_serving",
        blank=True,
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    people_in_integration = models.PositiveIntegerField(
        _("people in integration"), null=True, blank=True
    )
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    certifications = models.TextField(
        _("certifications and labels"), blank=True, help_text=_("One per line.")
    )
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)

    is_published = models.BooleanField(_("published"), default=False)
    publication_consent_at = models.DateTimeField(
        _("consent to publication given at"), null=True, blank=True
    )
    publication_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent given by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publication_consents",
    )

    # Denormalized text for search (name, other names, offerings, keywords, description…),
    # rebuilt by directory.services.refresh_search_document(); indexed on PostgreSQL.
    search_document = models.TextField(_("search document"), blank=True, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_document"], m2m_fields=[sectors])
    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "is_published"], name="enterprise_visible_idx"),
            models.Index(fields=["region", "status"], name="enterprise_region_idx"),
            models.Index(fields=["-created_at"], name="enterprise_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(status_reason=""),
                name="enterprise_rejection_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(publication_consent_at__isnull=False),
                name="enterprise_published_with_consent",
                violation_error_message=_("An enterprise is published only with its consent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_social_economy(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def other_names_list(self) -> list[str]:
        return [name.strip() for name in self.other_names.splitlines() if name.strip()]

    @property
    def certifications_list(self) -> list[str]:
        return [line.strip() for line in self.certifications.splitlines() if line.strip()]

    def clean(self):
        self.neq = normalize_neq(self.neq)
        if self.postal_code:
            self.postal_code = normalize_postal_code(self.postal_code)
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError(
                {"municipality": _("This municipality is not in the chosen region.")}
            )

    def save(self, *args, **kwargs):
        self.neq = normalize_neq(self.neq)
        if self.municipality_id and not self.region_id:
            self.region_id = self.municipality.region_id
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        # A slug equal to a members' page (`export`, `listes`…) would hide the profile.
        from directory.urls_public import members_first_segments

        base = slugify(self.name)[:200] or "entreprise"
        slug, n = base, 2
        if slug in members_first_segments():
            slug = f"{base}-{n}"
            n += 1
        while Enterprise.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def can_move_to(self, status: str) -> bool:
        return status in self.STATUS_MOVES.get(self.status, set())

    @transaction.atomic
    def set_status(self, status: str, *, by=None, reason: str = "") -> None:
        """Move the social-economy status; refuses illegal moves; locks the row."""
        locked = Enterprise.objects.select_for_update().get(pk=self.pk)
        if not locked.can_move_to(status):
            raise ValidationError(
                _("Cannot move from “%(old)s” to “%(new)s”.")
                % {
                    "old": locked.get_status_display(),
                    "new": self.Status(status).label,
                }
            )
        if status == self.Status.REJECTED and not reason.strip():
            raise ValidationError({"status_reason": _("A rejection needs a reason.")})
        now = timezone.now()
        updates = {"status": status, "status_reason": reason.strip()}
        if status == self.Status.PENDING:
            updates.update(submitted_at=now)
        else:
            updates.update(status_decided_by=by, status_decided_at=now)
        for field, value in updates.items():
            setattr(locked, field, value)
            setattr(self, field, value)
        locked.save(update_fields=[*updates.keys(), "updated_at"])


class EnterpriseImpact(models.Model):
    """One social impact claimed by an enterprise (from the benefits inventory)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="impacts", verbose_name=_("enterprise")
    )
    impact = models.CharField(_("impact"), max_length=30, choices=Impact.choices)

    class Meta:
        verbose_name = _("social impact")
        verbose_name_plural = _("social impacts")
        constraints = [models.UniqueConstraint(fields=["enterprise", "impact"], name="impact_once")]

    def __str__(self) -> str:
        return self.get_impact_display()


class Offering(models.Model):
    """A product or service an enterprise sells, in a category."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="offerings",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        "reference.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="offerings",
    )
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["category", "enterprise"], name="offering_category_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ManagerContact(models.Model):
    """A manager of an enterprise: shown only to signed-in buyers' staff and coordinators."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("manager contact")
        verbose_name_plural = _("manager contacts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Achievement(models.Model):
    """An entry of the enterprise's portfolio of achievements."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="achievements",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(_("title"), max_length=200)
    client = models.CharField(_("client"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class Representative(models.Model):
    """A user who speaks for an enterprise; a request to join waits for approval."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="representations",
        verbose_name=_("user"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("enterprise"),
    )
    is_approved = models.BooleanField(_("approved"), default=False)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    message = models.TextField(_("message"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"], name="representative_once_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.enterprise}"


class SupplierRegistrationQuerySet(models.QuerySet):
    def active_on(self, day):
        """Registered on or before `day` and not withdrawn on or before `day`."""
        return self.filter(registered_on__lte=day).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
        )

    def visible_to(self, user):
        from portal.accounts.roles import roles_for

        roles = roles_for(user)
        if roles.coordinator:
            return self
        return self.filter(
            Q(organization_id__in=roles.organization_ids)
            | Q(enterprise_id__in=roles.enterprise_ids)
        )


class SupplierRegistration(models.Model):
    """An enterprise's registration in a buying organization's supplier file."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="supplier_registrations",
        verbose_name=_("enterprise"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="supplier_registrations",
        verbose_name=_("organization"),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = SupplierRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier-file registration")
        verbose_name_plural = _("supplier-file registrations")
        ordering = ["-registered_on"]
        indexes = [
            models.Index(
                fields=["organization", "registered_on", "withdrawn_on"],
                name="registration_active_idx",
            )
        ]
        constraints = [
            # One open registration per pair; a withdrawn one may be followed by a new one.
            models.UniqueConstraint(
                fields=["enterprise", "organization"],
                condition=Q(withdrawn_on__isnull=True),
                name="registration_one_open_per_pair",
                violation_error_message=_(
                    "This enterprise is already registered in this supplier file."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("registered_on")),
                name="registration_withdrawn_after_registered",
                violation_error_message=_("The withdrawal date must follow the registration date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.organization}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class Shortlist(models.Model):
    """A buyer's named list of enterprises, with notes."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shortlists",
        verbose_name=_("owner"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="shortlists",
        verbose_name=_("organization"),
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=150)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name


class ShortlistEntry(models.Model):
    """An enterprise on a shortlist, with the buyer's note."""

    shortlist = models.ForeignKey(
        Shortlist, on_delete=models.CASCADE, related_name="entries", verbose_name=_("shortlist")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="shortlist_entries",
        verbose_name=_("enterprise"),
    )
    note = models.TextField(_("note"), blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["shortlist", "enterprise"], name="shortlist_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} in {self.shortlist}"


class FacetTally(models.Model):
    """A signed count of one facet key over the published EÉS (PostgreSQL): the directory's
    facet counts are the sums per facet and key. Written by triggers, read without words or
    filters; see directory.tally."""

    facet = models.CharField(_("facet"), max_length=20)
    key = models.CharField(_("key"), max_length=40)
    n = models.IntegerField(_("count"))

    class Meta:
        verbose_name = _("facet tally")
        verbose_name_plural = _("facet tallies")

    def __str__(self) -> str:
        return f"{self.facet} {self.key}: {self.n:+d}"
