"""The OCDS upload and download pages: who may use them, reports in French, no leaks."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.accounts.models import Organization
from procurement.models import Award, ProcurementProcess
from procurement.ocds import validate_package
from tests.factories import AwardFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

SEAO = Path(__file__).parent / "data" / "seao-hebdo-20260914-20260920-first204.json"
IMPORT = reverse("procurement:ocds-import")
EXPORT = reverse("procurement:ocds-export")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def seao_upload(content: bytes | None = None, name="seao.json"):
    return SimpleUploadedFile(
        name, SEAO.read_bytes() if content is None else content, "application/json"
    )


def test_an_officer_imports_seao_data_for_their_organization_and_sees_the_contracts(
    client, officer, organization
):
    client.force_login(officer)

    response = client.post(IMPORT, {"file": seao_upload(), "organization": organization.pk})

    assert response.status_code == 302
    report = client.get(response["Location"])
    page = report.content.decode()
    assert "Rapport d'importation OCDS" in page
    assert "204 publications lues" in page
    assert "Éthylomètre DataMaster DMT-C" in page
    assert "689\xa0237,10\xa0$" in page
    assert set(ProcurementProcess.objects.values_list("organization", flat=True)) == {
        organization.pk
    }
    assert ProcurementProcess.objects.first().created_by == officer
    assert (
        not Organization.objects.exclude(pk=organization.pk)
        .exclude(name="Ville de Trois-Rivières")
        .exists()
    )


def test_an_officer_cannot_import_for_another_organization(client, officer, other_organization):
    client.force_login(officer)

    response = client.post(IMPORT, {"file": seao_upload(), "organization": other_organization.pk})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not ProcurementProcess.objects.exists()


def test_a_coordinator_imports_for_every_buyer_in_the_file(client, coordinator):
    client.force_login(coordinator)

    response = client.post(IMPORT, {"file": seao_upload()})

    assert response.status_code == 302
    assert Organization.objects.filter(name="Sûreté du Québec").exists()
    assert Award.objects.count() == 138


@pytest.mark.parametrize("who", ["buyer", "manager", "stranger"])
def test_readers_and_strangers_cannot_import(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": seao_upload()}).status_code == 403
    assert not ProcurementProcess.objects.exists()


def test_a_visitor_is_sent_to_the_login_page(client):
    response = client.get(IMPORT)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_malformed_file_is_reported_and_nothing_is_saved(client, officer, organization):
    client.force_login(officer)

    response = client.post(
        IMPORT,
        {"file": seao_upload(b'{"releases": [{"ocid": '), "organization": organization.pk},
        follow=True,
    )

    page = response.content.decode()
    assert 'role="alert"' in page
    assert "pas un JSON valide" in page
    assert not ProcurementProcess.objects.exists()


def test_a_too_large_file_is_refused(client, officer, organization, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(officer)

    response = client.post(IMPORT, {"file": seao_upload(), "organization": organization.pk})

    assert response.status_code == 200
    assert "trop volumineux" in response.content.decode()


def test_a_big_file_is_imported_by_the_worker_and_its_report_shown_when_ready(
    client, officer, organization, settings, django_capture_on_commit_callbacks
):
    settings.OCDS_SYNC_IMPORT_BYTES = 10
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(IMPORT, {"file": seao_upload(), "organization": organization.pk})
    waiting = client.get(response["Location"]).content.decode()
    for callback in callbacks:
        callback()
    done = client.get(response["Location"]).content.decode()

    assert "L'importation est en cours" in waiting
    assert "204 publications lues" in done
    assert ProcurementProcess.objects.count() == 204


def test_a_report_is_for_its_author_and_coordinators_only(
    client, officer, outsider, coordinator, organization
):
    client.force_login(officer)
    location = client.post(IMPORT, {"file": seao_upload(), "organization": organization.pk})[
        "Location"
    ]

    client.force_login(outsider)
    assert client.get(location).status_code == 404
    client.force_login(coordinator)
    assert client.get(location).status_code == 200
    assert client.get(reverse("procurement:ocds-import-report", args=["nope"])).status_code == 404


# --- export ----------------------------------------------------------------------------------


def download(client, **params):
    return client.get(EXPORT, {"start": "2025-01-01", "end": "2025-12-31", **params})


def test_a_buyer_downloads_the_records_of_their_organization(
    client, buyer, organization, other_organization
):
    AwardFactory(process__organization=organization)
    AwardFactory(process__organization=other_organization)
    client.force_login(buyer)

    response = download(client, organization=organization.pk)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    package = json.loads(b"".join(response.streaming_content))
    assert validate_package(package) == []
    assert {release["buyer"]["name"] for release in package["releases"]} == {organization.name}


def test_an_outsider_cannot_download_another_organizations_records(client, outsider, organization):
    AwardFactory(process__organization=organization)
    client.force_login(outsider)

    response = download(client, organization=organization.pk)

    assert response.status_code == 200
    assert not hasattr(response, "streaming_content")
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_coordinator_downloads_every_organization(
    client, coordinator, organization, other_organization
):
    AwardFactory(process__organization=organization)
    AwardFactory(process__organization=other_organization)
    client.force_login(coordinator)

    package = json.loads(b"".join(download(client).streaming_content))

    assert len(package["releases"]) == 2


@pytest.mark.parametrize(
    ("params", "french"),
    [
        ({"start": "2025-12-31", "end": "2025-01-01"}, "ne peut pas précéder"),
        ({"start": "2001-01-01", "end": "2001-12-31"}, "Rien à exporter"),
        ({"start": "pas une date"}, "Saisissez une date valide"),
    ],
)
def test_a_bad_period_gets_a_clear_message(client, officer, organization, params, french):
    AwardFactory(process__organization=organization)
    client.force_login(officer)

    response = download(client, organization=organization.pk, **params)

    assert response.status_code == 200
    assert french in response.content.decode()


def test_the_export_page_shows_its_form_in_french(client, officer):
    client.force_login(officer)

    page = client.get(EXPORT).content.decode()

    assert "<h1>Exporter des données OCDS</h1>" in page
    assert 'for="id_start"' in page


@pytest.mark.parametrize("who", ["stranger"])
def test_people_without_an_organization_cannot_export(client, request, who, db):
    client.force_login(request.getfixturevalue(who))

    assert client.get(EXPORT).status_code == 403


def test_an_ees_representative_cannot_export(client, organization):
    representative = RepresentativeFactory().user
    client.force_login(representative)

    assert client.get(EXPORT).status_code == 403
