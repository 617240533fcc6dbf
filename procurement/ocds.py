"""OCDS 1.1 in and out: release packages exported strictly, imported tolerantly.

Export (`export_package`, `write_package`): one release per process that has a record in the
period (publication, invitation, bid or award dated in it), with the buyer and every supplier
in `parties` (NEQ in `identifier`, social-economy status and legal form in
`details.classifications` — organizationClassification extension), the tender with
`procurementMethod` (open, limited, direct) and the Québec label in `procurementMethodDetails`,
invitations and bids in `bids.details` (bid extension; an invitation is a submission whose
status is `invited`), awards, and one contract per award. Every package validates against the
OCDS 1.1.5 release-package schema with the two extensions merged in (`validate_package`).

Import (`OcdsImporter`): streams `releases[]` with ijson, so memory stays flat on large files.
The file is first read once without keeping anything, so a malformed file (not JSON, not a
release package) is refused as a whole before anything is saved. Each release is then mapped
without touching the database (`parse_release`), and a release that cannot be understood is
skipped with its reason. Releases are written in batches of a few hundred, each batch in one
transaction; when a batch fails, its releases are replayed one per transaction so that only
the bad ones are skipped — the outcome is that of one transaction per release, at the speed of
batches. Re-importing the same data changes nothing: processes are found by ocid (else by
buyer and tender id, which is how this portal's own exports come back), awards by award id,
bids and invitations by supplier; a record is written only when a value differs.

Tolerances, for real data (SEAO, Québec's tendering system, is not strictly valid OCDS):
- the method is decided by the French label in `procurementMethodDetails` when there is one
  (SEAO codes a few *gré à gré* contracts `selective`), by `procurementMethod` otherwise;
- SEAO puts the supplier's NEQ in `parties[].details.neq`; `tender.documents[]` without `id`
  are ignored, as is SEAO's `bids` list (amounts without dates or statuses);
- SEAO's `tenderPeriod.startDate` on a contract notice is the notice's publication, often after
  the award itself: then the process keeps no publication date;
- a method that does not fit the thresholds is flagged, never refused (another system's rules
  applied);
- `tag` given as a string (Ville de Montréal's 2017 files) is not tolerated: such a release is
  skipped with a clear reason, because those files carry no procurement method either.
Unknown buyers become organizations (kind `municipal` when SEAO's `details.municipal` is "1",
else `government`; region from the buyer's locality when it is a known municipality, else
OCDS_DEFAULT_REGION, Montréal); unknown suppliers become enterprises with status
`not_submitted`, unpublished — importing never makes anyone an EÉS.
"""

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import IO

import ijson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from procurement.models import (
    MAX_AMOUNT,
    Award,
    Bid,
    Invitation,
    Method,
    ProcurementProcess,
    Threshold,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema"
PACKAGE_SCHEMA_URL = (
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
)
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
# Merged into the core release schema, in this order (JSON Merge Patch, as OCDS does).
EXTENSION_FILES = ["extension-bids.json", "extension-organizationClassification.json"]
EXTENSION_URLS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_organizationClassification_extension/master/extension.json",
]
NEQ_SCHEME = "CA-QC-NEQ"
STATUS_SCHEME = "CA-QC-EES-STATUT"
LEGAL_FORM_SCHEME = "CA-QC-FORME-JURIDIQUE"
CURRENCY = "CAD"
CENT = Decimal("0.01")
BATCH_SIZE = 500
REPORT_ROWS = 200  # contracts and skipped releases listed in a report (counts are complete)

Status = ProcurementProcess.Status
# The process fields an import sets; anything else (category, annual need…) is left alone.
PROCESS_IMPORTED_FIELDS = (
    "title",
    "description",
    "method",
    "estimated_value",
    "published_on",
    "closing_on",
    "unspsc_codes",
    "method_justification",
    "status",
)

METHOD_TO_OCDS = {Method.OPEN: "open", Method.INVITATION: "limited", Method.DIRECT: "direct"}
OCDS_TO_METHOD = {
    "open": Method.OPEN,
    "limited": Method.INVITATION,
    "selective": Method.INVITATION,
    "direct": Method.DIRECT,
}
# The Québec labels (SEAO's own words); on import, the label decides the method.
METHOD_LABELS = {
    Method.OPEN: "Appel d'offres public",
    Method.INVITATION: "Appel d'offres sur invitation",
    Method.DIRECT: "Contrat de gré à gré",
}
TENDER_STATUS = {
    Status.DRAFT: "planned",
    Status.OPEN: "active",
    Status.CLOSED: "complete",
    Status.AWARDED: "complete",
    Status.CANCELLED: "cancelled",
}
OCDS_TENDER_STATUS = {
    "planning": Status.DRAFT,
    "planned": Status.DRAFT,
    "active": Status.OPEN,
    "complete": Status.CLOSED,  # awarded when the release holds a standing award
    "cancelled": Status.CANCELLED,
    "unsuccessful": Status.CANCELLED,
    "withdrawn": Status.CANCELLED,
}
BID_STATUS = {
    Bid.Status.RECEIVED: "pending",
    Bid.Status.COMPLIANT: "valid",
    Bid.Status.NON_COMPLIANT: "disqualified",
    Bid.Status.WITHDRAWN: "withdrawn",
}
OCDS_BID_STATUS = {value: key for key, value in BID_STATUS.items()}
INVITED = "invited"
AWARD_STATUS = {
    Award.Status.PENDING: "pending",
    Award.Status.ACTIVE: "active",
    Award.Status.CANCELLED: "cancelled",
}
OCDS_AWARD_STATUS = {
    "pending": Award.Status.PENDING,
    "active": Award.Status.ACTIVE,
    "cancelled": Award.Status.CANCELLED,
    "unsuccessful": Award.Status.CANCELLED,
}


# Names of values in error messages; lazy, so a release that maps cleanly costs no lookup.
TENDER_VALUE = gettext_lazy("The tender value")
TENDER_START = gettext_lazy("The tender start date")
TENDER_END = gettext_lazy("The tender end date")
AWARD_AMOUNT = gettext_lazy("The amount of award %(id)s")
AWARD_DATE = gettext_lazy("The date of award %(id)s")
SIGNATURE_DATE = gettext_lazy("The signature date of contract %(id)s")
RELEASE_DATE = gettext_lazy("The release date")
BID_DATE = gettext_lazy("A bid date")
BID_AMOUNT = gettext_lazy("A bid amount")


class OcdsError(Exception):
    """A release (or a file) this importer cannot understand; the message says why."""


def ocid_prefix() -> str:
    # A publisher registers its own prefix with the Open Contracting Partnership; set it here.
    return getattr(settings, "OCDS_OCID_PREFIX", "ocds-eesjac")


def ocid_of(process: ProcurementProcess) -> str:
    return process.ocid or f"{ocid_prefix()}-{process.pk}"


# --- schema ----------------------------------------------------------------------------------


def _merge_patch(target, patch):
    """RFC 7396 JSON Merge Patch: how OCDS applies an extension to the release schema."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def package_validator():
    """Draft 4 validator of a release package, offline: both schemas are in a local registry."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release_schema = _load("release-schema.json")
    for name in EXTENSION_FILES:
        release_schema = _merge_patch(release_schema, _load(name))
    package_schema = _load("release-package-schema.json")
    registry = Registry().with_resources(
        [
            (RELEASE_SCHEMA_URL, Resource.from_contents(release_schema, DRAFT4)),
            (PACKAGE_SCHEMA_URL, Resource.from_contents(package_schema, DRAFT4)),
        ]
    )
    return Draft4Validator(
        package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def validate_package(package: dict) -> list[str]:
    """Schema errors of a release package ('path: message'), empty when it is valid."""
    errors = sorted(package_validator().iter_errors(package), key=lambda e: list(e.path))
    return [f"{'/'.join(str(p) for p in error.path)}: {error.message}" for error in errors]


# --- export ----------------------------------------------------------------------------------


def _amount(value: Decimal) -> float:
    # Amounts have at most 12 significant digits: a float prints back exactly (shortest repr).
    return float(value)


def _value(amount: Decimal) -> dict:
    return {"amount": _amount(amount), "currency": CURRENCY}


def _datetime(day: dt.date) -> str:
    """A date as local midnight (ISO 8601 with offset), the way SEAO publishes dates."""
    moment = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def _enterprise_party_id(enterprise) -> str:
    return f"{NEQ_SCHEME}-{enterprise.neq}" if enterprise.neq else f"enterprise-{enterprise.pk}"


def _enterprise_party(enterprise, roles: list[str]) -> dict:
    party = {"id": _enterprise_party_id(enterprise), "name": enterprise.name, "roles": roles}
    if enterprise.neq:
        party["identifier"] = {
            "scheme": NEQ_SCHEME,
            "id": enterprise.neq,
            "legalName": enterprise.name,
        }
    address = {}
    if enterprise.address:
        address["streetAddress"] = enterprise.address
    if enterprise.municipality_id:
        address["locality"] = enterprise.municipality.name
    if enterprise.region_id:
        address["region"] = enterprise.region.name
    if enterprise.postal_code:
        address["postalCode"] = enterprise.postal_code
    if address:
        party["address"] = {**address, "countryName": "Canada"}
    details = {
        "classifications": [
            {
                "scheme": STATUS_SCHEME,
                "id": enterprise.status,
                "description": (
                    "Entreprise d'économie sociale (statut vérifié)"
                    if enterprise.is_social_economy
                    else f"Statut d'économie sociale : {enterprise.get_status_display()}"
                ),
            },
            {
                "scheme": LEGAL_FORM_SCHEME,
                "id": enterprise.legal_form,
                "description": str(enterprise.get_legal_form_display()),
            },
        ]
    }
    if enterprise.neq:
        details["neq"] = enterprise.neq  # where SEAO puts it
    party["details"] = details
    return party


def _buyer_party(organization) -> dict:
    party = {"id": f"organization-{organization.pk}", "name": organization.name, "roles": ["buyer"]}
    if organization.neq:
        party["identifier"] = {
            "scheme": NEQ_SCHEME,
            "id": organization.neq,
            "legalName": organization.name,
        }
    address = {"region": organization.region.name, "countryName": "Canada"}
    if organization.municipality_id:
        address["locality"] = organization.municipality.name
    party["address"] = address
    party["details"] = {
        "municipal": "1" if organization.kind == organization.Kind.MUNICIPAL else "0"
    }
    return party


def release_of(process: ProcurementProcess) -> dict:
    """The release of one process (expects the prefetches of `export_queryset`)."""
    ocid = ocid_of(process)
    organization = process.organization
    buyer_ref = {"id": f"organization-{organization.pk}", "name": organization.name}
    awards = list(process.awards.all())
    bids = list(process.bids.all())
    invitations = list(process.invitations.all())

    roles: dict[int, list[str]] = {}
    enterprises = {}
    for record, role in (
        *((award, "supplier") for award in awards),
        *((bid, "tenderer") for bid in bids),
        *((invitation, "tenderer") for invitation in invitations),
    ):
        enterprises[record.enterprise_id] = record.enterprise
        if role not in roles.setdefault(record.enterprise_id, []):
            roles[record.enterprise_id].append(role)

    def ref(enterprise) -> dict:
        return {"id": _enterprise_party_id(enterprise), "name": enterprise.name}

    tender = {
        "id": process.reference,
        "title": process.title,
        "status": TENDER_STATUS[process.status],
        "procuringEntity": buyer_ref,
        "procurementMethod": METHOD_TO_OCDS[process.method],
        "procurementMethodDetails": METHOD_LABELS[process.method],
    }
    if process.description:
        tender["description"] = process.description
    if process.method_justification:
        tender["procurementMethodRationale"] = process.method_justification
    if process.estimated_value is not None:
        tender["value"] = _value(process.estimated_value)
    period = {}
    if process.published_on:
        period["startDate"] = _datetime(process.published_on)
    if process.closing_on:
        period["endDate"] = _datetime(process.closing_on)
    if period:
        tender["tenderPeriod"] = period
    codes = [code for code in process.unspsc_codes.split(",") if code]
    if codes:
        tender["items"] = [
            {
                "id": str(number),
                "description": process.title,
                "classification": {"scheme": "UNSPSC", "id": code},
            }
            for number, code in enumerate(codes, start=1)
        ]

    release = {
        "ocid": ocid,
        "id": f"{ocid}-{process.updated_at:%Y%m%dT%H%M%S%f}",
        "date": process.updated_at.isoformat(),
        "tag": _tags(process, awards),
        "initiationType": "tender",
        "language": "fr",
        "parties": [
            _buyer_party(organization),
            *(_enterprise_party(enterprises[pk], role) for pk, role in roles.items()),
        ],
        "buyer": buyer_ref,
        "tender": tender,
    }
    details = [
        {
            "id": f"invitation-{invitation.pk}",
            "date": _datetime(invitation.invited_on),
            "status": INVITED,
            "tenderers": [ref(invitation.enterprise)],
        }
        for invitation in invitations
    ] + [
        {
            "id": f"bid-{bid.pk}",
            "date": _datetime(bid.submitted_on),
            "status": BID_STATUS[bid.status],
            "tenderers": [ref(bid.enterprise)],
            "value": _value(bid.amount),
        }
        for bid in bids
    ]
    if details:
        release["bids"] = {"details": details}
    if awards:
        release["awards"] = []
        release["contracts"] = []
        for award in awards:
            award_id = award.ocds_award_id or f"award-{award.pk}"
            entry = {
                "id": award_id,
                "status": AWARD_STATUS[award.status],
                "date": _datetime(award.awarded_on),
                "value": _value(award.amount),
                "suppliers": [ref(award.enterprise)],
            }
            if award.bid_id:
                entry["relatedBids"] = [f"bid-{award.bid_id}"]
            release["awards"].append(entry)
            contract = {
                "id": award.contract_number or award_id,
                "awardID": award_id,
                "status": AWARD_STATUS[award.status],
                "value": _value(award.amount),
            }
            if award.status == Award.Status.ACTIVE:
                contract["dateSigned"] = _datetime(award.awarded_on)
            release["contracts"].append(contract)
    return release


def _tags(process: ProcurementProcess, awards: list[Award]) -> list[str]:
    if process.status == Status.CANCELLED:
        return ["tenderCancellation"]
    if awards:
        return ["award", "contract"]
    return ["tender"]


def export_queryset(*, start: dt.date, end: dt.date, organization_id: int | None = None):
    """Processes with a record in the period: publication, invitation, bid or award."""

    def dated(model, field_name):
        return Exists(
            model.objects.filter(process=OuterRef("pk"), **{f"{field_name}__range": (start, end)})
        )

    processes = ProcurementProcess.objects.filter(
        Q(published_on__range=(start, end))
        | dated(Award, "awarded_on")
        | dated(Bid, "submitted_on")
        | dated(Invitation, "invited_on")
    )
    if organization_id is not None:
        processes = processes.filter(organization_id=organization_id)
    enterprise = ("enterprise", "enterprise__municipality", "enterprise__region")
    return (
        processes.select_related(
            "organization", "organization__region", "organization__municipality"
        )
        .prefetch_related(
            _prefetch(Award, "awards", enterprise, order=("awarded_on", "pk")),
            _prefetch(Bid, "bids", enterprise, order=("submitted_on", "pk")),
            _prefetch(Invitation, "invitations", enterprise, order=("invited_on", "pk")),
        )
        .order_by("pk")
    )


def _prefetch(model, name, related, order):
    from django.db.models import Prefetch

    return Prefetch(name, queryset=model.objects.select_related(*related).order_by(*order))


def _package_header(*, start: dt.date, end: dt.date, organization_id: int | None) -> dict:
    scope = f"organization-{organization_id}" if organization_id else "all"
    return {
        "uri": f"urn:{ocid_prefix()}:package:{scope}:{start.isoformat()}:{end.isoformat()}",
        "version": "1.1",
        "extensions": EXTENSION_URLS,
        "publishedDate": timezone.now().isoformat(),
        "publisher": {
            "name": getattr(settings, "OCDS_PUBLISHER_NAME", "Portail de l'économie sociale")
        },
    }


def iter_releases(*, start: dt.date, end: dt.date, organization_id: int | None = None):
    queryset = export_queryset(start=start, end=end, organization_id=organization_id)
    for process in queryset.iterator(chunk_size=200):
        # Releases are in French ("language": "fr"), whatever the language of the request.
        with translation.override("fr-ca"):
            release = release_of(process)
        yield release


def export_package(*, start: dt.date, end: dt.date, organization_id: int | None = None) -> dict:
    """The whole package in memory (tests, small periods); see write_package for files."""
    package = _package_header(start=start, end=end, organization_id=organization_id)
    package["releases"] = list(iter_releases(start=start, end=end, organization_id=organization_id))
    return package


def package_chunks(
    *, start: dt.date, end: dt.date, organization_id: int | None = None
) -> Iterator[str]:
    """The package as JSON text, one release at a time (files, downloads: memory stays flat).

    The schema asks for at least one release: callers check `count_releases` first.
    """
    header = _package_header(start=start, end=end, organization_id=organization_id)
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "releases": ['
    separator = "\n"
    for release in iter_releases(start=start, end=end, organization_id=organization_id):
        yield separator + json.dumps(release, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def write_package(
    out: IO[str], *, start: dt.date, end: dt.date, organization_id: int | None = None
) -> int:
    """Stream the package to a text file; returns the number of releases written."""
    chunks = package_chunks(start=start, end=end, organization_id=organization_id)
    count = -2  # the header and the closing bracket are not releases
    for chunk in chunks:
        out.write(chunk)
        count += 1
    return count


def count_releases(*, start: dt.date, end: dt.date, organization_id: int | None = None) -> int:
    return export_queryset(start=start, end=end, organization_id=organization_id).count()


# --- import: mapping a release (no database) -------------------------------------------------


@dataclass
class PartyData:
    """A buyer or supplier as a release describes it."""

    name: str
    neq: str | None = None
    municipal: bool = False
    locality: str = ""

    @property
    def key(self) -> tuple:
        return ("neq", self.neq) if self.neq else ("name", self.name)


@dataclass
class BidData:
    ocds_id: str
    supplier: PartyData
    date: dt.date
    status: str  # a Bid.Status, or INVITED
    amount: Decimal | None = None


@dataclass
class AwardData:
    ocds_id: str
    supplier: PartyData
    awarded_on: dt.date
    amount: Decimal
    status: str
    contract_number: str = ""
    related_bid: str | None = None


@dataclass
class ReleaseData:
    index: int
    ocid: str
    buyer: PartyData | None
    reference: str
    title: str
    method: str
    status: str
    fields: dict  # process fields the release gives (absent ones are left as they are)
    awards: list[AwardData] = field(default_factory=list)
    bids: list[BidData] = field(default_factory=list)


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())[:limit]


def _date(value, what, **names) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise OcdsError(
            _("%(what)s is not a date: %(value)s.") % {"what": str(what) % names, "value": value}
        ) from exc


def _money(value, what, **names) -> Decimal | None:
    """An amount in dollars and cents, between 0 and the portal's ceiling."""
    if isinstance(value, dict):
        currency = value.get("currency")
        if currency not in (None, CURRENCY):
            raise OcdsError(
                _("%(what)s is in %(currency)s: only Canadian dollars are recorded.")
                % {"what": str(what) % names, "currency": currency}
            )
        value = value.get("amount")
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        amount = Decimal(value) if isinstance(value, Decimal | int) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise OcdsError(_("%(what)s is not an amount.") % {"what": str(what) % names}) from exc
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise OcdsError(
            _("%(what)s is not an amount in cents: %(value)s.")
            % {"what": str(what) % names, "value": value}
        )
    if amount < 0 or amount > MAX_AMOUNT:
        raise OcdsError(
            _("%(what)s is out of range (0 to %(max)s $): %(value)s.")
            % {"what": str(what) % names, "max": MAX_AMOUNT, "value": value}
        )
    return amount.quantize(CENT)


def _normalized_neq(value) -> str | None:
    digits = re.sub(r"[\s-]", "", str(value or ""))
    return digits if re.fullmatch(r"\d{10}", digits) else None


def _party(raw: dict | None, fallback: dict | None = None) -> PartyData | None:
    raw = raw if isinstance(raw, dict) else {}
    fallback = fallback if isinstance(fallback, dict) else {}
    name = _text(raw.get("name") or fallback.get("name"), 200)
    details = raw.get("details") if isinstance(raw.get("details"), dict) else {}
    identifier = raw.get("identifier") if isinstance(raw.get("identifier"), dict) else {}
    neq = _normalized_neq(details.get("neq"))
    if neq is None and "NEQ" in str(identifier.get("scheme") or "").upper():
        neq = _normalized_neq(identifier.get("id"))
    if not name and not neq:
        return None
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    return PartyData(
        name=name or neq,
        neq=neq,
        municipal=str(details.get("municipal")) == "1",
        locality=_text(address.get("locality"), 100),
    )


def _plain_words(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore")
    return " ".join(text.decode().lower().split())


def method_of(code, label) -> str | None:
    """The French label decides (SEAO's codes contradict it at times), else the code."""
    words = _plain_words(str(label or ""))
    if "gre a gre" in words:
        return Method.DIRECT
    if "sur invitation" in words:
        return Method.INVITATION
    if "appel d'offres" in words:
        return Method.OPEN
    return OCDS_TO_METHOD.get(str(code or ""))


def _list(value) -> list:
    return value if isinstance(value, list) else []


def parse_release(raw, index: int = 0, *, forced_buyer: bool = False) -> ReleaseData:
    """Map one OCDS release to the portal's terms, or raise OcdsError saying why not."""
    if not isinstance(raw, dict):
        raise OcdsError(_("A release must be a JSON object."))
    ocid = raw.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        raise OcdsError(_("The release has no ocid."))
    ocid = ocid.strip()
    if len(ocid) > 200:
        raise OcdsError(_("The ocid is longer than 200 characters."))
    tag = raw.get("tag")
    if not isinstance(tag, list):
        raise OcdsError(
            _(
                "“tag” must be a list of release tags (OCDS 1.1), not %(value)s: this is the "
                "shape of Ville de Montréal's 2017 files, which are not imported."
            )
            % {"value": json.dumps(tag, ensure_ascii=False, default=str)[:40]}
        )
    tender = raw.get("tender")
    if not isinstance(tender, dict):
        raise OcdsError(_("The release has no tender: the process cannot be described."))
    method = method_of(tender.get("procurementMethod"), tender.get("procurementMethodDetails"))
    if method is None:
        raise OcdsError(
            _("Unknown procurement method: %(code)s.")
            % {"code": tender.get("procurementMethod") or "—"}
        )

    parties = {
        str(party.get("id")): party
        for party in _list(raw.get("parties"))
        if isinstance(party, dict) and party.get("id") is not None
    }

    def party_of(reference) -> PartyData | None:
        reference = reference if isinstance(reference, dict) else {}
        return _party(parties.get(str(reference.get("id"))), reference)

    buyer = party_of(raw.get("buyer") or tender.get("procuringEntity"))
    if buyer is None and not forced_buyer:
        raise OcdsError(_("The release names no buyer."))

    reference = _text(tender.get("id"), 100) or ocid[-100:]
    items = _list(tender.get("items"))
    title = _text(tender.get("title"), 300) or next(
        (_text(item.get("description"), 300) for item in items if isinstance(item, dict)), ""
    )
    fields = {"title": title or reference}
    if tender.get("description"):
        fields["description"] = str(tender["description"]).strip()
    if tender.get("procurementMethodRationale"):
        fields["method_justification"] = str(tender["procurementMethodRationale"]).strip()
    if tender.get("value") is not None:
        fields["estimated_value"] = _money(tender.get("value"), TENDER_VALUE)
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    published_on = _date(period.get("startDate"), TENDER_START)
    closing_on = _date(period.get("endDate"), TENDER_END)
    codes = _unspsc_codes(items)
    if codes:
        fields["unspsc_codes"] = codes

    contracts = {
        str(contract.get("awardID")): contract
        for contract in _list(raw.get("contracts"))
        if isinstance(contract, dict)
    }
    awards = [
        _award(award, contracts, party_of, raw.get("date"))
        for award in _list(raw.get("awards"))
        if isinstance(award, dict)
    ]
    bids = _bids(raw.get("bids"), party_of)

    dated = [award.awarded_on for award in awards if award.status != Award.Status.CANCELLED]
    dated += [bid.date for bid in bids]
    if published_on and dated and min(dated) < published_on:
        published_on = None  # a notice published after the contract itself (SEAO)
    if published_on and closing_on and closing_on < published_on:
        raise OcdsError(_("The tender period ends before it starts."))
    if published_on or "tenderPeriod" in tender:
        fields["published_on"] = published_on
        fields["closing_on"] = closing_on

    tender_status = str(tender.get("status") or "")
    status = OCDS_TENDER_STATUS.get(tender_status)
    standing = [award for award in awards if award.status != Award.Status.CANCELLED]
    if status is None:
        status = Status.AWARDED if standing else Status.OPEN
    elif status == Status.CLOSED and standing:
        status = Status.AWARDED  # "complete" with a standing award
    if status == Status.CANCELLED and standing:
        raise OcdsError(
            _("The tender is cancelled but an award stands: the release contradicts itself.")
        )
    return ReleaseData(
        index=index,
        ocid=ocid,
        buyer=buyer,
        reference=reference,
        title=fields["title"],
        method=method,
        status=status,
        fields=fields,
        awards=awards,
        bids=bids,
    )


def _unspsc_codes(items: list) -> str:
    codes = []
    for item in items:
        if not isinstance(item, dict):
            continue
        for classification in [
            item.get("classification"),
            *_list(item.get("additionalClassifications")),
        ]:
            if (
                isinstance(classification, dict)
                and str(classification.get("scheme", "")).upper() == "UNSPSC"
                and re.fullmatch(r"\d{8}", str(classification.get("id", "")))
            ):
                codes.append(str(classification["id"]))
    joined = ",".join(dict.fromkeys(codes))
    return joined[: joined.rfind(",", 0, 301)] if len(joined) > 300 else joined


def _award(raw: dict, contracts: dict, party_of, release_date) -> AwardData:
    award_id = raw.get("id")
    if award_id in (None, ""):
        raise OcdsError(_("An award has no id."))
    award_id = str(award_id)
    if len(award_id) > 200:
        raise OcdsError(_("An award id is longer than 200 characters."))
    suppliers = _list(raw.get("suppliers"))
    supplier = party_of(suppliers[0]) if suppliers else None
    if supplier is None:
        raise OcdsError(_("Award %(id)s names no supplier.") % {"id": award_id})
    contract = contracts.get(award_id, {})
    amount = _money(raw.get("value"), AWARD_AMOUNT, id=award_id)
    if amount is None:
        amount = _money(contract.get("value"), AWARD_AMOUNT, id=award_id)
    if amount is None:
        raise OcdsError(_("Award %(id)s has no amount.") % {"id": award_id})
    awarded_on = (
        _date(raw.get("date"), AWARD_DATE, id=award_id)
        or _date(contract.get("dateSigned"), SIGNATURE_DATE, id=award_id)
        or _date(release_date, RELEASE_DATE)
    )
    if awarded_on is None:
        raise OcdsError(_("Award %(id)s has no date.") % {"id": award_id})
    status = OCDS_AWARD_STATUS.get(str(raw.get("status") or "active"))
    if status is None:
        raise OcdsError(
            _("Award %(id)s has an unknown status: %(status)s.")
            % {"id": award_id, "status": raw.get("status")}
        )
    contract_id = str(contract.get("id") or "")
    related = _list(raw.get("relatedBids")) or (
        [raw["relatedBid"]] if raw.get("relatedBid") else []
    )
    return AwardData(
        ocds_id=award_id,
        supplier=supplier,
        awarded_on=awarded_on,
        amount=amount,
        status=status,
        contract_number=contract_id[:100] if contract_id != award_id else "",
        related_bid=str(related[0]) if related else None,
    )


def _bids(raw, party_of) -> list[BidData]:
    """Bid-extension submissions; SEAO's own `bids` list (no dates, no status) is ignored."""
    if not isinstance(raw, dict):
        return []
    bids = []
    for detail in _list(raw.get("details")):
        if not isinstance(detail, dict):
            continue
        tenderers = _list(detail.get("tenderers"))
        supplier = party_of(tenderers[0]) if tenderers else None
        day = _date(detail.get("date"), BID_DATE)
        status = str(detail.get("status") or "pending")
        if supplier is None or day is None:
            continue  # a submission without supplier or date cannot be recorded
        if status == INVITED:
            bids.append(BidData(str(detail.get("id")), supplier, day, INVITED))
            continue
        amount = _money(detail.get("value"), BID_AMOUNT)
        if amount is None or status not in OCDS_BID_STATUS:
            continue
        bids.append(BidData(str(detail.get("id")), supplier, day, OCDS_BID_STATUS[status], amount))
    return bids


# --- import: the report ----------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: created / updated / unchanged counts, and skipped releases with why."""

    releases: int = 0
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # {"position", "ocid", "reason"}, first ones
    skipped_count: int = 0
    contracts: list = field(default_factory=list)  # awards created or updated, first ones
    error: str = ""

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + n

    def skip(self, position: int, ocid: str, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < REPORT_ROWS:
            self.skipped.append({"position": position, "ocid": ocid or "", "reason": reason})

    def merge(self, other: "ImportReport") -> None:
        for bucket in ("created", "updated"):
            for kind, n in getattr(other, bucket).items():
                self.count(bucket, kind, n)
        self.unchanged += other.unchanged
        self.skipped_count += other.skipped_count
        self.skipped.extend(other.skipped[: max(REPORT_ROWS - len(self.skipped), 0)])
        room = REPORT_ROWS - len(self.contracts)
        self.contracts.extend(other.contracts[: max(room, 0)])

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


# --- import: reading the file ----------------------------------------------------------------


UTF8_BOM = b"\xef\xbb\xbf"


def skip_bom(stream: IO[bytes]) -> int:
    """Position of the JSON text: after a UTF-8 byte-order mark when a file starts with one."""
    stream.seek(0)
    start = len(UTF8_BOM) if stream.read(len(UTF8_BOM)) == UTF8_BOM else 0
    stream.seek(start)
    return start


def inspect_file(stream: IO[bytes]) -> str:
    """Check the whole file is JSON, keeping nothing: 'package' or 'release', or OcdsError.

    The top-level keys are read from the first events; the syntax of the rest is checked by
    ijson's C backend without building anything (a prefix that matches nothing).
    """
    top_keys = set()
    start = skip_bom(stream)
    try:
        for prefix, event, value in ijson.parse(stream):
            if prefix == "" and event == "map_key":
                top_keys.add(value)
                if value in ("releases", "records"):
                    break
            elif prefix == "" and event != "start_map":
                if event == "end_map":
                    break
                raise OcdsError(_("The file is not an OCDS release package (a JSON object)."))
        stream.seek(start)
        for _item in ijson.items(stream, "no.such.prefix"):
            pass
    except (ijson.JSONError, ValueError) as exc:
        raise OcdsError(
            _("The file is not valid JSON (%(error)s): nothing was imported.") % {"error": exc}
        ) from exc
    finally:
        stream.seek(start)
    if "releases" in top_keys:
        return "package"
    if "records" in top_keys:
        raise OcdsError(_("This is an OCDS record package: export a release package to import it."))
    if "ocid" in top_keys:
        return "release"
    raise OcdsError(_("The file is not an OCDS release package: it has no “releases”."))


def read_releases(stream: IO[bytes], shape: str) -> Iterator:
    if shape == "release":  # a single release, as Montréal's and Buyandsell's sample files
        yield json.load(stream, parse_float=Decimal)
        return
    yield from ijson.items(stream, "releases.item")


# --- import: writing -------------------------------------------------------------------------


class OcdsImporter:
    """Import OCDS release packages; see the module docstring for what is matched and how."""

    def __init__(self, *, organization=None, by=None, batch_size: int = BATCH_SIZE):
        self.organization = organization
        self.by = by if getattr(by, "is_authenticated", False) else None
        self.batch_size = batch_size
        self.organizations: dict[tuple, int] = {}
        self.enterprises: dict[tuple, int] = {}
        self._thresholds = list(
            Threshold.objects.order_by("kind", "-effective_from").values_list(
                "kind", "effective_from", "amount"
            )
        )

    def in_force(self, kind: str, on: dt.date) -> Decimal | None:
        for threshold_kind, effective_from, amount in self._thresholds:
            if threshold_kind == kind and effective_from <= on:
                return amount
        return None

    # -- driver --

    def run(self, stream: IO[bytes]) -> ImportReport:
        report = ImportReport()
        try:
            shape = inspect_file(stream)
        except OcdsError as exc:
            report.error = str(exc)
            return report
        with translation.override(settings.LANGUAGE_CODE):
            batch: list[ReleaseData] = []
            batch_ocids: set[str] = set()
            for position, raw in enumerate(read_releases(stream, shape), start=1):
                report.releases += 1
                try:
                    parsed = parse_release(
                        raw, position, forced_buyer=self.organization is not None
                    )
                except OcdsError as exc:
                    report.skip(position, _ocid(raw), str(exc))
                    continue
                except (TypeError, ValueError, AttributeError, KeyError) as exc:
                    report.skip(
                        position,
                        _ocid(raw),
                        _("The release is malformed (%(error)s).") % {"error": exc},
                    )
                    continue
                if parsed.ocid in batch_ocids:
                    self._write_batch(batch, report)  # a later release of the same process
                    batch, batch_ocids = [], set()
                batch.append(parsed)
                batch_ocids.add(parsed.ocid)
                if len(batch) >= self.batch_size:
                    self._write_batch(batch, report)
                    batch, batch_ocids = [], set()
            self._write_batch(batch, report)
        return report

    def _write_batch(self, batch: list[ReleaseData], report: ImportReport) -> None:
        if not batch:
            return
        try:
            report.merge(self._write_atomically(batch))
        except (DatabaseError, ValidationError, OcdsError):
            for release in batch:  # find the bad ones: one transaction per release
                try:
                    report.merge(self._write_atomically([release]))
                except (DatabaseError, ValidationError, OcdsError) as exc:
                    report.skip(release.index, release.ocid, _reason(exc))

    def _write_atomically(self, batch: list[ReleaseData]) -> ImportReport:
        organizations, enterprises = dict(self.organizations), dict(self.enterprises)
        try:
            with transaction.atomic():
                outcome = BatchWriter(self, batch).write()
        except Exception:
            # Ids cached during a rolled-back batch point at rows that no longer exist.
            self.organizations, self.enterprises = organizations, enterprises
            raise
        return outcome


MUNICIPALITY_IN_NAME = re.compile(
    r"^(?:ville|municipalit[ée]|paroisse|canton|village|cantons unis)\s+"
    r"(?:de\s+|du\s+|des\s+|d'|d’)?(?P<name>.+?)[\s.]*$",
    re.IGNORECASE,
)


def _municipality_in(name: str) -> str:
    """'Ville de Dolbeau-Mistassini.' -> 'Dolbeau-Mistassini' (SEAO buyers may lack an address)."""
    match = MUNICIPALITY_IN_NAME.match(name or "")
    return match.group("name") if match else ""


def _ocid(raw) -> str:
    return str(raw.get("ocid") or "")[:200] if isinstance(raw, dict) else ""


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, DatabaseError):
        return _("The database refused the release: %(error)s") % {"error": str(exc)[:200]}
    return str(exc)


def _copy_history(model, ids: list[int], *, when, by) -> None:
    """The creation rows of django-simple-history for objects just bulk-inserted, copied by
    the database from the new rows: building one historical object per row in Python
    (bulk_create_with_history) cost more than the rest of an OCDS import."""
    if not ids:
        return
    history = model.history.model
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    written = {field.column for field in model._meta.concrete_fields}
    tracked = ", ".join(
        quote(field.column) for field in history._meta.concrete_fields if field.column in written
    )
    placeholders = ", ".join(["%s"] * len(ids))
    # Table and column names come from the models; values are parameters.
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "  # noqa: S608
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {tracked}, %s, NULL, '+', %s FROM {quote(model._meta.db_table)} "
        f"WHERE id IN ({placeholders}) ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, [when, by.pk if by is not None else None, *ids])


class BatchWriter:
    """Writes a batch of mapped releases with a constant number of queries per batch."""

    def __init__(self, importer: OcdsImporter, batch: list[ReleaseData]):
        self.importer = importer
        self.batch = batch
        self.report = ImportReport()
        self.by = importer.by
        self.now = timezone.now()
        self.touched: set[str] = set()  # ocids of the releases that changed something
        self.bid_ids: dict[tuple, Bid] = {}  # (ocid, OCDS bid id) -> bid

    def write(self) -> ImportReport:
        organization_ids = self._organizations()
        found = self._found_by_ocid()
        enterprise_ids = self._enterprises()
        processes = self._processes(organization_ids, found)
        self._bids(processes, enterprise_ids)
        self._awards(processes, enterprise_ids)
        self.report.unchanged += len(self.batch) - len(self.touched)
        return self.report

    def _save_all(self, model, new: list, changed: list, fields: list[str], kind: str) -> None:
        if new:
            model.objects.bulk_create(new)
            _copy_history(model, [obj.pk for obj in new], when=self.now, by=self.by)
            self.report.count("created", kind, len(new))
        if changed:
            bulk_update_with_history(changed, model, fields, default_user=self.by)
            self.report.count("updated", kind, len(changed))

    # -- buyers --

    def _organizations(self) -> dict[str, int]:
        """ocid -> organization id; unknown buyers are created."""
        from portal.accounts.models import Organization

        if self.importer.organization is not None:
            return {release.ocid: self.importer.organization.pk for release in self.batch}
        cache = self.importer.organizations
        result = {}
        for release in self.batch:
            key = ("name", release.buyer.name.casefold())
            if key not in cache:
                found = Organization.objects.filter(name__iexact=release.buyer.name).first()
                if found is None and release.buyer.neq:
                    found = Organization.objects.filter(neq=release.buyer.neq).first()
                if found is None:
                    found = self._create_organization(release.buyer)
                    self.touched.add(release.ocid)
                cache[key] = found.pk
            result[release.ocid] = cache[key]
        return result

    def _create_organization(self, buyer: PartyData):
        from portal.accounts.models import Organization
        from portal.reference.models import Municipality, Region

        municipality = None
        for name in (buyer.locality, _municipality_in(buyer.name)):
            if name and municipality is None:
                municipality = (
                    Municipality.objects.filter(name__iexact=name).order_by("code").first()
                )
        if municipality is not None:
            region_id = municipality.region_id
        else:
            code = getattr(settings, "OCDS_DEFAULT_REGION", "06")
            region_id = Region.objects.get_or_create(code=code, defaults={"name": "Montréal"})[0].pk
        base = slugify(buyer.name)[:200] or "organisation"
        slug, n = base, 2
        while Organization.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        organization = Organization(
            name=buyer.name,
            slug=slug,
            kind=Organization.Kind.MUNICIPAL if buyer.municipal else Organization.Kind.GOVERNMENT,
            region_id=region_id,
            municipality=municipality,
            neq=buyer.neq or "",
        )
        if self.by:
            organization._history_user = self.by
        organization.save()
        self.report.count("created", "organizations")
        return organization

    # -- suppliers --

    def _enterprises(self) -> dict[tuple, int]:
        """party key -> enterprise id: by NEQ, else by exact name; unknown ones are created."""
        from directory.models import Enterprise

        cache = self.importer.enterprises
        missing: dict[tuple, PartyData] = {}
        for release in self.batch:
            for party in [award.supplier for award in release.awards] + [
                bid.supplier for bid in release.bids
            ]:
                if party.key not in cache:
                    missing.setdefault(party.key, party)
        if not missing:
            return cache
        neqs = [party.neq for party in missing.values() if party.neq]
        for pk, neq in Enterprise.objects.filter(neq__in=neqs).values_list("pk", "neq"):
            cache[("neq", neq)] = pk
        names = {party.name for key, party in missing.items() if key not in cache}
        known = Enterprise.objects.filter(name__in=names).order_by("pk")
        for pk, name, neq in known.values_list("pk", "name", "neq"):
            cache.setdefault(("name", name), pk)
            # A supplier whose NEQ the directory does not know matches an enterprise of the same
            # name only when that enterprise has no NEQ of its own.
            for party in missing.values():
                if not neq and party.neq and party.name == name:
                    cache.setdefault(party.key, pk)
        new = [party for key, party in missing.items() if key not in cache]
        # NEQ first, so that the same supplier named once without its NEQ is not created twice.
        new.sort(key=lambda party: party.neq is None)
        unique: list[PartyData] = []
        for party in new:
            twin = next((p for p in unique if p.name == party.name and not party.neq), None)
            if twin is None:
                unique.append(party)
        if unique:
            created = bulk_create_with_history(
                [
                    Enterprise(
                        name=party.name,
                        slug=slug,
                        neq=party.neq,
                        status=Enterprise.Status.NOT_SUBMITTED,
                        is_published=False,
                        legal_form=Enterprise.LegalForm.OTHER,
                    )
                    for party, slug in zip(
                        unique, self._unique_slugs([p.name for p in unique]), strict=True
                    )
                ],
                Enterprise,
                default_user=self.by,
            )
            for party, enterprise in zip(unique, created, strict=True):
                cache[party.key] = enterprise.pk
                cache.setdefault(("name", party.name), enterprise.pk)
            for party in new:
                cache.setdefault(party.key, cache[("name", party.name)])
            self.report.count("created", "enterprises", len(unique))
        return cache

    @staticmethod
    def _unique_slugs(names: list[str]) -> list[str]:
        from directory.models import Enterprise

        bases = [slugify(name)[:200] or "entreprise" for name in names]
        taken = set(Enterprise.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
        for base in set(bases) & taken:
            taken.update(
                Enterprise.objects.filter(slug__startswith=f"{base}-").values_list(
                    "slug", flat=True
                )
            )
        slugs = []
        for base in bases:
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            slugs.append(slug)
        return slugs

    # -- processes --

    def _found_by_ocid(self) -> dict[str, ProcurementProcess]:
        """Processes already known by ocid; with a chosen organization, only its own."""
        found = {
            process.ocid: process
            for process in ProcurementProcess.objects.select_for_update()
            .filter(ocid__in=[release.ocid for release in self.batch])
            .order_by()
        }
        forced = self.importer.organization
        if forced is not None:
            # An import for one organization never touches another organization's records.
            foreign = {
                ocid for ocid, process in found.items() if process.organization_id != forced.pk
            }
            for release in self.batch:
                if release.ocid in foreign:
                    self.report.skip(
                        release.index,
                        release.ocid,
                        _("This process belongs to another organization: it was left unchanged."),
                    )
                    del found[release.ocid]
            self.batch = [release for release in self.batch if release.ocid not in foreign]
        return found

    def _processes(
        self, organization_ids: dict[str, int], found: dict[str, ProcurementProcess]
    ) -> dict[str, ProcurementProcess]:
        """ocid -> process, created or updated from the release."""
        own_prefix = f"{ocid_prefix()}-"
        ocids = [release.ocid for release in self.batch]
        # Not found by ocid: this portal's own export (ocid = prefix + pk, same buyer), or a
        # process entered by hand with the same buyer and reference (tender id).
        own_pks = {
            int(ocid.removeprefix(own_prefix)): ocid
            for ocid in ocids
            if ocid not in found
            and ocid.startswith(own_prefix)
            and ocid.removeprefix(own_prefix).isdigit()
        }
        pending = [release for release in self.batch if release.ocid not in found]
        candidates = list(
            ProcurementProcess.objects.select_for_update()
            .filter(
                Q(pk__in=list(own_pks))
                | Q(
                    organization_id__in={organization_ids[r.ocid] for r in pending},
                    reference__in={r.reference for r in pending},
                )
            )
            .order_by()
        )
        by_pair = {(process.organization_id, process.reference): process for process in candidates}
        for process in candidates:
            ocid = own_pks.get(process.pk)
            if ocid and process.ocid is None and process.organization_id == organization_ids[ocid]:
                found[ocid] = process

        used = set(by_pair)
        new, changed = [], []
        for release in self.batch:
            organization_id = organization_ids[release.ocid]
            process = found.get(release.ocid)
            if process is None:
                match = by_pair.get((organization_id, release.reference))
                if match is not None and match.ocid is None:
                    process = found[release.ocid] = match
            if process is None:
                reference = release.reference
                if (organization_id, reference) in used:
                    reference = f"{reference} ({release.ocid})"[:100]
                used.add((organization_id, reference))
                process = ProcurementProcess(
                    organization_id=organization_id,
                    reference=reference,
                    ocid=release.ocid,
                    method=release.method,
                    status=release.status,
                    source=ProcurementProcess.Source.OCDS,
                    created_by=self.by,
                    **release.fields,
                )
                self._flag(process, release)
                new.append(process)
                found[release.ocid] = process
                self.touched.add(release.ocid)
            elif self._update_process(process, release):
                changed.append(process)
                self.touched.add(release.ocid)
        fields = [*PROCESS_IMPORTED_FIELDS, "ocid", "threshold_warning", "updated_at"]
        self._save_all(ProcurementProcess, new, changed, fields, "processes")
        return found

    def _flag(self, process: ProcurementProcess, release: ReleaseData) -> None:
        from procurement.services import threshold_warning

        dates = [award.awarded_on for award in release.awards]
        on = process.published_on or (min(dates) if dates else timezone.localdate())
        process.threshold_warning = threshold_warning(
            method=process.method,
            value=process.estimated_value,
            on=on,
            in_force=self.importer.in_force,
        )[:300]

    def _update_process(self, process: ProcurementProcess, release: ReleaseData) -> bool:
        status = release.status
        if process.status == Status.AWARDED and status in (
            Status.DRAFT,
            Status.OPEN,
            Status.CLOSED,
        ):
            status = Status.AWARDED  # an older notice does not take an awarded process back
        wanted = {"method": release.method, **release.fields, "status": status}
        changes = {name for name, value in wanted.items() if getattr(process, name) != value}
        # A process entered by hand gets tied to its published notice (not to our own ocids).
        link = process.ocid is None and not release.ocid.startswith(f"{ocid_prefix()}-")
        if not changes and not link:
            return False
        for name in changes:
            setattr(process, name, wanted[name])
        if link:
            process.ocid = release.ocid
        if changes & {"method", "estimated_value", "published_on"}:
            self._flag(process, release)
        process.updated_at = self.now
        return True

    # -- bids and invitations --

    def _bids(self, processes, enterprise_ids) -> None:
        releases = [release for release in self.batch if release.bids]
        if not releases:
            return
        process_ids = [processes[release.ocid].pk for release in releases]
        bids = {
            (bid.process_id, bid.enterprise_id): bid
            for bid in Bid.objects.filter(process_id__in=process_ids).order_by()
        }
        invitations = {
            (invitation.process_id, invitation.enterprise_id): invitation
            for invitation in Invitation.objects.filter(process_id__in=process_ids).order_by()
        }
        new_bids, new_invitations, changed_bids, changed_invitations = [], [], [], []
        for release in releases:
            process = processes[release.ocid]
            for data in release.bids:
                key = (process.pk, enterprise_ids[data.supplier.key])
                if data.status == INVITED:
                    invitation = invitations.get(key)
                    if invitation is None:
                        invitation = invitations[key] = Invitation(
                            process=process,
                            enterprise_id=key[1],
                            invited_on=data.date,
                            created_by=self.by,
                        )
                        new_invitations.append(invitation)
                    elif invitation.invited_on != data.date:
                        invitation.invited_on = data.date
                        changed_invitations.append(invitation)
                    else:
                        continue
                    self.touched.add(release.ocid)
                    continue
                bid = bids.get(key)
                values = (data.date, data.amount, data.status)
                if bid is None:
                    bid = bids[key] = Bid(
                        process=process,
                        enterprise_id=key[1],
                        submitted_on=data.date,
                        amount=data.amount,
                        status=data.status,
                        created_by=self.by,
                    )
                    new_bids.append(bid)
                    self.touched.add(release.ocid)
                elif (bid.submitted_on, bid.amount, bid.status) != values:
                    bid.submitted_on, bid.amount, bid.status = values
                    changed_bids.append(bid)
                    self.touched.add(release.ocid)
                self.bid_ids[(release.ocid, data.ocds_id)] = bid
        self._save_all(
            Invitation, new_invitations, changed_invitations, ["invited_on"], "invitations"
        )
        self._save_all(Bid, new_bids, changed_bids, ["submitted_on", "amount", "status"], "bids")

    # -- awards --

    def _awards(self, processes, enterprise_ids) -> None:
        releases = [release for release in self.batch if release.awards]
        if not releases:
            return
        process_ids = [processes[release.ocid].pk for release in releases]
        existing = {}
        for award in Award.objects.filter(process_id__in=process_ids).order_by():
            # This portal's own exports name an award without OCDS id "award-<pk>".
            award_id = award.ocds_award_id or f"award-{award.pk}"
            existing[(award.process_id, award_id)] = award
        new, changed = [], []
        for release in releases:
            process = processes[release.ocid]
            for data in release.awards:
                wanted = {
                    "enterprise_id": enterprise_ids[data.supplier.key],
                    "awarded_on": data.awarded_on,
                    "amount": data.amount,
                    "status": data.status,
                    "contract_number": data.contract_number,
                }
                bid = self.bid_ids.get((release.ocid, data.related_bid))
                if bid is not None and bid.enterprise_id == wanted["enterprise_id"]:
                    wanted["bid_id"] = bid.pk
                award = existing.get((process.pk, data.ocds_id))
                if award is None:
                    award = existing[(process.pk, data.ocds_id)] = Award(
                        process=process,
                        organization_id=process.organization_id,
                        ocds_award_id=data.ocds_id,
                        created_by=self.by,
                        **wanted,
                    )
                    new.append(award)
                else:
                    changes = {
                        name for name, value in wanted.items() if getattr(award, name) != value
                    }
                    if not changes:
                        continue
                    for name in changes:
                        setattr(award, name, wanted[name])
                    award.updated_at = self.now
                    changed.append(award)
                self.touched.add(release.ocid)
                self._list_contract(release, process, data)
        fields = [
            "enterprise",
            "awarded_on",
            "amount",
            "status",
            "contract_number",
            "bid",
            "updated_at",
        ]
        self._save_all(Award, new, changed, fields, "awards")

    def _list_contract(self, release: ReleaseData, process, data: AwardData) -> None:
        if len(self.report.contracts) < REPORT_ROWS:
            self.report.contracts.append(
                {
                    "ocid": release.ocid,
                    "reference": process.reference,
                    "title": process.title,
                    "buyer": release.buyer.name if release.buyer else "",
                    "supplier": data.supplier.name,
                    "awarded_on": data.awarded_on.isoformat(),
                    "amount": str(data.amount),
                    "status": data.status,
                }
            )


def import_file(path_or_stream, *, organization=None, by=None) -> ImportReport:
    """Import a release package from a path or a binary stream."""
    if isinstance(path_or_stream, str | Path):
        with open(path_or_stream, "rb") as stream:
            return OcdsImporter(organization=organization, by=by).run(stream)
    return OcdsImporter(organization=organization, by=by).run(path_or_stream)
