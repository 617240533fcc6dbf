"""OCDS pages: staff upload a release package (SEAO's included) and download their records.

Import: officers (for one of their organizations) and coordinators (for one organization, or
matching every buyer). Files up to OCDS_SYNC_IMPORT_BYTES (4 MB) are imported during the request;
bigger ones by a Celery task, the report page then shows the result once it is ready.
Export: any staff member of an organization (for it) and coordinators (for any or all).
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import Organization
from portal.accounts.roles import READ_ROLES, WRITE_ROLES, roles_for
from portal.outbox import queue_after_commit
from procurement import tasks_ocds
from procurement.models import Award
from procurement.ocds import ImportReport, count_releases, package_chunks

# Files up to this size are imported during the request (a SEAO weekly file is about 2 MB).
DEFAULT_SYNC_IMPORT_BYTES = 4 * 1024 * 1024
KIND_LABELS = {
    "processes": gettext_lazy("Processes"),
    "awards": gettext_lazy("Awards"),
    "bids": gettext_lazy("Bids"),
    "invitations": gettext_lazy("Invitations"),
    "enterprises": gettext_lazy("Suppliers"),
    "organizations": gettext_lazy("Buying organizations"),
}


def _organizations_for(user, roles_needed: tuple[str, ...]):
    roles = roles_for(user)
    if roles.coordinator:
        return Organization.objects.order_by("name")
    return Organization.objects.filter(pk__in=roles.organizations_with(roles_needed)).order_by(
        "name"
    )


class OcdsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("OCDS release package (JSON)"),
        help_text=gettext_lazy(
            "A release package such as SEAO's weekly files. Importing the same file twice "
            "changes nothing."
        ),
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Record for"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = _organizations_for(user, WRITE_ROLES)
        if roles_for(user).coordinator:
            field.required = False
            field.empty_label = _("Each buyer named in the file (unknown ones are created)")
            field.help_text = _("Or record every process for one organization.")
        elif field.queryset.count() == 1:
            field.initial = field.queryset.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s MB).")
                % {"size": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class OcdsExportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = _organizations_for(user, READ_ROLES)
        if roles_for(user).coordinator:
            field.required = False
            field.empty_label = _("All organizations")
        elif field.queryset.count() == 1:
            field.initial = field.queryset.first()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period cannot precede its start."))
            elif not count_releases(**self.scope()):
                raise forms.ValidationError(
                    _("Nothing to export: no process has a record in this period.")
                )
        return data

    def scope(self) -> dict:
        organization = self.cleaned_data.get("organization")
        return {
            "start": self.cleaned_data["start"],
            "end": self.cleaned_data["end"],
            "organization_id": organization.pk if organization else None,
        }


@login_required
def import_upload(request):
    roles = roles_for(request.user)
    if not (roles.coordinator or roles.organizations_with(WRITE_ROLES)):
        raise PermissionDenied(_("Only procurement officers and coordinators import OCDS data."))
    form = OcdsImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        organization = form.cleaned_data["organization"]
        token = tasks_ocds.new_token()
        with open(tasks_ocds.upload_path(token), "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        tasks_ocds.write_state(
            token,
            {
                "status": tasks_ocds.QUEUED,
                "user_id": request.user.pk,
                "organization_id": organization.pk if organization else None,
                "organization": organization.name if organization else "",
                "filename": upload.name[:200],
                "size": upload.size,
            },
        )
        if upload.size <= getattr(settings, "OCDS_SYNC_IMPORT_BYTES", DEFAULT_SYNC_IMPORT_BYTES):
            tasks_ocds.import_ocds_upload(token)
        else:
            queue_after_commit(tasks_ocds.import_ocds_upload, token)
        return redirect("procurement:ocds-import-report", token=token)
    return render(request, "procurement/ocds/import.html", {"form": form})


@login_required
def import_report(request, token: str):
    state = tasks_ocds.read_state(token)
    if state is None or (
        state.get("user_id") != request.user.pk and not roles_for(request.user).coordinator
    ):
        raise Http404
    report = ImportReport.from_dict(state["report"]) if state.get("report") else None
    context = {"state": state, "report": report, "done": state["status"] == tasks_ocds.DONE}
    if report is not None:
        context["rows"] = [
            {
                "label": label,
                "created": report.created.get(kind, 0),
                "updated": report.updated.get(kind, 0),
            }
            for kind, label in KIND_LABELS.items()
        ]
        context["contracts"] = [
            {
                **row,
                "awarded_on": dt.date.fromisoformat(row["awarded_on"]),
                "status_label": Award.Status(row["status"]).label,
            }
            for row in report.contracts
        ]
    return render(request, "procurement/ocds/report.html", context)


@login_required
def export_download(request):
    roles = roles_for(request.user)
    if not (roles.coordinator or roles.is_org_staff):
        raise PermissionDenied(_("This page is for buying organizations' staff."))
    form = OcdsExportForm(request.GET if "start" in request.GET else None, user=request.user)
    if form.is_bound and form.is_valid():
        scope = form.scope()
        name = f"ocds-{scope['organization_id'] or 'toutes'}-{scope['start']}-{scope['end']}.json"
        response = StreamingHttpResponse(package_chunks(**scope), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "procurement/ocds/export.html", {"form": form})
