import io
import os
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.core.validators import EmailValidator, URLValidator
from django.db import connection
from django.db.models import Prefetch
from django.urls import reverse

from directory import importer, search, services
from directory.models import Enterprise, FacetTally, Offering
from directory.tally import facet_tally_differences
from portal.reference.models import Category
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    RegionFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
REAL_LISTS = Path("/work/shared/data/enterprises")


@pytest.fixture
def reference(db):
    """The few regions, municipalities, sectors and categories the fixtures name."""
    monteregie = RegionFactory(code="16", name="Montérégie")
    mauricie = RegionFactory(code="04", name="Mauricie")
    RegionFactory(code="02", name="Saguenay–Lac-Saint-Jean")
    MunicipalityFactory(code="58227", name="Longueuil", region=monteregie)
    MunicipalityFactory(code="37067", name="Trois-Rivières", region=mauricie)
    MunicipalityFactory(code="37245", name="Saint-Stanislas", region=mauricie)
    MunicipalityFactory(code="92070", name="Saint-Stanislas", region=RegionFactory(code="02"))
    SectorFactory(code="72")
    SectorFactory(code="56", name_fr="Services administratifs", name_en="Administrative")
    CategoryFactory(slug="traiteur", name_fr="Service de traiteur", name_en="Catering")
    CategoryFactory(slug="entretien-menager", name_fr="Entretien ménager", name_en="Janitorial")


def run(name: str, *, commit: bool, by=None):
    with open(DATA / name, "rb") as source:
        return services.import_enterprises(source=source, by=by, commit=commit)


def test_a_dry_run_reports_what_would_change_and_writes_nothing(reference):
    report = run("enterprises.csv", commit=False)

    assert report.ok
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert not report.committed
    assert not Enterprise.objects.exists()


def test_a_commit_creates_enterprises_with_normalized_values(reference, coordinator):
    report = run("enterprises.csv", commit=True, by=coordinator)

    assert report.committed
    paniers = Enterprise.objects.get(neq="2240000001")
    assert paniers.legal_form == Enterprise.LegalForm.COOP_SOLIDARITY
    assert paniers.municipality_id == "58227"
    assert paniers.region_id == "16"
    assert paniers.postal_code == "J4K 2T1"
    assert paniers.email == "info@paniers.example"
    assert paniers.website == "https://paniers.example"
    assert paniers.status == Enterprise.Status.VERIFIED
    assert paniers.status_decided_by == coordinator
    assert paniers.is_published
    assert paniers.publication_consent_by == coordinator
    assert list(paniers.sectors.values_list("code", flat=True)) == ["72"]
    assert set(paniers.offerings.values_list("name", flat=True)) == {
        "Service de traiteur",
        "Boîtes-repas pour réunions",
        "Entretien de bureaux",
    }
    assert "Boîtes-repas" in paniers.search_document
    assert paniers.slug == "coop-de-solidarite-paniers"
    assert paniers.history.get().history_user == coordinator
    atelier = Enterprise.objects.get(neq="2240000002")
    assert atelier.legal_form == Enterprise.LegalForm.NONPROFIT
    assert atelier.status == Enterprise.Status.NOT_SUBMITTED
    assert Enterprise.objects.get(neq="2240000003").status == Enterprise.Status.PENDING


def test_importing_the_same_file_twice_changes_nothing(reference):
    run("enterprises.csv", commit=True)
    offerings = Offering.objects.count()

    report = run("enterprises.csv", commit=True)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Enterprise.objects.count() == 3
    assert Offering.objects.count() == offerings


def test_an_import_updates_by_neq_and_never_erases(reference):
    existing = EnterpriseFactory(
        neq="2240000002",
        name="Ancien nom",
        email="garde@atelier.example",
        status=Enterprise.Status.NOT_SUBMITTED,
        is_published=False,
        publication_consent_at=None,
    )

    report = run("enterprises.csv", commit=True)

    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    existing.refresh_from_db()
    assert existing.name == "Atelier Réemploi"
    assert existing.email == "garde@atelier.example"  # the blank cell left it alone
    assert set(existing.sectors.values_list("code", flat=True)) == {"72", "56"}
    assert (
        existing.slug != "atelier-reemploi"
        or Enterprise.objects.filter(slug=existing.slug).count() == 1
    )


def test_an_import_verifies_and_publishes_a_known_enterprise_for_its_author(reference, coordinator):
    existing = EnterpriseFactory(
        neq="2240000001",
        status=Enterprise.Status.PENDING,
        is_published=False,
        publication_consent_at=None,
    )

    report = run("enterprises.csv", commit=True, by=coordinator)

    assert report.updated == 1
    existing.refresh_from_db()
    assert existing.status == Enterprise.Status.VERIFIED
    assert existing.status_decided_by == coordinator
    assert existing.status_decided_at is not None
    assert existing.is_published
    assert existing.publication_consent_by == coordinator
    assert existing.history.first().history_type == "~"
    assert existing.history.first().history_user == coordinator


def test_an_illegal_status_move_is_reported_on_its_line(reference):
    EnterpriseFactory(neq="2240000001", status=Enterprise.Status.REJECTED, status_reason="Non")

    report = run("enterprises.csv", commit=True)

    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(2, "status")]
    assert report.errors[0].message == "Impossible de passer de « Refusée » à « Vérifiée »."
    assert Enterprise.objects.count() == 1


def test_every_bad_row_is_reported_with_line_column_and_reason_and_nothing_is_saved(reference):
    report = run("bad-rows.csv", commit=True)

    assert not report.committed
    assert not Enterprise.objects.exists()
    problems = {(error.line, error.column) for error in report.errors}
    assert problems == {
        (3, "neq"),
        (4, "postal_code"),
        (5, "email"),
        (6, "neq"),
        (7, "municipality"),
        (8, "region_code"),
        (9, "sectors"),
        (10, "status"),
        (11, "published"),
        (12, "neq"),
        (13, "name"),
    }
    messages = {error.line: error.message for error in report.errors}
    assert messages[6] == "Ce NEQ figure déjà à la ligne 2."
    assert messages[4] == "Saisissez un code postal canadien comme H2X 1Y4."
    assert messages[5] == "Saisissez une adresse courriel valide."
    assert messages[7] == "Municipalité inconnue « Gotham »."
    assert messages[12] == "Le NEQ est obligatoire."


def test_a_file_in_another_encoding_is_refused_clearly(reference):
    report = run("latin1.csv", commit=True)

    assert report.file_errors == [
        "Le fichier n’est pas encodé en UTF-8 (ligne 2). Dans votre tableur, "
        "enregistrez-le au format « CSV UTF-8 »."
    ]
    assert not Enterprise.objects.exists()


def test_missing_columns_are_named(reference):
    report = run("missing-columns.csv", commit=False)

    assert report.file_errors == ["Colonnes manquantes : neq. La ligne d’en-tête doit les nommer."]
    assert report.ignored_columns == ["telephone_cellulaire"]


def test_an_empty_file_is_refused(reference):
    assert run("empty.csv", commit=True).file_errors == [
        "Le fichier est vide : la première ligne doit être un en-tête."
    ]


def test_a_header_alone_imports_nothing_without_error(reference):
    report = run("header-only.csv", commit=True)

    assert report.ok
    assert report.rows == 0


def test_a_file_with_a_nul_byte_is_refused_not_a_crash(reference):
    source = io.BytesIO(b"neq,name,region_code\n2240000001,Co\x00op,16\n")

    report = services.import_enterprises(source=source, commit=True)

    assert report.file_errors == [
        "Le fichier n’est pas un fichier texte CSV (la ligne 2 contient des données binaires)."
    ]
    assert not Enterprise.objects.exists()


def test_a_cell_too_long_for_csv_is_refused_not_a_crash(reference):
    source = io.BytesIO(b"neq,name,region_code\n2240000001," + b"x" * 200_000 + b",16\n")

    report = services.import_enterprises(source=source, commit=True)

    assert report.file_errors == ["Le fichier n’est pas un fichier CSV valide (ligne 2)."]
    assert not Enterprise.objects.exists()


def test_french_spreadsheets_with_semicolons_are_read(reference):
    report = run("semicolon.csv", commit=True)

    assert report.ok
    cafe = Enterprise.objects.get(neq="2240000012")
    assert cafe.municipality_id == "37067"
    assert cafe.legal_form == Enterprise.LegalForm.NONPROFIT


def test_the_pole_and_req_column_names_are_understood(reference):
    report = run("pole-style.csv", commit=False)

    assert report.ignored_columns == ["Territoire"]
    problems = {(error.line, error.column): error.message for error in report.errors}
    assert set(problems) == {(3, "NEQ"), (4, "Municipalite")}
    assert "Plusieurs municipalités se nomment « St-Stanislas »" in problems[(4, "Municipalite")]
    assert report.created == 1


def test_html_in_imported_text_is_kept_as_text_and_shown_escaped(reference, client, coordinator):
    run("html.csv", commit=True)
    enterprise = Enterprise.objects.get(neq="2240000061")
    client.force_login(coordinator)

    page = client.get(reverse("directory:verification-detail", args=[enterprise.pk]))

    assert enterprise.name.startswith("<script>")
    assert "<script>alert" not in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()


def test_imported_search_documents_are_those_the_search_module_builds(reference):
    traiteur = Category.objects.get(slug="traiteur")
    traiteur.parent = CategoryFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    traiteur.save()

    run("enterprises.csv", commit=True)

    # An import lists each enterprise's offerings by category, then by name.
    offerings = Offering.objects.order_by("category_id", "name").select_related("category__parent")
    enterprises = Enterprise.objects.select_related("municipality", "region").prefetch_related(
        Prefetch("offerings", offerings), "sectors", "impacts", "achievements"
    )
    assert len(enterprises) == 3
    for enterprise in enterprises:
        assert enterprise.search_document == search.build_search_document(enterprise)


def test_imported_enterprises_get_the_facet_keys_of_their_links(reference):
    traiteur = Category.objects.get(slug="traiteur")
    traiteur.parent = CategoryFactory(slug="alimentation", name_fr="Alimentation", name_en="Food")
    traiteur.save()
    EnterpriseFactory(neq="2240000002", name="Ancien nom")  # updated, the others are new

    run("enterprises.csv", commit=True)

    assert search.stale_facet_keys() == []  # on PostgreSQL; nothing to compare on SQLite


def _terms() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, example FROM directory_searchterm ORDER BY term")
        return cursor.fetchall()


def test_the_vocabulary_is_what_indexing_each_batch_in_turn_gives(reference, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_SIZE", 1)  # a batch per line: three batches

    run("enterprises.csv", commit=True)

    imported = _terms()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_searchterm")
    for enterprise in Enterprise.objects.order_by("neq"):  # the file's order
        search.add_words_to_vocabulary(search.vocabulary_words([enterprise.search_document]))
    assert imported == _terms()
    assert imported


def _verdict(check, value: str) -> list[str] | None:
    try:
        check(value)
    except ValidationError as error:
        return error.messages
    return None


@pytest.mark.parametrize(
    "value",
    [
        "info@paniers.example",
        "Prenom.Nom+achats@sous-domaine.exemple.qc.ca",
        "a_b-c@x1.ca",
        "x@localhost",
        "é@exemple.ca",
        "a..b@exemple.ca",
        ".a@exemple.ca",
        "a@-exemple.ca",
        "a@exemple-.ca",
        "a@exemple.c",
        "a@exemple.123",
        "a@exemple.ca.",
        "a@[127.0.0.1]",
        "a@xn--bcher-kva.ch",
        "a@b@exemple.ca",
        "a b@exemple.ca",
        '"a b"@exemple.ca',
        "a@exemple.ｃａ",
        "a@" + "x" * 64 + ".ca",
        "a" * 310 + "@exemple.ca",
    ],
)
def test_the_quick_email_check_gives_the_validators_verdict(value):
    assert _verdict(importer.check_email, value) == _verdict(EmailValidator(), value)


@pytest.mark.parametrize(
    "value",
    [
        "https://paniers.example",
        "http://www.exemple.qc.ca/page?a=1&b=2#haut",
        "https://exemple.ca/",
        "https://x",
        "https://localhost",
        "https://-exemple.ca",
        "https://exemple-.ca",
        "https://exemple.c",
        "https://exemple.ca.",
        "https://exemple.ca:8080/",
        "https://nom:secret@exemple.ca",
        "https://1.2.3.4",
        "https://[::1]/",
        "https://é.ca",
        "https://exemple.ca/un espace",
        "https://exemple.ca/\u00a0",
        "https://exemple.ca/\u2028",
        "ftp://exemple.ca",
        "https://" + "a" * 63 + ".ca",
        "https://" + "a" * 64 + ".ca",
        "https://" + ".".join(["a" * 60] * 4) + ".ca",
    ],
)
def test_the_quick_web_address_check_gives_the_validators_verdict(value):
    validator = URLValidator(schemes=["http", "https"])
    assert _verdict(importer.check_url, value) == _verdict(validator, value)


# --- The command ----------------------------------------------------------------------
def test_the_command_dry_runs_by_default(reference, capsys):
    call_command("import_enterprises", str(DATA / "enterprises.csv"))

    out = capsys.readouterr().out
    assert "3 lignes lues : 3 créées, 0 mises à jour, 0 inchangées." in out
    assert "Essai à blanc" in out
    assert not Enterprise.objects.exists()


def test_the_command_commits_with_the_flag_and_records_the_author(reference, coordinator, capsys):
    call_command(
        "import_enterprises", str(DATA / "enterprises.csv"), "--commit", "--user", coordinator.email
    )

    assert "Importation enregistrée." in capsys.readouterr().out
    assert Enterprise.objects.get(neq="2240000001").history.get().history_user == coordinator


def test_the_command_fails_and_lists_problems_when_a_row_is_wrong(reference, capsys):
    with pytest.raises(CommandError, match="rien n’a été importé"):
        call_command("import_enterprises", str(DATA / "bad-rows.csv"), "--commit")

    assert "ligne 4 [postal_code] : Saisissez un code postal canadien" in capsys.readouterr().err
    assert not Enterprise.objects.exists()


def test_the_command_explains_a_missing_file(db):
    with pytest.raises(CommandError):
        call_command("import_enterprises", "/nonexistent/file.csv")


# --- The upload page ------------------------------------------------------------------
def _upload(client, name: str):
    with open(DATA / name, "rb") as handle:
        return client.post(reverse("directory:import"), {"file": handle})


def test_a_coordinator_uploads_checks_then_confirms(reference, client, coordinator):
    client.force_login(coordinator)

    checked = _upload(client, "enterprises.csv")

    page = checked.content.decode()
    assert "Essai à blanc : rien n’a encore été écrit" in page
    assert "Confirmer l’importation" in page
    assert not Enterprise.objects.exists()

    done = client.post(reverse("directory:import-confirm"))

    assert done.status_code == 200
    assert "Importation terminée" in done.content.decode()
    assert Enterprise.objects.count() == 3
    again = client.post(reverse("directory:import-confirm"), follow=True)
    assert "téléversez-le de nouveau" in again.content.decode()
    assert Enterprise.objects.count() == 3


def test_a_bad_file_shows_the_report_and_offers_no_confirmation(reference, client, coordinator):
    client.force_login(coordinator)

    response = _upload(client, "bad-rows.csv")

    page = response.content.decode()
    assert "11 problèmes trouvés : rien n’a été importé." in page
    assert 'role="alert"' in page
    assert "Confirmer l’importation" not in page
    assert client.post(reverse("directory:import-confirm")).status_code == 302
    assert not Enterprise.objects.exists()


def test_a_latin1_upload_is_explained_in_french(reference, client, coordinator):
    client.force_login(coordinator)

    response = _upload(client, "latin1.csv")

    assert "n’est pas encodé en UTF-8" in response.content.decode()


@pytest.mark.parametrize("actor", ["officer", "manager", "outsider", "stranger"])
def test_only_coordinators_import(reference, client, request, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(reverse("directory:import")).status_code == 403
    assert _upload(client, "enterprises.csv").status_code == 403
    assert client.post(reverse("directory:import-confirm")).status_code == 403
    assert not Enterprise.objects.exists()


def test_an_oversized_upload_is_refused(reference, client, coordinator, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    client.force_login(coordinator)

    response = _upload(client, "enterprises.csv")

    assert "Le fichier est trop volumineux" in response.content.decode()


# --- The real lists (test-only data, not shipped) -------------------------------------
@pytest.mark.skipif(not REAL_LISTS.exists(), reason="the shared sample lists are not here")
def test_the_real_req_list_is_checked_line_by_line_without_a_crash(db):
    call_command("load_reference_data")

    with open(REAL_LISTS / "req-mauricie-social-economy-forms.csv", "rb") as source:
        report = services.import_enterprises(source=source, commit=True)

    assert report.rows == 2220
    assert report.created == 0  # an import is all or nothing, and some lines are wrong
    assert not Enterprise.objects.exists()
    columns = {error.column for error in report.errors}
    assert columns <= {"Municipalite", "NEQ"}
    assert report.error_count < 200  # ~2 080 of 2 220 lines are importable as they are


def test_imported_enterprises_are_found_by_the_directory_search(reference, client):
    run("enterprises.csv", commit=True)

    page = client.get(reverse("directory:index"), {"q": "boîtes repas"}).content.decode()

    assert "Coop de solidarité Paniers" in page  # verified and published
    assert "Atelier Réemploi" not in page  # not submitted: not public


def test_enterprises_created_after_an_import_get_fresh_ids(reference):
    run("enterprises.csv", commit=True)
    imported = set(Enterprise.objects.values_list("pk", flat=True))

    later = EnterpriseFactory(neq="1149999999")

    assert later.pk not in imported
    assert later.pk > max(imported)


@pytest.mark.postgres
def test_postgresql_indexes_the_search_text_written_by_the_import(reference):
    from django.db import connection

    run("enterprises.csv", commit=True)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM directory_enterprise WHERE search_vector @@ "
            "plainto_tsquery('public.french_unaccent', 'boites repas')"
        )
        assert cursor.fetchone()[0] == 1


def test_files_checked_but_never_confirmed_are_removed_after_a_day(
    reference, client, coordinator, settings
):
    old = default_storage.save("imports/abandoned.csv", ContentFile(b"neq,name\n"))
    aged = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (aged, aged))
    client.force_login(coordinator)

    _upload(client, "enterprises.csv")

    assert not default_storage.exists(old)
    assert default_storage.exists(client.session["directory_import"]["name"])


@pytest.mark.postgres
def test_an_import_keeps_the_facet_tally_with_one_row_per_key(reference):
    run("enterprises.csv", commit=True)

    keys = list(FacetTally.objects.values_list("facet", "key"))
    assert ("*", "") in keys
    assert len(keys) == len(set(keys))  # compacted at the end of the import
    assert facet_tally_differences() == []
