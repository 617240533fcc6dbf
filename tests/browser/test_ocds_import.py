"""Journey: a coordinator imports SEAO's open data and sees the contracts; then downloads OCDS."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from procurement.models import Award, ProcurementProcess
from procurement.ocds import validate_package
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEAO = (
    Path(__file__).parent.parent
    / "procurement"
    / "data"
    / ("seao-hebdo-20260914-20260920-first204.json")
)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_coordinator_imports_the_seao_sample_and_sees_the_contracts(
    page, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_reference_data", verbosity=0)
    log_in(page, coordinator.email)

    page.goto("/approvisionnement/ocds/importer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des données OCDS")
    page.get_by_label("Paquet de publications OCDS (JSON)").set_input_files(str(SEAO))
    page.get_by_role("button", name="Importer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport d'importation OCDS")
    expect(page.get_by_role("status")).to_contain_text("204 publications lues")
    contracts = page.get_by_role("table", name="Contrats créés ou mis à jour par cette importation")
    row = contracts.get_by_role("row").filter(has_text="Éthylomètre DataMaster DMT-C")
    expect(row).to_contain_text("689 237,10 $")
    expect(row).to_contain_text("Sûreté du Québec")
    assert ProcurementProcess.objects.count() == 204
    assert Award.objects.count() == 138

    # The same file again: nothing new.
    page.goto("/approvisionnement/ocds/importer/")
    page.get_by_label("Paquet de publications OCDS (JSON)").set_input_files(str(SEAO))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status")).to_contain_text("204 inchangées")
    assert ProcurementProcess.objects.count() == 204

    # And the records go back out as valid OCDS.
    page.goto("/approvisionnement/ocds/exporter/")
    page.get_by_label("Du").fill("2020-01-01")
    page.get_by_label("Au (inclus)").fill("2030-12-31")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger").click()
    package = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert validate_package(package) == []
    assert len(package["releases"]) == 204


def test_an_officer_sees_why_a_malformed_file_is_refused(page, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    broken = tmp_path / "broken.json"
    broken.write_text('{"releases": [', encoding="utf-8")
    log_in(page, officer.email)

    page.goto("/approvisionnement/ocds/importer/")
    page.get_by_label("Paquet de publications OCDS (JSON)").set_input_files(str(broken))
    page.get_by_role("button", name="Importer").click()

    expect(page.get_by_role("alert")).to_contain_text("pas un JSON valide")
    assert not ProcurementProcess.objects.exists()
