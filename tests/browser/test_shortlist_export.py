"""Journey of a buyer: find enterprises, keep them on a shortlist, export it to XLSX."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from directory.search import refresh_search_documents
from tests.conftest import PASSWORD
from tests.factories import EnterpriseFactory, ManagerContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_buyer_builds_a_shortlist_and_exports_it_to_xlsx(page, buyer, tmp_path):
    paniers = EnterpriseFactory(
        name="Coop Paniers solidaires",
        neq="2240000123",
        phone="+1 450 555-0101",
        mission="Traiteur coopératif.",
    )
    ManagerContactFactory(enterprise=paniers, name="Josée Tremblay", email="josee@paniers.example")
    EnterpriseFactory(name="Atelier Réemploi", neq="2240000124")
    refresh_search_documents()

    page.goto("/accounts/login/")
    page.get_by_label("Adresse courriel").fill(buyer.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Find the enterprise and put it on a new list from its profile.
    page.goto("/annuaire/?q=paniers")
    page.get_by_role("link", name="Coop Paniers solidaires").click()
    page.get_by_label("Nouvelle liste nommée").fill("Gala 2026")
    page.locator(f"#shortlist-{paniers.pk}-note").fill("Demander une soumission en mai")
    page.get_by_role("button", name="Ajouter Coop Paniers solidaires à la liste").click()
    expect(page.get_by_text("a été ajoutée à la liste « Gala 2026 »")).to_be_visible()

    # The list keeps the note.
    page.goto("/annuaire/listes/")
    page.get_by_role("link", name="Gala 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gala 2026")
    expect(page.get_by_role("rowheader", name="Coop Paniers solidaires")).to_be_visible()
    expect(page.get_by_label("Note sur Coop Paniers solidaires")).to_have_value(
        "Demander une soumission en mai"
    )

    # Export to XLSX with the chosen columns, contacts included (buyers may see them).
    export = page.get_by_role("region", name="Exporter cette liste")
    export.get_by_label("Excel (XLSX)").check()
    export.get_by_label("Site Web").uncheck()
    export.get_by_label("Personnes-ressources de la direction").check()
    export.get_by_label("Note de la liste").check()
    with page.expect_download() as download_info:
        export.get_by_role("button", name="Télécharger").click()
    download = download_info.value
    assert re.fullmatch(r"Gala 2026-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    path = tmp_path / "export.xlsx"
    download.save_as(path)

    rows = list(load_workbook(path).active.values)
    header = rows[0]
    assert "Site Web" not in header
    assert len(rows) == 2
    line = dict(zip(header, rows[1], strict=True))
    assert line["Nom"] == "Coop Paniers solidaires"
    assert line["NEQ"] == "2240000123"
    assert line["Téléphone"] == "'+1 450 555-0101"  # neutralized: never run as a formula
    assert "Josée Tremblay" in line["Personnes-ressources de la direction"]
    assert line["Note de la liste"] == "Demander une soumission en mai"
