"""Forms of the procurement pages.

Forms check what the user typed (types, ranges, dates in order, a supplier that exists);
the rules of the records themselves live in procurement.services and services_pages, which
the views call with the cleaned data. The list pages' filter forms are page-specific (the
API's FilterSets are another module's).
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise, normalize_neq
from portal.accounts.models import Organization
from portal.accounts.roles import WRITE_ROLES, roles_for
from portal.reference.models import Category, Region
from portal.templatetags.portal import money
from procurement.models import (
    MAX_AMOUNT,
    Activity,
    AnnualNeed,
    Award,
    Bid,
    Invitation,
    Method,
    ProcurementProcess,
    ToolkitEntry,
)

SUPPLIER_CHOICES_LIMIT = 2000


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """An amount in dollars typed the French or the English way: 12 345,67 or 12,345.67 $."""

    default_error_messages = {
        "invalid": _("Enter an amount in dollars, for example 12 345,67."),
        "min_value": _("An amount cannot be negative."),
        "max_value": _("This amount is not plausible: check the number of digits."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_amount(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # A text input (not type=number): the min/max/step attributes would confuse it.
        return {}


def normalize_amount(text: str) -> str:
    """'12 345,67 $' -> '12345.67'; '12,345.67' -> '12345.67'; '1,5' -> '1.5'."""
    compact = re.sub(r"[\s\u00a0\u202f$]", "", text)
    if "," in compact and "." in compact:
        compact = compact.replace(",", "")  # English thousands separators
    elif compact.count(",") == 1 and len(compact.split(",")[1]) <= 2:
        compact = compact.replace(",", ".")  # French decimal comma
    else:
        compact = compact.replace(",", "")
    return compact


class CategoryChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "queryset",
            Category.objects.select_related("parent").order_by(
                "parent__position", "parent__slug", "position", "slug"
            ),
        )
        kwargs.setdefault("label", _("Category"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


def preselect_organization(form: forms.Form, name: str = "organization") -> None:
    """Preselect the user's organization when the form is new (the usual case: only one)."""
    field = form.fields[name]
    if not form.is_bound and form.initial.get(name) is None:
        form.initial[name] = field.queryset.order_by("name").first()


def writable_organizations(user):
    """Organizations whose records the user may write: officers' own, every one for coordinators."""
    roles = roles_for(user)
    organizations = Organization.objects.active()
    if roles.coordinator:
        return organizations
    return organizations.filter(pk__in=roles.organizations_with(WRITE_ROLES))


def readable_organizations(user):
    roles = roles_for(user)
    organizations = Organization.objects.active()
    if roles.coordinator:
        return organizations
    return organizations.filter(pk__in=roles.organization_ids)


def supplier_label(name: str, neq: str | None) -> str:
    return f"{name} — {neq}" if neq else name


def supplier_options(queryset=None) -> list[str]:
    """Values for the suppliers' <datalist>: one query, names with their NEQ."""
    queryset = Enterprise.objects.all() if queryset is None else queryset
    rows = queryset.order_by("name").values_list("name", "neq")[:SUPPLIER_CHOICES_LIMIT]
    return [supplier_label(name, neq) for name, neq in rows]


NEQ_AT_END = re.compile(r"(\d[\d\s-]{8,}\d)\s*\)?\s*$")


def resolve_supplier(text: str, queryset=None) -> Enterprise:
    """The one enterprise named by a name, a NEQ, or the datalist's 'Name — NEQ'."""
    queryset = Enterprise.objects.all() if queryset is None else queryset
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Give the supplier's name or NEQ."), code="required")
    match = NEQ_AT_END.search(text)
    neq = normalize_neq(match.group(1)) if match else None
    if neq and len(neq) == 10 and neq.isdigit():
        found = queryset.filter(neq=neq).first()
        if found is not None:
            return found
        raise ValidationError(
            _("No enterprise has the NEQ %(neq)s.") % {"neq": neq}, code="not_found"
        )
    for candidates in (
        queryset.filter(name__iexact=text),
        queryset.filter(Q(name__icontains=text) | Q(other_names__icontains=text)),
    ):
        found = list(candidates[:2])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValidationError(
                _("Several enterprises match “%(text)s”: choose one in the list or give its NEQ.")
                % {"text": text},
                code="ambiguous",
            )
    raise ValidationError(
        _("No enterprise matches “%(text)s”. Check the spelling or give its NEQ.") % {"text": text},
        code="not_found",
    )


class SupplierField(forms.CharField):
    """A text field (with a datalist) resolved to an enterprise on the server."""

    def __init__(self, *, queryset=None, datalist_id="supplier-options", **kwargs):
        self.queryset = queryset
        kwargs.setdefault("label", _("Supplier"))
        kwargs.setdefault("help_text", _("Type a name or a NEQ and pick from the list."))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": datalist_id, "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        return resolve_supplier(value, self.queryset)


def apply_service_errors(
    form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = aliases.get(name, name)
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


# --- Annual needs ---------------------------------------------------------------------
class AnnualNeedForm(forms.ModelForm):
    estimated_value = AmountField(label=_("Estimated value (CAD, before taxes)"), required=False)
    category = CategoryChoiceField()

    class Meta:
        model = AnnualNeed
        fields = [
            "organization",
            "fiscal_year",
            "title",
            "description",
            "category",
            "estimated_value",
            "planned_quarter",
            "planned_method",
            "region",
            "is_published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"is_published": _("Publish this need")}
        help_texts = {"is_published": _("Published needs are public so that EÉS can prepare.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_organizations(user)
        self.fields["organization"].empty_label = None
        self.fields["planned_quarter"] = forms.TypedChoiceField(
            label=_("Planned quarter"),
            choices=[("", "—"), *[(q, _("Quarter %(q)d") % {"q": q}) for q in (1, 2, 3, 4)]],
            coerce=int,
            empty_value=None,
            required=False,
        )
        if self.instance.pk:
            self.fields["organization"].disabled = True
        else:
            preselect_organization(self)
            self.fields["fiscal_year"].initial = timezone.localdate().year


# --- Processes ------------------------------------------------------------------------
class ProcessForm(forms.ModelForm):
    estimated_value = AmountField(label=_("Estimated value (CAD, before taxes)"), required=False)
    category = CategoryChoiceField()

    class Meta:
        model = ProcurementProcess
        fields = [
            "organization",
            "reference",
            "title",
            "description",
            "category",
            "method",
            "estimated_value",
            "published_on",
            "closing_on",
            "annual_need",
            "method_justification",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "method_justification": forms.Textarea(attrs={"rows": 3}),
            "published_on": DateInput(),
            "closing_on": DateInput(),
        }
        help_texts = {
            "method_justification": _(
                "Needed when the method does not fit the estimated value under the thresholds "
                "in force (for example a direct award allowed by your contract-management "
                "by-law)."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = writable_organizations(user)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None
        self.fields["annual_need"].queryset = AnnualNeed.objects.filter(
            organization__in=organizations
        ).select_related("organization")
        self.fields["annual_need"].label_from_instance = lambda need: (
            f"{need.title} ({need.fiscal_year}) — {need.organization.name}"
        )
        if self.instance.pk:
            self.fields["organization"].disabled = True
        else:
            preselect_organization(self)

    def clean(self):
        cleaned = super().clean()
        published, closing = cleaned.get("published_on"), cleaned.get("closing_on")
        if published and closing and closing < published:
            self.add_error("closing_on", _("The closing date must follow the publication date."))
        need, organization = cleaned.get("annual_need"), cleaned.get("organization")
        if need and organization and need.organization_id != organization.pk:
            self.add_error("annual_need", _("This annual need belongs to another organization."))
        return cleaned


class ProcessFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or reference"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=[("", _("All"))] + Method.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + ProcurementProcess.Status.choices,
        required=False,
    )
    flagged = forms.BooleanField(label=_("Only flagged processes"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = readable_organizations(user)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(
                Q(title__icontains=data["q"]) | Q(reference__icontains=data["q"])
            )
        if data["organization"]:
            queryset = queryset.filter(organization=data["organization"])
        if data["method"]:
            queryset = queryset.filter(method=data["method"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["flagged"]:
            queryset = queryset.exclude(threshold_warning="")
        return queryset


class ProcessStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProcurementProcess.Status.choices)


# --- Invitations, bids, awards --------------------------------------------------------
class InvitationForm(forms.Form):
    supplier = SupplierField(datalist_id="supplier-options")
    invited_on = forms.DateField(label=_("Invitation date"), widget=DateInput(), required=False)

    def clean_invited_on(self):
        return self.cleaned_data["invited_on"] or timezone.localdate()


class InviteSuggestedForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.social_economy())


class InvitationResponseForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (Invitation.Response.INTERESTED, Invitation.Response.INTERESTED.label),
            (Invitation.Response.DECLINED, Invitation.Response.DECLINED.label),
        ]
    )


class BidForm(forms.Form):
    submitted_on = forms.DateField(label=_("Submission date"), widget=DateInput())
    amount = AmountField(label=_("Amount (CAD, before taxes)"))
    status = forms.ChoiceField(
        label=_("Status"), choices=Bid.Status.choices, initial=Bid.Status.RECEIVED, required=False
    )

    def __init__(self, *args, process: ProcurementProcess, **kwargs):
        super().__init__(*args, **kwargs)
        if process.method == Method.INVITATION:
            # Only invited suppliers may bid: offer exactly them.
            field = forms.ModelChoiceField(
                label=_("Supplier"),
                queryset=Enterprise.objects.filter(invitations__process=process).order_by("name"),
                empty_label=None,
                help_text=_("Only invited suppliers may bid on an invitation tender."),
            )
        else:
            field = SupplierField()
        self.fields = {"supplier": field, **self.fields}
        self.fields["submitted_on"].initial = timezone.localdate()

    def clean_status(self):
        return self.cleaned_data["status"] or Bid.Status.RECEIVED


class AwardForm(forms.Form):
    bid = forms.ModelChoiceField(
        label=_("Winning bid"), queryset=Bid.objects.none(), required=False
    )
    supplier = SupplierField(
        required=False, help_text=_("Leave empty when you choose a winning bid.")
    )
    awarded_on = forms.DateField(label=_("Award date"), widget=DateInput())
    amount = AmountField(label=_("Amount (CAD, before taxes)"))
    contract_number = forms.CharField(label=_("Contract number"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Award.Status.ACTIVE, _("Active (signed)")),
            (Award.Status.PENDING, _("Pending (not signed yet)")),
        ],
        initial=Award.Status.ACTIVE,
        required=False,
    )

    def __init__(self, *args, process: ProcurementProcess, **kwargs):
        super().__init__(*args, **kwargs)
        bids = process.bids.select_related("enterprise").exclude(
            status__in=[Bid.Status.WITHDRAWN, Bid.Status.NON_COMPLIANT]
        )
        self.fields["bid"].queryset = bids
        self.fields["bid"].label_from_instance = lambda bid: (
            f"{bid.enterprise.name} — {money(bid.amount)}"
        )
        self.fields["awarded_on"].initial = timezone.localdate()

    def clean_status(self):
        return self.cleaned_data["status"] or Award.Status.ACTIVE

    def clean(self):
        cleaned = super().clean()
        bid, supplier = cleaned.get("bid"), cleaned.get("supplier")
        if bid is not None:
            if supplier is not None and supplier.pk != bid.enterprise_id:
                self.add_error("supplier", _("The supplier must be the winning bid's supplier."))
            cleaned["supplier"] = bid.enterprise
        elif supplier is None and "supplier" not in self.errors:
            self.add_error("supplier", _("Choose a winning bid or give the supplier."))
        return cleaned


class DirectAwardForm(forms.Form):
    """The quick form: the most common record, a direct award, in a few fields."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    # Resolved in clean(): with "new supplier" ticked, the name is not looked up.
    supplier = forms.CharField(
        label=_("Supplier"),
        max_length=200,
        help_text=_("Type a name or a NEQ and pick from the list."),
        widget=forms.TextInput(attrs={"list": "supplier-options", "autocomplete": "off"}),
    )
    new_supplier = forms.BooleanField(
        label=_("The supplier is not in the portal yet: add it with this name"),
        required=False,
    )
    new_supplier_neq = forms.CharField(
        label=_("NEQ of the new supplier"),
        required=False,
        max_length=20,
        help_text=_("Optional: the 10-digit Québec enterprise number."),
    )
    title = forms.CharField(label=_("What was bought"), max_length=300)
    amount = AmountField(label=_("Amount (CAD, before taxes)"))
    awarded_on = forms.DateField(label=_("Award date"), widget=DateInput())
    contract_number = forms.CharField(label=_("Contract number"), max_length=100, required=False)
    category = CategoryChoiceField()
    method_justification = forms.CharField(
        label=_("Justification of the direct award"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed from the invitation threshold: say which rule of your contract-management "
            "by-law allows this direct award."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_organizations(user)
        preselect_organization(self)
        self.fields["awarded_on"].initial = timezone.localdate()
        self.show_justification(bool(self.data.get(self.add_prefix("method_justification"))))

    def show_justification(self, show: bool) -> None:
        """The justification is asked for only once the amount calls for one."""
        self.fields["method_justification"].widget = (
            forms.Textarea(attrs={"rows": 3}) if show else forms.HiddenInput()
        )

    def clean_new_supplier_neq(self):
        neq = normalize_neq(self.cleaned_data["new_supplier_neq"]) or ""
        if neq and not (len(neq) == 10 and neq.isdigit()):
            raise ValidationError(_("The NEQ is the 10-digit Québec enterprise number."))
        return neq

    def clean(self):
        cleaned = super().clean()
        text = " ".join((cleaned.get("supplier") or "").split())
        cleaned["enterprise"] = None
        cleaned["new_supplier_name"] = ""
        if not text:
            return cleaned  # the field's own "required" error says it
        if cleaned.get("new_supplier"):
            cleaned["new_supplier_name"] = text
        else:
            try:
                cleaned["enterprise"] = resolve_supplier(text)
            except ValidationError as error:
                self.add_error("supplier", error)
        return cleaned


class AwardFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Award.Status.choices, required=False
    )
    ees_only = forms.BooleanField(label=_("Only EÉS"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = readable_organizations(user)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["organization"]:
            queryset = queryset.filter(organization=data["organization"])
        if data["year"]:
            queryset = queryset.filter(awarded_on__year=data["year"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["ees_only"]:
            queryset = queryset.to_social_economy()
        return queryset


class CumulativeForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = readable_organizations(user)


# --- Activities and contacts ----------------------------------------------------------
class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "date",
            "title",
            "description",
            "organizer",
            "participants",
            "organizations",
            "enterprises",
        ]
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "organizations": forms.SelectMultiple(attrs={"size": 6}),
            "enterprises": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "organizations": _("Hold Ctrl (or Cmd) to choose several."),
            "enterprises": _("Hold Ctrl (or Cmd) to choose several."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = Organization.objects.active()
        self.fields["enterprises"].queryset = Enterprise.objects.social_economy()


class BusinessContactForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    supplier = SupplierField(label=_("Enterprise"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    activity = forms.ModelChoiceField(
        label=_("At the activity"),
        queryset=Activity.objects.order_by("-date"),
        required=False,
        help_text=_("Leave empty for a contact outside any activity."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_organizations(user)
        preselect_organization(self)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("A contact cannot be dated in the future."))
        return date


class ContactFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = readable_organizations(user)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        if self.cleaned_data["organization"]:
            queryset = queryset.filter(organization=self.cleaned_data["organization"])
        if self.cleaned_data["year"]:
            queryset = queryset.filter(date__year=self.cleaned_data["year"])
        return queryset


# --- Public needs, organizations, toolkit ---------------------------------------------
class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Keywords"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    category = CategoryChoiceField()
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"), required=False, min_value=2000, max_value=2100
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.active(),
        to_field_name="slug",
        required=False,
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(
                Q(title__icontains=data["q"]) | Q(description__icontains=data["q"])
            )
        if data["region"]:
            queryset = queryset.filter(region=data["region"])
        if data["category"]:
            category = data["category"]
            queryset = queryset.filter(Q(category=category) | Q(category__parent=category))
        if data["fiscal_year"]:
            queryset = queryset.filter(fiscal_year=data["fiscal_year"])
        if data["organization"]:
            queryset = queryset.filter(organization=data["organization"])
        return queryset


class CommitmentForm(forms.Form):
    commitment_signed_on = forms.DateField(
        label=_("Signed on"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty to remove the declaration."),
    )
    commitment_signatory = forms.CharField(label=_("Signatory"), max_length=200, required=False)


# The model's "Measure" shares its msgid with the home page's verb ("Mesurer") in the one
# catalog, so the toolkit pages name the kinds with their own, unambiguous strings.
TOOLKIT_KIND_LABELS = {
    ToolkitEntry.Kind.CLAUSE: _("Example clause"),
    ToolkitEntry.Kind.WORDING: _("Wording for tender documents"),
    ToolkitEntry.Kind.MEASURE: _("Measure to adopt"),
    ToolkitEntry.Kind.QUESTION: _("Question to ask"),
    ToolkitEntry.Kind.TOOL: _("Tool"),
}


class ToolkitEntryForm(forms.ModelForm):
    class Meta:
        model = ToolkitEntry
        fields = [
            "step",
            "kind",
            "slug",
            "title_fr",
            "title_en",
            "body_fr",
            "body_en",
            "position",
            "is_published",
        ]
        widgets = {
            "body_fr": forms.Textarea(attrs={"rows": 6, "lang": "fr-CA"}),
            "body_en": forms.Textarea(attrs={"rows": 6, "lang": "en-CA"}),
            "title_fr": forms.TextInput(attrs={"lang": "fr-CA"}),
            "title_en": forms.TextInput(attrs={"lang": "en-CA"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(TOOLKIT_KIND_LABELS.items())


class ToolkitFilterForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Step"), choices=[("", _("All"))] + ToolkitEntry.Step.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), *TOOLKIT_KIND_LABELS.items()],
        required=False,
    )
