from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise
from portal.accounts.models import Organization
from portal.initiatives.models import Cohort, Criterion, Initiative


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["name", "coordinating_body", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "start", "end", "description"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class CohortOrganizationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.active()
    )
    commitment_signed_on = forms.DateField(
        label=_("Commitment declaration signed on"), widget=DateInput()
    )


class CohortEnterpriseForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Social-economy enterprise"),
        queryset=Enterprise.objects.social_economy().only("id", "name"),
    )


class CallForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who may apply, what participants gain, what is expected of them."),
    )

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date must be on or after the opening date."))
        return cleaned


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["label_fr", "label_en", "weight", "max_score"]


CriterionFormSet = forms.formset_factory(
    CriterionForm,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=10,
    validate_max=True,
    can_delete=True,
)

# The selection criteria of the seeds, offered when a coordinator opens a call.
DEFAULT_CRITERIA = [
    {
        "label_fr": "Volonté de développer les marchés institutionnels",
        "label_en": "Will to develop institutional markets",
        "weight": 3,
        "max_score": 5,
    },
    {
        "label_fr": "Adéquation de l'offre avec la demande des institutions",
        "label_en": "Fit of the offer with the institutions' demand",
        "weight": 2,
        "max_score": 5,
    },
    {
        "label_fr": "Capacité à répondre aux besoins",
        "label_en": "Capacity to serve",
        "weight": 2,
        "max_score": 5,
    },
]


class ApplicationForm(forms.Form):
    """One short answer per criterion, and the enterprise when the user represents several."""

    def __init__(self, *args, call, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(call.criteria.all())
        self.fields["enterprise"] = forms.ModelChoiceField(
            label=_("Enterprise"), queryset=enterprises, empty_label=None
        )
        self.single_enterprise = enterprises[0] if len(enterprises) == 1 else None
        if self.single_enterprise:
            self.fields["enterprise"].widget = forms.HiddenInput()
            self.fields["enterprise"].initial = self.single_enterprise.pk
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=criterion.label,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("A few sentences (2,000 characters at most)."),
            )

    def answers(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ScoreForm(forms.Form):
    """A score per criterion on the criterion's own scale; blanks are left unscored."""

    def __init__(self, *args, criteria, scores: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.label, "weight": criterion.weight},
                min_value=0,
                max_value=criterion.max_score,
                required=False,
                initial=scores.get(criterion.pk),
                help_text=_("From 0 to %(max)s.") % {"max": criterion.max_score},
            )

    def scores(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"score_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }


class DecisionForm(forms.Form):
    KEEP, DECLINE = "keep", "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(KEEP, _("Keep: the enterprise joins the cohort")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to decline; the applicant receives it by e-mail."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Declining an application needs a reason."))
        return cleaned


class QuizForm(forms.Form):
    """One radio group per question; every question must be answered."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"question_{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=[(choice.pk, choice.text) for choice in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer to this question.")},
            )

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] for q in self.questions}
