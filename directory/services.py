"""Directory workflows: each a keyword-only, atomic function with a verb for a name.

Services trust their caller on *who* may act (views and API permissions ask
portal.accounts.roles); they guard *what* may happen and keep every change whole.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import tasks
from directory.models import (
    Enterprise,
    EnterpriseImpact,
    Representative,
    Shortlist,
    ShortlistEntry,
    SupplierRegistration,
    normalize_neq,
    normalize_postal_code,
)
from directory.tasks import notify_status_decision
from portal.outbox import queue_after_commit


def _refresh_search(enterprise: Enterprise) -> None:
    # Imported late: the search module may grow to import services (and it is not ours).
    from directory.search import refresh_search_document

    refresh_search_document(enterprise)


# --- Accounts of representatives ------------------------------------------------------
class SignupTokenGenerator(PasswordResetTokenGenerator):
    """Signed, expiring token for the sign-up confirmation link.

    Its own salt keeps it apart from password-reset tokens; hashing `is_active` makes a
    link single-use (it stops working once the account is active).
    """

    key_salt = "directory.services.SignupTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.is_active}{user.password}{timestamp}"


signup_token_generator = SignupTokenGenerator()


@transaction.atomic
def sign_up_representative(*, email: str, full_name: str, password: str, site_url: str):
    """Create an inactive account and e-mail its confirmation link (after commit).

    An e-mail already known gets a message instead of an error on the page, so the form
    never tells a stranger which addresses have an account.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        queue_after_commit(tasks.send_signup_confirmation, existing.pk, site_url, True)
        return existing
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, full_name=full_name.strip(), is_active=False
            )
    except IntegrityError:  # the same address signed up a moment ago
        return User.objects.get(email__iexact=email)
    queue_after_commit(tasks.send_signup_confirmation, user.pk, site_url, False)
    return user


@transaction.atomic
def confirm_sign_up(*, user, token: str) -> bool:
    """Activate the account when the token is valid; False otherwise (expired, used)."""
    if user.is_active or not signup_token_generator.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


# --- Registration of an enterprise ----------------------------------------------------
@dataclass(frozen=True)
class Registration:
    enterprise: Enterprise
    representative: Representative

    @property
    def is_join_request(self) -> bool:
        """The NEQ was already known: the user asked to join, a coordinator decides."""
        return not self.representative.is_approved


@transaction.atomic
def register_enterprise(
    *,
    user,
    neq: str,
    name: str,
    legal_form: str,
    other_names: str = "",
    message: str = "",
) -> Registration:
    """Start a registration (a draft the user represents) or, for a known NEQ, ask to join."""
    neq = normalize_neq(neq)
    existing = Enterprise.objects.filter(neq=neq).first() if neq else None
    if existing is None:
        enterprise = Enterprise(
            name=name.strip(), neq=neq, legal_form=legal_form, other_names=other_names.strip()
        )
        enterprise.full_clean(exclude=["slug", "search_document"], validate_unique=False)
        try:
            with transaction.atomic():
                enterprise.save()
        except IntegrityError:  # registered by someone else a moment ago: join it
            existing = Enterprise.objects.get(neq=neq)
        else:
            representative = Representative.objects.create(
                user=user,
                enterprise=enterprise,
                is_approved=True,
                approved_at=timezone.now(),
                message=message,
            )
            _refresh_search(enterprise)
            return Registration(enterprise, representative)
    representative, _created = Representative.objects.get_or_create(
        user=user, enterprise=existing, defaults={"message": message}
    )
    return Registration(existing, representative)


@transaction.atomic
def approve_join_request(*, representative: Representative, by) -> Representative:
    if representative.is_approved:
        return representative
    representative.is_approved = True
    representative.approved_at = timezone.now()
    representative.approved_by = by
    representative.save(update_fields=["is_approved", "approved_at", "approved_by"])
    user_id, enterprise_id = representative.user_id, representative.enterprise_id
    queue_after_commit(tasks.notify_join_decision, user_id, enterprise_id, True)
    return representative


@transaction.atomic
def decline_join_request(*, representative: Representative, by) -> None:
    if representative.is_approved:
        raise ValidationError(_("This request was already approved."))
    user_id, enterprise_id = representative.user_id, representative.enterprise_id
    representative.delete()
    queue_after_commit(tasks.notify_join_decision, user_id, enterprise_id, False)


def missing_for_submission(enterprise: Enterprise) -> list[str]:
    """What a coordinator needs before verifying; empty when the file is complete."""
    missing = []
    if not enterprise.neq:
        missing.append(_("the NEQ"))
    if not enterprise.municipality_id:
        missing.append(_("the municipality"))
    if not (enterprise.email or enterprise.phone):
        missing.append(_("an e-mail address or a phone number"))
    if not enterprise.sectors.exists():
        missing.append(_("at least one sector of activity"))
    return missing


@transaction.atomic
def submit_for_verification(*, enterprise: Enterprise, by=None) -> Enterprise:
    enterprise.set_status(Enterprise.Status.PENDING, by=by)
    return enterprise


@transaction.atomic
def submit_registration(*, enterprise: Enterprise, by, consent: bool) -> Enterprise:
    """Last step: record the consent to publication (if given) and ask for verification."""
    missing = missing_for_submission(enterprise)
    if missing:
        raise ValidationError(
            _("Before submitting, add: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    if consent:
        record_publication_consent(enterprise=enterprise, by=by)
    return submit_for_verification(enterprise=enterprise, by=by)


@transaction.atomic
def verify_enterprise(*, enterprise: Enterprise, by) -> Enterprise:
    enterprise.set_status(Enterprise.Status.VERIFIED, by=by)
    # Consent given at registration takes effect the moment the enterprise is an EÉS.
    if enterprise.publication_consent_at and not enterprise.is_published:
        enterprise.is_published = True
        enterprise.save(update_fields=["is_published", "updated_at"])
    queue_after_commit(notify_status_decision, enterprise.pk)
    return enterprise


@transaction.atomic
def reject_enterprise(*, enterprise: Enterprise, by, reason: str) -> Enterprise:
    enterprise.set_status(Enterprise.Status.REJECTED, by=by, reason=reason)
    queue_after_commit(notify_status_decision, enterprise.pk)
    return enterprise


@transaction.atomic
def revoke_enterprise(*, enterprise: Enterprise, by, reason: str = "") -> Enterprise:
    enterprise.set_status(Enterprise.Status.REVOKED, by=by, reason=reason)
    queue_after_commit(notify_status_decision, enterprise.pk)
    return enterprise


@transaction.atomic
def record_publication_consent(*, enterprise: Enterprise, by) -> Enterprise:
    """Consent to publication (Québec privacy law): who and when; published once verified."""
    enterprise.publication_consent_at = timezone.now()
    enterprise.publication_consent_by = by
    enterprise.is_published = enterprise.status == Enterprise.Status.VERIFIED
    enterprise.save(
        update_fields=[
            "publication_consent_at",
            "publication_consent_by",
            "is_published",
            "updated_at",
        ]
    )
    return enterprise


@transaction.atomic
def withdraw_publication_consent(*, enterprise: Enterprise, by) -> Enterprise:
    """Take the profile out of the public directory; the history keeps the old consent."""
    enterprise.is_published = False
    enterprise.publication_consent_at = None
    enterprise.publication_consent_by = None
    enterprise.save(
        update_fields=[
            "publication_consent_at",
            "publication_consent_by",
            "is_published",
            "updated_at",
        ]
    )
    return enterprise


# Changing who the enterprise is sends a verified enterprise back to verification.
IDENTITY_FIELDS = ("name", "neq", "legal_form")
MANY_TO_MANY_FIELDS = ("sectors", "regions_served")


def _normalized(field: str, value):
    if field == "neq":
        return normalize_neq(value)
    if isinstance(value, str):
        return value.strip()
    return value


@transaction.atomic
def update_enterprise_profile(
    *, enterprise: Enterprise, by, changes: dict, items=None
) -> Enterprise:
    """Apply profile changes; identity changes of an EÉS need re-verification.

    `changes` holds model fields (plain, file and many-to-many) plus `impacts` (a list of
    Impact values). `items` is an optional validated inline formset (offerings, contacts,
    achievements): saving it here keeps a page's form and list in one transaction.
    """
    changes = dict(changes)
    many = {field: changes.pop(field) for field in MANY_TO_MANY_FIELDS if field in changes}
    impacts = changes.pop("impacts", None)
    identity_changed = any(
        field in changes and _normalized(field, changes[field]) != getattr(enterprise, field)
        for field in IDENTITY_FIELDS
    )
    for field, value in changes.items():
        if field == "postal_code" and value:
            value = normalize_postal_code(value)
        Enterprise._meta.get_field(field).save_form_data(enterprise, _normalized(field, value))
    if "municipality" in changes and enterprise.municipality_id:
        enterprise.region_id = enterprise.municipality.region_id
    enterprise.full_clean(exclude=["slug", "search_document"])
    enterprise.save()
    for field, value in many.items():
        getattr(enterprise, field).set(value)
    if impacts is not None:
        set_enterprise_impacts(enterprise=enterprise, impacts=impacts)
    if items is not None:
        items.instance = enterprise
        items.save()
    if identity_changed and enterprise.status == Enterprise.Status.VERIFIED:
        enterprise.set_status(Enterprise.Status.PENDING, by=by)
    _refresh_search(enterprise)
    return enterprise


@transaction.atomic
def set_enterprise_impacts(*, enterprise: Enterprise, impacts: list[str]) -> None:
    wanted = set(impacts)
    enterprise.impacts.exclude(impact__in=wanted).delete()
    present = set(enterprise.impacts.values_list("impact", flat=True))
    EnterpriseImpact.objects.bulk_create(
        EnterpriseImpact(enterprise=enterprise, impact=impact)
        for impact in sorted(wanted - present)
    )


# --- Supplier files -------------------------------------------------------------------
@transaction.atomic
def register_in_supplier_file(
    *,
    enterprise: Enterprise,
    organization,
    by=None,
    registered_on: datetime.date | None = None,
    notes: str = "",
) -> SupplierRegistration:
    """Register an enterprise in a buying organization's supplier file (one open per pair)."""
    registered_on = registered_on or timezone.localdate()
    if not organization.is_active:
        raise ValidationError(_("This organization no longer keeps a supplier file."))
    if registered_on > timezone.localdate():
        raise ValidationError(
            {"registered_on": _("The registration date cannot be in the future.")}
        )
    open_registrations = SupplierRegistration.objects.select_for_update().filter(
        enterprise=enterprise, organization=organization, withdrawn_on__isnull=True
    )
    if open_registrations.exists():
        raise ValidationError(_("This enterprise is already registered in this supplier file."))
    registration = SupplierRegistration(
        enterprise=enterprise, organization=organization, registered_on=registered_on, notes=notes
    )
    registration._history_user = by
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # a concurrent registration of the same pair
        raise ValidationError(
            _("This enterprise is already registered in this supplier file.")
        ) from error
    return registration


@transaction.atomic
def withdraw_from_supplier_file(
    *, registration: SupplierRegistration, by=None, withdrawn_on: datetime.date | None = None
) -> SupplierRegistration:
    """Close a registration; the dates stay (they feed the `ees_registered` indicator)."""
    registration = SupplierRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.withdrawn_on is not None:
        raise ValidationError(_("This registration was already withdrawn."))
    withdrawn_on = withdrawn_on or timezone.localdate()
    if withdrawn_on < registration.registered_on:
        raise ValidationError(
            {"withdrawn_on": _("The withdrawal date must follow the registration date.")}
        )
    registration.withdrawn_on = withdrawn_on
    registration._history_user = by
    registration.save(update_fields=["withdrawn_on"])
    return registration


# --- Shortlists -----------------------------------------------------------------------
@transaction.atomic
def create_shortlist(*, owner, name: str, notes: str = "", organization=None) -> Shortlist:
    shortlist = Shortlist(owner=owner, name=name.strip(), notes=notes, organization=organization)
    shortlist.full_clean()
    shortlist.save()
    return shortlist


@transaction.atomic
def rename_shortlist(*, shortlist: Shortlist, name: str, notes: str = "") -> Shortlist:
    shortlist.name = name.strip()
    shortlist.notes = notes
    shortlist.full_clean()
    shortlist.save(update_fields=["name", "notes", "updated_at"])
    return shortlist


@transaction.atomic
def delete_shortlist(*, shortlist: Shortlist) -> None:
    shortlist.delete()


@transaction.atomic
def add_to_shortlist(
    *, shortlist: Shortlist, enterprise: Enterprise, note: str = ""
) -> ShortlistEntry:
    """Add an enterprise (or update its note when it is already on the list)."""
    entry, created = ShortlistEntry.objects.get_or_create(
        shortlist=shortlist, enterprise=enterprise, defaults={"note": note}
    )
    if not created and note and note != entry.note:
        entry.note = note
        entry.save(update_fields=["note"])
    # The list's `updated_at` orders a buyer's lists: the one just used comes first.
    shortlist.save(update_fields=["updated_at"])
    return entry


@transaction.atomic
def update_shortlist_entry(*, entry: ShortlistEntry, note: str) -> ShortlistEntry:
    entry.note = note
    entry.save(update_fields=["note"])
    return entry


@transaction.atomic
def remove_from_shortlist(*, entry: ShortlistEntry) -> None:
    shortlist = entry.shortlist
    entry.delete()
    shortlist.save(update_fields=["updated_at"])


# --- Import ---------------------------------------------------------------------------
def import_enterprises(*, source, by=None, commit: bool = False):
    """Read an enterprise CSV (see docs/import-format.md); write only with commit and no error.

    The importer owns its transaction: one for the whole file, rolled back on any error.
    """
    from directory.importer import EnterpriseImporter

    return EnterpriseImporter(by=by).run(source, commit=commit)
