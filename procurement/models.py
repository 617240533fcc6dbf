from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Public money: amounts are CAD before taxes, exact to the cent, never negative, and below a
# ceiling that catches typos (a billion dollars is not a social-economy contract).
MAX_AMOUNT = Decimal("999999999.99")
amount_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)]


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, validators=amount_validators, **kwargs
    )


class Method(models.TextChoices):
    """Procurement methods; OCDS codes in ocds.py (open, limited, direct)."""

    OPEN = "open", _("Public tender")
    INVITATION = "invitation", _("Invitation tender")
    DIRECT = "direct", _("Direct award")


class OrganizationRecordQuerySet(models.QuerySet):
    """Records owned by a buying organization: members and coordinators see them."""

    organization_lookup = "organization"

    def visible_to(self, user):
        from portal.accounts.roles import roles_for

        roles = roles_for(user)
        if roles.coordinator:
            return self
        return self.filter(**{f"{self.organization_lookup}__in": roles.organization_ids})

    def for_organization(self, organization_id: int):
        return self.filter(**{self.organization_lookup: organization_id})


class ProcessRecordQuerySet(OrganizationRecordQuerySet):
    """Invitations and bids belong to an organization through their process."""

    organization_lookup = "process__organization"

    def of_enterprises(self, enterprise_ids):
        return self.filter(enterprise_id__in=enterprise_ids)


class Threshold(models.Model):
    """A Québec procurement threshold in force from a date (dated, editable data)."""

    class Kind(models.TextChoices):
        PUBLIC_TENDER = "public_tender", _("Public tender required at or above")
        INVITATION = "invitation", _("Written invitation required at or above")
        CUMULATIVE_SUPPLIER = "cumulative_supplier", _("Cumulative yearly purchases to list above")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    amount = money_field(_("amount"))
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="threshold_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} $ ({self.effective_from})"

    @classmethod
    def in_force(cls, kind: str, on) -> Decimal | None:
        return (
            cls.objects.filter(kind=kind, effective_from__lte=on)
            .order_by("-effective_from")
            .values_list("amount", flat=True)
            .first()
        )


class AnnualNeedQuerySet(OrganizationRecordQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        from portal.accounts.roles import roles_for

        roles = roles_for(user)
        if roles.coordinator:
            return self
        return self.filter(Q(is_published=True) | Q(organization_id__in=roles.organization_ids))


class AnnualNeed(models.Model):
    """A planned purchase an organization publishes so EÉS can prepare (besoin annuel)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="annual_needs",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        "reference.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="annual_needs",
        null=True,
        blank=True,
    )
    estimated_value = money_field(_("estimated value"), null=True, blank=True)
    planned_quarter = models.PositiveSmallIntegerField(
        _("planned quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    planned_method = models.CharField(
        _("planned method"), max_length=20, choices=Method.choices, blank=True
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="annual_needs",
        null=True,
        blank=True,
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AnnualNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual need")
        verbose_name_plural = _("annual needs")
        ordering = ["-fiscal_year", "planned_quarter", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.fiscal_year})"


class ProcessQuerySet(OrganizationRecordQuerySet):
    def with_method(self, method: str):
        return self.filter(method=method)


class ProcurementProcess(models.Model):
    """A procurement process of an organization: public tender, invitation or direct award."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    STATUS_MOVES = {
        Status.DRAFT: {Status.OPEN, Status.AWARDED, Status.CANCELLED},
        Status.OPEN: {Status.CLOSED, Status.CANCELLED},
        Status.CLOSED: {Status.AWARDED, Status.CANCELLED, Status.OPEN},
        Status.AWARDED: set(),
        Status.CANCELLED: set(),
    }

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered in the portal")
        OCDS = "ocds", _("Imported from OCDS")
        API = "api", _("Loaded through the API")

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    reference = models.CharField(_("reference"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        "reference.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="processes",
        null=True,
        blank=True,
    )
    unspsc_codes = models.CharField(
        _("UNSPSC codes"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    estimated_value = money_field(_("estimated value"), null=True, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    closing_on = models.DateField(_("closing date"), null=True, blank=True)
    annual_need = models.ForeignKey(
        AnnualNeed,
        verbose_name=_("annual need"),
        on_delete=models.SET_NULL,
        related_name="processes",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # A method that does not fit the estimated value for the date is accepted with a
    # written justification, and flagged (organizations' own by-laws differ).
    method_justification = models.TextField(_("justification of the method"), blank=True)
    threshold_warning = models.CharField(_("threshold warning"), max_length=300, blank=True)
    ocid = models.CharField(_("OCDS ocid"), max_length=200, unique=True, null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("procurement process")
        verbose_name_plural = _("procurement processes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="process_reference_per_organization"
            ),
            models.CheckConstraint(
                condition=Q(closing_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(closing_on__gte=models.F("published_on")),
                name="process_closes_after_publication",
                violation_error_message=_("The closing date must follow the publication date."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "method"], name="process_org_method_idx")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def is_flagged(self) -> bool:
        return bool(self.threshold_warning)

    def can_move_to(self, status: str) -> bool:
        return status in self.STATUS_MOVES.get(self.status, set())

    @transaction.atomic
    def set_status(self, status: str) -> None:
        """Move through draft → open → closed → awarded (or cancelled), one writer at a time."""
        locked = ProcurementProcess.objects.select_for_update().get(pk=self.pk)
        if not locked.can_move_to(status):
            raise ValidationError(
                _("A process cannot move from “%(old)s” to “%(new)s”.")
                % {"old": locked.get_status_display(), "new": self.Status(status).label}
            )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        self.status = status


class Invitation(models.Model):
    """An enterprise invited to a process (appel d'offres sur invitation)."""

    class Response(models.TextChoices):
        NONE = "none", _("No response")
        INTERESTED = "interested", _("Interested")
        DECLINED = "declined", _("Declined")

    process = models.ForeignKey(
        ProcurementProcess,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    invited_on = models.DateField(_("invitation date"))
    response = models.CharField(
        _("response"), max_length=20, choices=Response.choices, default=Response.NONE
    )
    responded_on = models.DateField(_("response date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ProcessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-invited_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "enterprise"],
                name="invitation_once_per_process",
                violation_error_message=_("This enterprise is already invited to this process."),
            )
        ]
        indexes = [models.Index(fields=["enterprise", "invited_on"], name="invitation_ent_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} ← {self.process}"


class Bid(models.Model):
    """A supplier's bid (soumission) on a process."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        COMPLIANT = "compliant", _("Compliant")
        NON_COMPLIANT = "non_compliant", _("Non-compliant")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    process = models.ForeignKey(
        ProcurementProcess,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="bids",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="bids",
    )
    submitted_on = models.DateField(_("submission date"))
    amount = money_field(_("amount"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ProcessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["submitted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "enterprise"],
                name="bid_once_per_supplier",
                violation_error_message=_("This supplier already bid on this process."),
            )
        ]
        indexes = [models.Index(fields=["enterprise", "submitted_on"], name="bid_ent_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.amount} $"


class AwardQuerySet(OrganizationRecordQuerySet):
    def active(self):
        return self.filter(status=Award.Status.ACTIVE)

    def to_social_economy(self):
        from directory.models import Enterprise

        return self.filter(enterprise__status=Enterprise.Status.VERIFIED)

    def between(self, start, end):
        return self.filter(awarded_on__gte=start, awarded_on__lte=end)

    def with_relationship_flags(self, *, in_bulk: bool = False):
        """Annotate `is_new_relationship` and `follows_matchmaking` (indicators.md).

        New relationship: no active award between the same organization and enterprise comes
        before this one (order: award date, then creation order). After matchmaking: a business
        contact between the pair was recorded at a matchmaking activity dated on or before the
        award date.

        `in_bulk`, for a whole window of awards (the indicators' refresh): on PostgreSQL the
        same definitions as two sets of award ids, each computed once and hashed (the first
        active award of each pair; the awards that follow a matchmaking contact of their pair),
        instead of two lookups per award. For active awards only (the first of a pair is
        an active one).
        """
        if in_bulk and connections[self.db].vendor == "postgresql":
            firsts = (
                Award.objects.active()
                .order_by("organization_id", "enterprise_id", "awarded_on", "pk")
                .distinct("organization_id", "enterprise_id")
                .values("pk")
            )
            after_matchmaking = Award.objects.filter(
                organization__business_contacts__enterprise=F("enterprise"),
                organization__business_contacts__activity__kind=Activity.Kind.MATCHMAKING,
                organization__business_contacts__activity__date__lte=F("awarded_on"),
            ).values("pk")
            return self.annotate(
                is_new_relationship=Q(pk__in=firsts),
                follows_matchmaking=Q(pk__in=after_matchmaking),
            )
        earlier_award = Award.objects.filter(
            status=Award.Status.ACTIVE,
            organization=OuterRef("organization"),
            enterprise=OuterRef("enterprise"),
        ).filter(
            Q(awarded_on__lt=OuterRef("awarded_on"))
            | Q(awarded_on=OuterRef("awarded_on"), pk__lt=OuterRef("pk"))
        )
        matchmaking_contact = BusinessContact.objects.filter(
            organization=OuterRef("organization"),
            enterprise=OuterRef("enterprise"),
            activity__kind=Activity.Kind.MATCHMAKING,
            activity__date__lte=OuterRef("awarded_on"),
        )
        return self.annotate(
            is_new_relationship=~Exists(earlier_award),
            follows_matchmaking=Exists(matchmaking_contact),
        )

    def cumulative_by_supplier(self, *, organization_id: int, year: int):
        """Active awards per supplier in a calendar year, largest first (the law's listing)."""
        return (
            self.active()
            .filter(organization_id=organization_id, awarded_on__year=year)
            .values("enterprise", "enterprise__name", "enterprise__neq")
            .annotate(total=Sum("amount"), contracts=Count("id"))
            .order_by("-total")
        )


class Award(models.Model):
    """A contract awarded to a supplier; never deleted, only cancelled."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    process = models.ForeignKey(
        ProcurementProcess,
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    # Copied from the process so indicator aggregates need no join (kept by save()).
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="awards",
        editable=False,
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    awarded_on = models.DateField(_("award date"))
    amount = money_field(_("amount (CAD, before taxes)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    bid = models.ForeignKey(
        Bid,
        verbose_name=_("winning bid"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    ocds_award_id = models.CharField(_("OCDS award id"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "ocds_award_id"],
                condition=~Q(ocds_award_id=""),
                name="award_ocds_id_per_process",
            ),
            # A bid wins at most once (a cancelled award frees it).
            models.UniqueConstraint(
                fields=["bid"],
                condition=Q(bid__isnull=False) & ~Q(status="cancelled"),
                name="award_bid_wins_once",
                violation_error_message=_("This bid has already been awarded."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "awarded_on"], name="award_org_idx"),
            models.Index(
                fields=["enterprise", "organization", "awarded_on"], name="award_pair_idx"
            ),
            models.Index(fields=["status", "awarded_on"], name="award_date_idx"),
            # "Is there an earlier active award for this pair?" (new relationship), asked once
            # per award by the indicator refresh: answered from the index alone.
            models.Index(
                fields=["enterprise", "organization", "awarded_on", "id"],
                condition=Q(status="active"),
                name="award_active_pair_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process.reference}: {self.enterprise} {self.amount} $"

    def save(self, *args, **kwargs):
        if self.process_id and not self.organization_id:
            self.organization_id = self.process.organization_id
        super().save(*args, **kwargs)


class Activity(models.Model):
    """A matchmaking activity, training, awareness session or trade fair."""

    class Kind(models.TextChoices):
        MATCHMAKING = "matchmaking", _("Matchmaking activity")
        TRAINING = "training", _("Training for EÉS")
        AWARENESS = "awareness", _("Awareness session for staff")
        TRADE_FAIR = "trade_fair", _("Trade fair")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organizer = models.CharField(_("organizer"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("number of participants"), default=0)
    organizations = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("organizations present"),
        related_name="activities",
        blank=True,
    )
    enterprises = models.ManyToManyField(
        "directory.Enterprise",
        verbose_name=_("enterprises present"),
        related_name="activities",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[organizations, enterprises])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date"]
        indexes = [models.Index(fields=["kind", "date"], name="activity_kind_date_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class BusinessContactQuerySet(OrganizationRecordQuerySet):
    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)

    def with_is_new(self):
        """Annotate `is_new`: the pair had no earlier contact and no earlier active award."""
        earlier_contact = BusinessContact.objects.filter(
            organization=OuterRef("organization"), enterprise=OuterRef("enterprise")
        ).filter(Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), pk__lt=OuterRef("pk")))
        earlier_award = Award.objects.filter(
            status=Award.Status.ACTIVE,
            organization=OuterRef("organization"),
            enterprise=OuterRef("enterprise"),
            awarded_on__lt=OuterRef("date"),
        )
        return self.annotate(is_new=~Exists(earlier_contact) & ~Exists(earlier_award))


class BusinessContact(models.Model):
    """A recorded meeting between an organization and an enterprise (contact d'affaires)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="business_contacts",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="business_contacts",
    )
    date = models.DateField(_("date"))
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        related_name="business_contacts",
        null=True,
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = BusinessContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("business contact")
        verbose_name_plural = _("business contacts")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organization", "enterprise", "date"], name="contact_pair_idx"),
            models.Index(fields=["date"], name="contact_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} × {self.enterprise} ({self.date})"


class ToolkitEntry(models.Model):
    """An example clause, wording, question or measure for one step of the procurement process."""

    class Step(models.TextChoices):
        PLAN = "plan", _("Plan")
        FIND = "find", _("Find suppliers")
        SOLICIT = "solicit", _("Solicit")
        EVALUATE = "evaluate", _("Evaluate and award")
        MANAGE = "manage", _("Manage and report")

    class Kind(models.TextChoices):
        CLAUSE = "clause", _("Example clause")
        WORDING = "wording", _("Wording for tender documents")
        MEASURE = "measure", _("Measure")
        QUESTION = "question", _("Question to ask")
        TOOL = "tool", _("Tool")

    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("text (French)"))
    body_en = models.TextField(_("text (English)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toolkit entry")
        verbose_name_plural = _("toolkit entries")
        ordering = ["step", "position", "slug"]

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if (get_language() or "fr")[:2] == "en" else self.title_fr

    @property
    def body(self) -> str:
        from django.utils.translation import get_language

        return self.body_en if (get_language() or "fr")[:2] == "en" else self.body_fr


class NeedsDigestSubscriptionQuerySet(models.QuerySet):
    def of_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class NeedsDigestSubscription(models.Model):
    """An EÉS representative's opt-in to the daily e-mail of newly published matching needs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="needs_digest_subscriptions",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="needs_digest_subscriptions",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Needs published after this moment go in the next digest; set when a digest is sent.
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)

    objects = NeedsDigestSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("needs digest subscription")
        verbose_name_plural = _("needs digest subscriptions")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"],
                name="needs_digest_once_per_user_enterprise",
                violation_error_message=_("You already receive the digest for this enterprise."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.enterprise}"

    def matching_needs(self, *, since):
        """Published needs since `since` whose category fits one of the enterprise's offerings.

        A need fits when its category is an offering's category, that category's parent, or a
        child of it: a need for "Food and catering" concerns a caterer, and vice versa.
        """
        from directory.models import Offering

        categories = Offering.objects.filter(enterprise_id=self.enterprise_id).values("category_id")
        parents = Offering.objects.filter(
            enterprise_id=self.enterprise_id, category__parent__isnull=False
        ).values("category__parent_id")
        return (
            AnnualNeed.objects.published()
            .filter(published_at__gt=since)
            .filter(
                Q(category_id__in=categories)
                | Q(category_id__in=parents)
                | Q(category__parent_id__in=categories)
            )
            .select_related("organization", "category", "region")
            .order_by("organization__name", "title")
        )
