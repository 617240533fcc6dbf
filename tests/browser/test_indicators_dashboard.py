"""A manager's journey: open the dashboard, change the period, set a target, export XLSX."""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.indicators.factories_pages import YEAR_2024, YEAR_2025, write_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q1_2025 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q4_2024 = (dt.date(2024, 10, 1), dt.date(2024, 12, 31))


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_manager_changes_the_period_sets_a_target_and_exports_xlsx(page, manager, organization):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024, Q1_2025, Q4_2024])
    log_in(page, manager.email)

    page.goto("/indicateurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs de Ville de Longueuil")

    # The period: a year, then a quarter, each compared with the one before.
    page.get_by_label(re.compile("^Année")).fill("2025")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#period-summary")).to_contain_text("données pour 2025, comparées à 2024")
    page.get_by_label(re.compile("^Période")).select_option(label="Trimestre")
    page.get_by_label(re.compile("^Trimestre")).select_option(label="T1")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#period-summary")).to_contain_text("T1 2025, comparées à T4 2024")
    expect(page.get_by_role("img", name="L'entonnoir des fournisseurs")).to_be_visible()

    # A target for that quarter, shown with its progress and gap.
    page.get_by_role("link", name="Fixer une cible").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fixer une cible")
    page.get_by_label(re.compile("^Indicateur")).select_option(
        label="Part des achats auprès des EÉS"
    )
    page.get_by_role("spinbutton", name=re.compile("^Cible")).fill("25")
    page.get_by_role("button", name="Enregistrer la cible").click()
    expect(page.get_by_text("La cible est enregistrée.")).to_be_visible()
    expect(page.locator("#period-summary")).to_contain_text("T1 2025")
    progress = page.locator("#target-ees_spend_share")
    expect(progress).to_contain_text("25,0\xa0%")
    expect(progress).to_contain_text("+3,6\xa0pts")

    # The export of that quarter, opened as a spreadsheet.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter (Excel XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == (
        "indicateurs-ville-de-longueuil-2025-01-01-2025-03-31.xlsx"
    )
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("portée", "code", "indicateur")
    spend = next(row for row in rows if row[1] == "ees_spend" and row[4] is None)
    assert float(spend[7]) == 40000


def test_a_bad_range_is_announced_to_the_keyboard_user(page, manager, organization):
    log_in(page, manager.email)
    page.goto(f"/indicateurs/organisation/{organization.pk}/")

    page.get_by_label(re.compile("^Période")).select_option(label="Période personnalisée")
    page.get_by_label("Du (période personnalisée)").fill("2025-06-30")
    page.get_by_label("Au (période personnalisée)").fill("2025-01-01")
    page.get_by_label("Au (période personnalisée)").press("Enter")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "La date de fin doit être égale ou postérieure à la date de début."
    )
