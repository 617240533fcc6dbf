"""Forms of the members' side of the directory: sign-up, registration steps, profile
sections, verification decisions, supplier files, shortlists, exports and import."""

import re

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from directory.exports import ENTERPRISE_COLUMNS
from directory.models import (
    Achievement,
    Enterprise,
    Impact,
    ManagerContact,
    Offering,
    Shortlist,
    SupplierRegistration,
    neq_validator,
    normalize_neq,
    normalize_postal_code,
    postal_code_validator,
)
from portal.accounts.models import Organization
from portal.reference.models import Category, Municipality, Region, Sector

phone_validator = RegexValidator(
    r"^\+?[\d\s().-]{7,20}(\s*(poste|ext\.?|x)\s*\d{1,6})?$",
    _("Enter a phone number such as 514 555-0100, optionally with an extension (poste 12)."),
    flags=re.IGNORECASE,
)

LOGO_MAX_BYTES = 1024 * 1024
# Checked on the decoded image, never on the file name: Pillow's name for the format.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def validate_logo(upload) -> str:
    """Return the file extension of a valid logo; refuse other types and big files."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must be 1 MB or smaller."), code="logo_size")
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or b"<?xml" in head.lower():
        raise ValidationError(
            _("SVG logos are not accepted: upload a PNG, JPEG or WebP image."), code="logo_svg"
        )
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise ValidationError(
            _("This file is not an image: upload a PNG, JPEG or WebP image."), code="logo_type"
        ) from error
    finally:
        upload.seek(0)
    if kind not in LOGO_FORMATS:
        raise ValidationError(_("Only PNG, JPEG and WebP logos are accepted."), code="logo_type")
    return LOGO_FORMATS[kind]


class LogoField(forms.FileField):
    """A logo checked with Pillow (not by extension), renamed after its real format."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "size") and not hasattr(value, "url"):
            extension = validate_logo(value)
            value.name = f"logo.{extension}"
        return value


# --- Accounts -------------------------------------------------------------------------
class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(
                email=cleaned.get("email", ""), full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- Registration and profile sections ------------------------------------------------
class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.region.name}"


class SectorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


def _clean_neq(value: str) -> str:
    neq = normalize_neq(value) or ""
    neq_validator(neq)
    return neq


class RegistrationIdentityForm(forms.Form):
    """Step 1 of a new registration: a known NEQ is not an error, it leads to a join request."""

    neq = forms.CharField(
        label=_("NEQ"),
        max_length=14,
        help_text=_("Québec enterprise number: 10 digits, on your REQ statement."),
    )
    name = forms.CharField(label=_("Legal name"), max_length=200)
    other_names = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Trade names or former names, one per line."),
    )
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=Enterprise.LegalForm.choices)
    message = forms.CharField(
        label=_("Message to the coordinators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("If the enterprise is already in the directory, say what your role is."),
    )

    def clean_neq(self):
        return _clean_neq(self.cleaned_data["neq"])


class SectionForm(forms.ModelForm):
    """A part of the profile; saved through services.update_enterprise_profile, never .save()."""

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class IdentityForm(SectionForm):
    class Meta:
        model = Enterprise
        fields = ["neq", "name", "other_names", "legal_form"]
        widgets = {"other_names": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"neq": {"unique": _("Another enterprise already has this NEQ.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neq"].required = True
        self.fields["neq"].max_length = 14
        self.fields["neq"].widget.attrs["maxlength"] = 14

    def clean_neq(self):
        return _clean_neq(self.cleaned_data["neq"])


class LocationForm(SectionForm):
    municipality = MunicipalityChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.select_related("region")
    )
    regions_served = forms.ModelMultipleChoiceField(
        label=_("Regions served"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
    )
    logo = LogoField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, 1 MB at most."),
    )

    class Meta:
        model = Enterprise
        fields = [
            "address",
            "municipality",
            "postal_code",
            "regions_served",
            "website",
            "email",
            "phone",
            "logo",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].max_length = 7

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"]
        if value:
            value = normalize_postal_code(value)
            postal_code_validator(value)
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if value:
            phone_validator(value)
        return value

    def clean(self):
        cleaned = super().clean()
        # The region follows the municipality (the model refuses a mismatch).
        if cleaned.get("municipality"):
            self.instance.region = cleaned["municipality"].region
        return cleaned


class OfferForm(SectionForm):
    primary_sector = SectorChoiceField(
        label=_("Primary sector"), queryset=Sector.objects.all(), required=False
    )
    sectors = SectorMultipleChoiceField(
        label=_("Sectors of activity (SCIAN)"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
        help_text=_("Every sector of activity, the primary one included."),
    )

    class Meta:
        model = Enterprise
        fields = ["mission", "description", "primary_sector", "sectors"]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        cleaned = super().clean()
        primary, sectors = cleaned.get("primary_sector"), cleaned.get("sectors")
        if primary and sectors is not None and primary not in sectors:
            cleaned["sectors"] = sectors | Sector.objects.filter(pk=primary.pk)
        return cleaned


class ImpactsForm(SectionForm):
    impacts = forms.MultipleChoiceField(
        label=_("Social impacts"),
        choices=Impact.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Enterprise
        fields = [
            "impacts",
            "employees",
            "people_in_integration",
            "volunteers",
            "size_band",
            "certifications",
        ]
        widgets = {"certifications": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["impacts"] = list(self.instance.impacts.values_list("impact", flat=True))


class ItemsOnlyForm(forms.Form):
    """A section that is only a list (achievements): nothing to change on the enterprise."""

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        return {}


class OfferingForm(forms.ModelForm):
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.select_related("parent")
    )

    class Meta:
        model = Offering
        fields = ["name", "category", "description", "keywords"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = ManagerContact
        fields = ["name", "title", "email", "phone"]

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if value:
            phone_validator(value)
        return value


class AchievementForm(forms.ModelForm):
    class Meta:
        model = Achievement
        fields = ["title", "client", "year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise ValidationError(_("Enter a year between 1900 and this year."))
        return year


OfferingFormSet = inlineformset_factory(
    Enterprise, Offering, form=OfferingForm, extra=1, can_delete=True, max_num=50
)
ContactFormSet = inlineformset_factory(
    Enterprise, ManagerContact, form=ContactForm, extra=1, can_delete=True, max_num=10
)
AchievementFormSet = inlineformset_factory(
    Enterprise, Achievement, form=AchievementForm, extra=1, can_delete=True, max_num=30
)


class SubmitForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I consent to the publication of this profile in the public directory."),
        required=False,
        help_text=_(
            "Québec privacy law: your consent is recorded with your name and the date. "
            "The profile is published only after a coordinator verifies it, and you may "
            "withdraw your consent at any time."
        ),
    )


class PublicationForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I consent to the publication of this profile in the public directory."),
        required=True,
    )


# --- Verification ---------------------------------------------------------------------
class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Sent to the representatives by e-mail."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("A rejection needs a reason."))
        return reason


# --- Supplier files -------------------------------------------------------------------
class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SupplierFileJoinForm(forms.Form):
    """A representative registers their enterprise in an organization's supplier file."""

    organization = OrganizationChoiceField(
        label=_("Buying organization"), queryset=Organization.objects.active()
    )

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise is not None:
            open_ids = enterprise.supplier_registrations.filter(
                withdrawn_on__isnull=True
            ).values_list("organization_id", flat=True)
            self.fields["organization"].queryset = Organization.objects.active().exclude(
                pk__in=open_ids
            )


class SupplierFileAddForm(forms.Form):
    """Organization staff add an enterprise to their file by its NEQ."""

    neq = forms.CharField(label=_("NEQ of the enterprise"), max_length=14)
    registered_on = forms.DateField(
        label=_("Registered on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left blank."),
    )

    def clean_neq(self):
        neq = _clean_neq(self.cleaned_data["neq"])
        enterprise = Enterprise.objects.filter(neq=neq).first()
        if enterprise is None:
            raise ValidationError(_("No enterprise of the directory has this NEQ."))
        self.enterprise = enterprise
        return neq


class SupplierRegistrationFilterSet(django_filters.FilterSet):
    """One FilterSet for the supplier-file page and /api/supplier-registrations/."""

    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.all()
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Enterprise"), queryset=Enterprise.objects.all(), widget=forms.HiddenInput
    )
    active_on = django_filters.DateFilter(
        label=_("Active on"),
        method="filter_active_on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Registrations in force on that day."),
    )
    q = django_filters.CharFilter(
        label=_("Enterprise name or NEQ"), method="filter_q", widget=forms.TextInput()
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="enterprise__region", queryset=Region.objects.all()
    )

    class Meta:
        model = SupplierRegistration
        fields = ["organization", "enterprise", "active_on", "q", "region"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        neq = normalize_neq(value) or ""
        if neq.isdigit():
            return queryset.filter(enterprise__neq__startswith=neq)
        return queryset.filter(enterprise__name__icontains=value)


# --- Shortlists -----------------------------------------------------------------------
class ShortlistForm(forms.ModelForm):
    class Meta:
        model = Shortlist
        fields = ["name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class AddToShortlistForm(forms.Form):
    """Add an enterprise to one of the user's lists, or to a new list named here."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), widget=forms.HiddenInput
    )
    shortlist = forms.ModelChoiceField(
        label=_("List"), queryset=Shortlist.objects.none(), required=False, empty_label=None
    )
    new_list = forms.CharField(label=_("Or a new list named"), max_length=150, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shortlist"].queryset = Shortlist.objects.filter(owner=user)
        self.fields["enterprise"].queryset = enterprises
        if not self.fields["shortlist"].queryset.exists():
            self.fields["shortlist"].empty_label = "—"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("shortlist") and not (cleaned.get("new_list") or "").strip():
            raise ValidationError(_("Choose a list or name a new one."))
        return cleaned


class ShortlistEntryForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- Exports --------------------------------------------------------------------------
class ExportForm(forms.Form):
    """Format and columns of an export; contacts only for those who may see them."""

    FORMATS = [("xlsx", _("Excel (XLSX)")), ("csv", _("CSV (UTF-8)"))]

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect)
    columns = forms.MultipleChoiceField(
        label=_("Columns"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, sees_contacts: bool = False, extra_columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        columns = [*ENTERPRISE_COLUMNS, *extra_columns]
        self.fields["columns"].choices = [
            (column.key, column.label)
            for column in columns
            if sees_contacts or not column.needs_contacts
        ]
        self.fields["columns"].initial = [column.key for column in columns if column.default]
        self.fields["format"].initial = "xlsx"


# --- Import ---------------------------------------------------------------------------
class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, one enterprise per line, with a header row (see the import format)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s MB at most).")
                % {"size": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        return upload
