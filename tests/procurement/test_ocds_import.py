"""OCDS import: SEAO's real data, idempotence, tolerance, clear per-release errors, no crash."""

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from directory.models import Enterprise
from portal.accounts.models import Organization
from procurement.models import Award, Method, ProcurementProcess
from procurement.ocds import OcdsImporter, import_file, method_of
from tests.factories import EnterpriseFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SEAO = DATA / "seao-hebdo-20260914-20260920-first204.json"
MONTREAL = DATA / "montreal-2017-release.json"


def seao_package() -> dict:
    return json.loads(SEAO.read_text(encoding="utf-8"))


def as_file(package) -> io.BytesIO:
    text = package if isinstance(package, str) else json.dumps(package, ensure_ascii=False)
    return io.BytesIO(text.encode("utf-8"))


def history_rows() -> int:
    return sum(
        model.history.count() for model in (ProcurementProcess, Award, Enterprise, Organization)
    )


def test_the_seao_sample_is_imported_with_its_methods_and_contracts():
    report = import_file(SEAO)

    assert report.ok
    assert report.releases == 204
    assert report.skipped == []
    assert report.created["processes"] == 204
    assert report.created["awards"] == 138
    assert report.created["organizations"] == 90
    methods = dict(ProcurementProcess.objects.values_list("method").annotate(n=Count("id")))
    assert methods == {Method.DIRECT: 113, Method.INVITATION: 25, Method.OPEN: 66}
    assert Award.objects.filter(status=Award.Status.CANCELLED).count() == 1
    award = Award.objects.get(ocds_award_id="20165911")
    assert award.amount == Decimal("689237.10")
    assert award.awarded_on.isoformat() == "2026-08-17"
    assert award.enterprise.neq == "1166326976"
    assert award.organization.name == "Sûreté du Québec"
    assert award.process.unspsc_codes == "46171600"
    assert len(report.contracts) == 138


def test_the_french_label_decides_the_method_over_seaos_code():
    assert method_of("selective", "Contrat de gré à gré") == Method.DIRECT
    assert method_of("limited", "Contrat à la suite d'un appel d’offres sur invitation") == (
        Method.INVITATION
    )
    assert method_of("selective", "Avis d’appel d’offres") == Method.OPEN
    assert method_of("limited", None) == Method.INVITATION
    assert method_of("unknown", "") is None


def test_suppliers_are_matched_by_neq_and_unknown_ones_are_not_made_ees():
    ees = EnterpriseFactory(neq="1166326976", name="Nom au répertoire")

    import_file(SEAO)

    assert Award.objects.get(ocds_award_id="20165911").enterprise == ees
    ees.refresh_from_db()
    assert ees.name == "Nom au répertoire"  # the directory's record is left alone
    created = Enterprise.objects.exclude(pk=ees.pk)
    assert created.count() > 100
    assert not created.filter(status=Enterprise.Status.VERIFIED).exists()
    assert not created.filter(is_published=True).exists()


def test_buyers_become_organizations_municipal_when_seao_says_so():
    call_command("load_reference_data", verbosity=0)

    import_file(SEAO)

    dolbeau = Organization.objects.get(name="Ville de Dolbeau-Mistassini.")
    assert dolbeau.kind == Organization.Kind.MUNICIPAL
    assert dolbeau.region_id == "02"  # Saguenay–Lac-Saint-Jean, from the buyer's name
    assert Organization.objects.get(name="Sûreté du Québec").kind == Organization.Kind.GOVERNMENT


def test_importing_seao_data_twice_creates_and_changes_nothing_the_second_time():
    import_file(SEAO)
    counts = (ProcurementProcess.objects.count(), Award.objects.count(), Enterprise.objects.count())
    history = history_rows()

    again = import_file(SEAO)

    assert again.created == {}
    assert again.updated == {}
    assert again.unchanged == 204
    assert (
        ProcurementProcess.objects.count(),
        Award.objects.count(),
        Enterprise.objects.count(),
    ) == counts
    assert history_rows() == history


def test_a_newer_release_updates_the_award_it_names():
    import_file(SEAO)
    package = seao_package()
    release = next(r for r in package["releases"] if r["ocid"] == "ocds-ec9k95-20007385")
    release["awards"][0]["value"]["amount"] = 700000.55
    package["releases"] = [release]

    report = import_file(as_file(package))

    assert report.updated == {"awards": 1}
    award = Award.objects.get(ocds_award_id="20165911")
    assert award.amount == Decimal("700000.55")
    assert award.history.count() == 2


def test_everything_goes_to_the_chosen_organization(organization):
    report = OcdsImporter(organization=organization).run(SEAO.open("rb"))

    assert report.created.get("organizations") is None
    assert set(ProcurementProcess.objects.values_list("organization", flat=True)) == {
        organization.pk
    }


def test_a_process_entered_by_hand_is_tied_to_its_seao_notice():
    buyer = OrganizationFactory(name="Sûreté du Québec")
    process = ProcurementProcess.objects.create(
        organization=buyer,
        reference="AP-2026-2351-024-GG",
        title="Éthylomètre",
        method=Method.DIRECT,
    )

    import_file(SEAO)

    process.refresh_from_db()
    assert process.ocid == "ocds-ec9k95-20007385"
    assert process.awards.count() == 1
    assert process.source == ProcurementProcess.Source.MANUAL


def test_montreal_2017_releases_get_a_clear_per_release_error():
    report = import_file(MONTREAL)

    assert report.ok
    assert report.skipped_count == 1
    assert "tag" in report.skipped[0]["reason"]
    assert "Montréal" in report.skipped[0]["reason"]
    assert not ProcurementProcess.objects.exists()


def test_a_montreal_release_inside_a_package_is_skipped_and_the_others_land():
    package = seao_package()
    package["releases"] = package["releases"][:3] + [json.loads(MONTREAL.read_text())]

    report = import_file(as_file(package))

    assert report.created["processes"] == 3
    assert [item["position"] for item in report.skipped] == [4]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: r["awards"][0]["value"].update(amount=-5), "hors"),
        (lambda r: r["awards"][0]["value"].update(amount=10.005), "au cent près"),
        (lambda r: r["awards"][0]["value"].update(amount="beaucoup"), "montant"),
        (lambda r: r["awards"][0]["value"].update(currency="USD"), "USD"),
        (lambda r: r["awards"][0].update(date="hier"), "date"),
        (lambda r: r["awards"][0].update(suppliers=[]), "fournisseur"),
        (
            lambda r: r["tender"].update(procurementMethod="x", procurementMethodDetails=""),
            "Mode d'acquisition inconnu",
        ),
        (lambda r: r.pop("tender"), "appel"),
        (lambda r: r.pop("ocid"), "ocid"),
        (
            lambda r: (r.update(parties=None, buyer=None), r["tender"].pop("procuringEntity")),
            "aucun acheteur",
        ),
        (lambda r: r["tender"].update(status="cancelled"), "annulé"),
    ],
)
def test_a_bad_release_is_skipped_with_its_reason_in_french_and_the_others_land(change, words):
    package = seao_package()
    package["releases"] = copy.deepcopy(package["releases"][:3])
    change(package["releases"][0])

    report = import_file(as_file(package))

    assert report.skipped_count == 1
    assert words in report.skipped[0]["reason"]
    assert report.created["processes"] == 2
    assert ProcurementProcess.objects.count() == 2


@pytest.mark.parametrize(
    "content",
    [
        "not json at all",
        '{"releases": [{"ocid": "a", "tag": ["tender"]}, ',
        "[1, 2, 3]",
        '{"records": []}',
        '{"uri": "x"}',
        "",
    ],
    ids=["text", "truncated", "array", "record package", "no releases", "empty"],
)
def test_a_malformed_file_is_refused_whole_and_nothing_is_saved(content):
    report = import_file(as_file(content))

    assert not report.ok
    assert report.error
    assert not ProcurementProcess.objects.exists()


def test_a_file_broken_after_good_releases_saves_nothing():
    text = SEAO.read_text(encoding="utf-8")
    truncated = text[: len(text) // 2]

    report = import_file(as_file(truncated))

    assert "JSON" in report.error
    assert not ProcurementProcess.objects.exists()
    assert not Organization.objects.exists()


def test_a_batch_that_fails_in_the_database_is_replayed_release_by_release(monkeypatch):
    """A release the database refuses is skipped alone, whatever the batch size."""
    from procurement import ocds

    package = seao_package()
    package["releases"] = package["releases"][:6]
    bad_ocid = package["releases"][2]["ocid"]
    original = ocds.BatchWriter.write

    def write(self):
        if any(release.ocid == bad_ocid for release in self.batch):
            from django.db import IntegrityError

            raise IntegrityError("refused for the test")
        return original(self)

    monkeypatch.setattr(ocds.BatchWriter, "write", write)

    report = OcdsImporter(batch_size=4).run(as_file(package))

    assert report.skipped_count == 1
    assert report.skipped[0]["ocid"] == bad_ocid
    assert ProcurementProcess.objects.count() == 5
    # caches were rolled back with the batch: the buyers of the replayed releases exist
    assert Award.objects.filter(organization__isnull=True).count() == 0


def test_the_command_prints_the_report_and_refuses_a_malformed_file(tmp_path):
    out = io.StringIO()
    call_command("import_ocds", str(SEAO), stdout=out)
    assert "Releases read: 204" in out.getvalue()
    assert "Skipped releases: 0" in out.getvalue()

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_ocds", str(broken))
    with pytest.raises(CommandError):
        call_command("import_ocds", str(SEAO), "--organization", "999999")


def test_the_command_reports_in_json(tmp_path):
    out = io.StringIO()

    call_command("import_ocds", str(MONTREAL), "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["skipped_count"] == 1


def test_an_import_for_one_organization_leaves_other_organizations_records_alone(
    organization, other_organization
):
    OcdsImporter(organization=other_organization).run(SEAO.open("rb"))
    theirs = Award.objects.get(ocds_award_id="20165911")
    package = seao_package()
    release = next(r for r in package["releases"] if r["ocid"] == "ocds-ec9k95-20007385")
    release["awards"][0]["value"]["amount"] = 1.00
    new = dict(package["releases"][1], ocid="ocds-ec9k95-new")
    package["releases"] = [release, new]

    report = OcdsImporter(organization=organization).run(as_file(package))

    assert report.skipped_count == 1
    assert "autre organisation" in report.skipped[0]["reason"]
    theirs.refresh_from_db()
    assert theirs.amount == Decimal("689237.10")
    assert theirs.organization == other_organization
    assert ProcurementProcess.objects.filter(organization=organization).count() == 1


class CountingReader(io.BytesIO):
    """A file that remembers how far it has been read."""


def test_releases_are_streamed_not_loaded_whole(monkeypatch):
    """The first batch is written while most of the file is still unread (flat memory)."""
    from procurement import ocds

    stream = CountingReader(SEAO.read_bytes())
    size = len(stream.getvalue())
    positions = []
    original = ocds.BatchWriter.write

    def write(self):
        positions.append(stream.tell())
        return original(self)

    monkeypatch.setattr(ocds.BatchWriter, "write", write)

    report = OcdsImporter(batch_size=20).run(stream)

    assert report.created["processes"] == 204
    assert len(positions) == 11
    assert positions[0] < size / 2
    assert positions == sorted(positions)


def test_the_report_keeps_every_count_but_lists_only_the_first_skipped_releases():
    release = json.loads(MONTREAL.read_text())
    package = {
        "uri": "urn:test",
        "publishedDate": "2025-01-01T00:00:00Z",
        "version": "1.1",
        "publisher": {"name": "Test"},
        "releases": [dict(release, ocid=f"ocds-test-{n}") for n in range(250)],
    }

    report = import_file(as_file(package))

    assert report.skipped_count == 250
    assert len(report.skipped) == 200


def test_a_file_starting_with_a_byte_order_mark_is_read():
    report = import_file(io.BytesIO(b"\xef\xbb\xbf" + SEAO.read_bytes()))

    assert report.ok
    assert report.created["processes"] == 204
