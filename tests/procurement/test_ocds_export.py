"""OCDS export: strict, valid against the official schema, and a lossless round trip."""

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Enterprise
from portal.accounts.models import Organization
from procurement.models import Award, Bid, Invitation, Method, ProcurementProcess
from procurement.ocds import export_package, import_file, ocid_of, validate_package
from tests.factories import (
    AwardFactory,
    BidFactory,
    EnterpriseFactory,
    InvitationFactory,
    ProcessFactory,
)

pytestmark = pytest.mark.django_db

Status = ProcurementProcess.Status
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
SEAO = Path(__file__).parent / "data" / "seao-hebdo-20260914-20260920-first204.json"


@pytest.fixture
def history(organization, other_organization):
    """Processes of every kind and status, with invitations, bids, awards and lots."""
    organization.neq = "1140000500"
    organization.save()
    ees_a = EnterpriseFactory(name="Coop A", neq="1140000601")
    ees_b = EnterpriseFactory(name="Coop B", neq="1140000602")
    supplier = EnterpriseFactory(name="Fournitures sans NEQ", neq=None, supplier_only=True)

    invitation_tender = ProcessFactory(
        organization=organization,
        reference="AOI-1",
        method=Method.INVITATION,
        status=Status.AWARDED,
        unspsc_codes="90101603,72102903",
        closing_on=dt.date(2025, 2, 20),
        description="Repas pour les camps de jour.",
    )
    InvitationFactory(process=invitation_tender, enterprise=ees_a)
    InvitationFactory(process=invitation_tender, enterprise=ees_b)
    winning = BidFactory(
        process=invitation_tender,
        enterprise=ees_a,
        amount=Decimal("30000.00"),
        status=Bid.Status.COMPLIANT,
    )
    BidFactory(
        process=invitation_tender,
        enterprise=ees_b,
        amount=Decimal("31234.56"),
        status=Bid.Status.NON_COMPLIANT,
    )
    AwardFactory(
        process=invitation_tender,
        enterprise=ees_a,
        bid=winning,
        amount=Decimal("30000.00"),
        contract_number="C-2025-001",
    )

    direct = ProcessFactory(
        organization=organization,
        reference="GG-1",
        method=Method.DIRECT,
        estimated_value=Decimal("30000.00"),
        method_justification="Fournisseur unique (règlement, art. 12).",
        threshold_warning="30000.00 $ …",
        status=Status.AWARDED,
    )
    AwardFactory(process=direct, enterprise=supplier, amount=Decimal("29999.99"))

    lots = ProcessFactory(
        organization=organization, reference="AO-LOTS", method=Method.OPEN, status=Status.AWARDED
    )
    AwardFactory(process=lots, enterprise=ees_b, amount=Decimal("1000.10"))
    AwardFactory(process=lots, enterprise=ees_a, status=Award.Status.PENDING)
    AwardFactory(process=lots, enterprise=supplier, status=Award.Status.CANCELLED)

    ProcessFactory(
        organization=organization,
        reference="AO-OPEN",
        method=Method.OPEN,
        estimated_value=None,
        status=Status.OPEN,
    )
    ProcessFactory(organization=organization, reference="AO-CANCELLED", status=Status.CANCELLED)
    ProcessFactory(organization=organization, reference="AO-DRAFT", status=Status.DRAFT)
    ProcessFactory(organization=organization, reference="OLD", published_on=dt.date(2023, 5, 1))
    AwardFactory(process__organization=other_organization, process__reference="ELSEWHERE")
    return organization


def releases_by_reference(package) -> dict:
    return {release["tender"]["id"]: release for release in package["releases"]}


def test_the_export_validates_against_the_ocds_schema(history):
    package = export_package(start=START, end=END)

    assert validate_package(package) == []
    assert len(package["releases"]) == 7  # "OLD" is outside the period
    assert package["version"] == "1.1"


@pytest.mark.parametrize(
    "breakage",
    [
        lambda p: p["releases"][0].pop("ocid"),
        lambda p: p["releases"][0].update(tag="award"),
        lambda p: p["releases"][0]["awards"][0]["value"].update(amount="30000"),
        lambda p: p["releases"][0]["bids"]["details"][0].update(status="maybe"),
        lambda p: p["releases"][0]["parties"][1]["details"].update(classifications=[]),
    ],
)
def test_the_validator_catches_what_the_schema_forbids(history, breakage):
    package = export_package(start=START, end=END, organization_id=history.pk)
    package["releases"].sort(key=lambda release: "bids" not in release)
    breakage(package)

    assert validate_package(package) != []


def test_methods_map_to_ocds_codes_with_the_quebec_label(history):
    releases = releases_by_reference(export_package(start=START, end=END))

    tenders = {ref: release["tender"] for ref, release in releases.items()}
    assert tenders["AOI-1"]["procurementMethod"] == "limited"
    assert tenders["AOI-1"]["procurementMethodDetails"] == "Appel d'offres sur invitation"
    assert tenders["GG-1"]["procurementMethod"] == "direct"
    assert tenders["GG-1"]["procurementMethodDetails"] == "Contrat de gré à gré"
    assert tenders["GG-1"]["procurementMethodRationale"].startswith("Fournisseur unique")
    assert tenders["AO-OPEN"]["procurementMethod"] == "open"
    assert tenders["AO-OPEN"]["status"] == "active"
    assert releases["AO-CANCELLED"]["tag"] == ["tenderCancellation"]
    assert tenders["AOI-1"]["tenderPeriod"] == {
        "startDate": "2025-01-15T00:00:00-05:00",
        "endDate": "2025-02-20T00:00:00-05:00",
    }
    assert [item["classification"]["id"] for item in tenders["AOI-1"]["items"]] == [
        "90101603",
        "72102903",
    ]


def test_parties_carry_roles_neq_identifiers_and_social_economy_classifications(history):
    release = releases_by_reference(export_package(start=START, end=END))["AOI-1"]
    parties = {party["name"]: party for party in release["parties"]}

    assert parties[history.name]["roles"] == ["buyer"]
    assert parties[history.name]["identifier"]["id"] == "1140000500"
    coop = parties["Coop A"]
    assert set(coop["roles"]) == {"supplier", "tenderer"}
    assert coop["identifier"] == {
        "scheme": "CA-QC-NEQ",
        "id": "1140000601",
        "legalName": "Coop A",
    }
    assert coop["details"]["neq"] == "1140000601"
    schemes = {c["scheme"]: c["id"] for c in coop["details"]["classifications"]}
    assert schemes == {"CA-QC-EES-STATUT": "verified", "CA-QC-FORME-JURIDIQUE": "coop_workers"}
    assert parties["Coop B"]["roles"] == ["tenderer"]
    assert release["buyer"]["name"] == history.name


def test_a_supplier_without_neq_is_still_a_party(history):
    release = releases_by_reference(export_package(start=START, end=END))["GG-1"]
    supplier = next(p for p in release["parties"] if p["name"] == "Fournitures sans NEQ")

    assert "identifier" not in supplier
    assert release["awards"][0]["suppliers"][0]["id"] == supplier["id"]


def test_invitations_and_bids_are_in_the_bid_extension(history):
    details = releases_by_reference(export_package(start=START, end=END))["AOI-1"]["bids"][
        "details"
    ]

    statuses = sorted(detail["status"] for detail in details)
    assert statuses == ["disqualified", "invited", "invited", "valid"]
    valid = next(detail for detail in details if detail["status"] == "valid")
    assert valid["value"] == {"amount": 30000.0, "currency": "CAD"}
    assert valid["tenderers"][0]["name"] == "Coop A"


def test_awards_and_contracts_keep_lots_statuses_and_contract_numbers(history):
    releases = releases_by_reference(export_package(start=START, end=END))

    awarded = releases["AOI-1"]
    assert awarded["tag"] == ["award", "contract"]
    assert awarded["awards"][0]["relatedBids"][0].startswith("bid-")
    assert awarded["contracts"][0]["id"] == "C-2025-001"
    assert awarded["contracts"][0]["awardID"] == awarded["awards"][0]["id"]
    lots = releases["AO-LOTS"]["awards"]
    assert sorted(award["status"] for award in lots) == ["active", "cancelled", "pending"]
    assert {award["value"]["amount"] for award in lots} >= {1000.1}


def test_only_the_chosen_organization_and_period_are_exported(history, other_organization):
    mine = export_package(start=START, end=END, organization_id=history.pk)
    theirs = export_package(start=START, end=END, organization_id=other_organization.pk)
    old = export_package(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))

    assert "ELSEWHERE" not in releases_by_reference(mine)
    assert set(releases_by_reference(theirs)) == {"ELSEWHERE"}
    assert set(releases_by_reference(old)) == {"OLD"}


def test_an_award_in_the_period_brings_its_older_process(organization):
    award = AwardFactory(
        process__organization=organization,
        process__published_on=dt.date(2024, 12, 1),
        awarded_on=dt.date(2025, 1, 10),
    )

    package = export_package(start=START, end=END)

    assert [release["ocid"] for release in package["releases"]] == [ocid_of(award.process)]


def test_the_export_runs_a_constant_number_of_queries(organization):
    def count():
        with CaptureQueriesContext(connection) as queries:
            export_package(start=START, end=END)
        return len(queries.captured_queries)

    for _ in range(2):
        AwardFactory(process__organization=organization, enterprise=EnterpriseFactory())
    few = count()
    for _ in range(6):
        invitation = InvitationFactory(process__organization=organization)
        BidFactory(process=invitation.process, enterprise=invitation.enterprise)
        AwardFactory(process=invitation.process, enterprise=invitation.enterprise)

    assert count() == few


# --- round trips -----------------------------------------------------------------------------


def snapshot() -> dict:
    """Every value of every procurement record, and the size of the audit trail."""
    models = (ProcurementProcess, Invitation, Bid, Award, Enterprise, Organization)
    return {
        model.__name__: (
            sorted(model.objects.values_list(), key=str),
            model.history.count(),
        )
        for model in models
    }


def as_file(package) -> io.BytesIO:
    return io.BytesIO(json.dumps(package, ensure_ascii=False).encode())


def test_importing_an_export_back_changes_nothing(history):
    before = snapshot()
    package = export_package(start=START, end=END)

    report = import_file(as_file(package))

    assert report.ok
    assert report.skipped == []
    assert report.created == {}
    assert report.updated == {}
    assert report.unchanged == len(package["releases"])
    assert snapshot() == before


def test_an_export_recreates_its_records_in_an_empty_portal(history):
    package = export_package(start=START, end=END, organization_id=history.pk)

    def facts():
        return {
            "processes": sorted(
                ProcurementProcess.objects.filter(organization=history)
                .exclude(reference="OLD")
                .values_list("reference", "method", "status", "estimated_value", "published_on")
            ),
            "awards": sorted(
                Award.objects.filter(organization=history).values_list(
                    "process__reference", "enterprise__name", "amount", "status", "awarded_on"
                ),
                key=str,
            ),
            "bids": sorted(
                Bid.objects.values_list("enterprise__name", "amount", "status", "submitted_on")
            ),
            "invitations": sorted(Invitation.objects.values_list("enterprise__name", "invited_on")),
        }

    before = facts()
    Award.objects.all().delete()
    ProcurementProcess.objects.exclude(reference="OLD").delete()

    report = import_file(as_file(package))

    assert report.skipped == []
    assert facts() == before
    assert Award.objects.get(contract_number="C-2025-001").bid.status == Bid.Status.COMPLIANT


def test_seao_data_exports_valid_ocds_and_comes_back_unchanged():
    import_file(SEAO)
    before = snapshot()

    package = export_package(start=dt.date(2020, 1, 1), end=dt.date(2030, 12, 31))
    report = import_file(as_file(package))

    assert validate_package(package) == []
    assert len(package["releases"]) == 204
    assert report.created == {}
    assert report.updated == {}
    assert snapshot() == before


# --- the command -----------------------------------------------------------------------------


def test_the_command_writes_a_valid_package_to_a_file(history, tmp_path):
    output = tmp_path / "export.json"

    call_command(
        "export_ocds",
        "--start",
        "2025-01-01",
        "--end",
        "2025-12-31",
        "--organization",
        str(history.pk),
        "--output",
        str(output),
        stderr=io.StringIO(),
    )

    package = json.loads(output.read_text(encoding="utf-8"))
    assert validate_package(package) == []
    assert len(package["releases"]) == 6


def test_the_command_writes_to_standard_output(history):
    out = io.StringIO()

    call_command("export_ocds", "--start", "2025-01-01", "--end", "2025-12-31", stdout=out)

    assert validate_package(json.loads(out.getvalue())) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["--start", "2025-12-31", "--end", "2025-01-01"],
        ["--start", "hier", "--end", "2025-01-01"],
        ["--start", "2001-01-01", "--end", "2001-12-31"],
        ["--start", "2025-01-01", "--end", "2025-12-31", "--organization", "999999"],
    ],
    ids=["reversed", "not a date", "empty period", "unknown organization"],
)
def test_the_command_refuses_a_bad_period_or_organization(history, arguments):
    with pytest.raises(CommandError):
        call_command("export_ocds", *arguments, stdout=io.StringIO())
