import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from directory.exports import ENTERPRISE_COLUMNS, export_response, neutralize, pick_columns
from directory.search import refresh_search_documents
from tests.directory.factories_members import (
    DraftEnterpriseFactory,
    ShortlistEntryFactory,
    ShortlistFactory,
)
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    ManagerContactFactory,
    MunicipalityFactory,
    OfferingFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.values)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1 514 555-0100", "'+1 514 555-0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Coop = solidarité", "Coop = solidarité"),
        (None, ""),
        (12, 12),
        (Decimal("3.50"), Decimal("3.50")),
        (datetime.date(2025, 1, 2), datetime.date(2025, 1, 2)),
    ],
)
def test_cells_that_a_spreadsheet_would_evaluate_are_neutralized(value, expected):
    assert neutralize(value) == expected


@pytest.fixture
def dangerous(db):
    enterprise = EnterpriseFactory(
        name="=cmd|' /C calc'!A0", neq="2240000200", phone="+1 819 555-0100"
    )
    OfferingFactory(enterprise=enterprise, name="@SUM(1+1)")
    return enterprise


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_both_formats_neutralize_formulas(dangerous, fmt):
    columns = pick_columns(["name", "phone", "offerings"], sees_contacts=False)

    response = export_response(items=[dangerous], columns=columns, fmt=fmt, filename="entreprises")

    rows = _csv(response) if fmt == "csv" else [list(row) for row in _xlsx(response)]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)", "'+1 819 555-0100"]
    if fmt == "xlsx":
        cell = load_workbook(io.BytesIO(response.content)).active["A2"]
        assert cell.data_type == "s"  # a string, never a formula


def test_the_csv_starts_with_a_byte_order_mark_for_excel(dangerous):
    response = export_response(
        items=[dangerous],
        columns=pick_columns(["name"], sees_contacts=False),
        fmt="csv",
        filename="x",
    )

    assert response.content.startswith("\ufeff".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="x-')


def test_contacts_are_dropped_for_those_who_may_not_see_them():
    keys = [column.key for column in ENTERPRISE_COLUMNS]

    assert "contacts" not in [c.key for c in pick_columns(keys, sees_contacts=False)]
    assert "contacts" in [c.key for c in pick_columns(keys, sees_contacts=True)]


@pytest.fixture
def catalogue(db):
    """Three published EÉS with sectors, offerings and contacts, and one draft."""
    sector = SectorFactory()
    category = CategoryFactory()
    municipality = MunicipalityFactory(name="Longueuil")
    for n in range(3):
        enterprise = EnterpriseFactory(
            name=f"Traiteur coop {n}", municipality=municipality, region=municipality.region
        )
        enterprise.sectors.add(sector)
        OfferingFactory(enterprise=enterprise, category=category, name=f"Boîtes-repas {n}")
        ManagerContactFactory(enterprise=enterprise, name=f"Direction {n}")
    DraftEnterpriseFactory(name="Traiteur brouillon")
    refresh_search_documents()
    return sector


def test_a_buyer_exports_search_results_to_xlsx_with_chosen_columns(client, buyer, catalogue):
    client.force_login(buyer)

    response = client.get(
        reverse("directory:export"),
        {
            "q": "traiteur",
            "format": "xlsx",
            "columns": ["name", "municipality", "sectors", "contacts"],
        },
    )

    rows = _xlsx(response)
    assert rows[0] == ("Nom", "Municipalité", "Secteurs", "Personnes-ressources de la direction")
    assert sorted(row[0] for row in rows[1:]) == [
        "Traiteur coop 0",
        "Traiteur coop 1",
        "Traiteur coop 2",
    ]
    assert rows[1][1] == "Longueuil"
    assert rows[1][2].startswith("72 ")
    assert "Direction" in rows[1][3]


def test_the_search_export_has_a_constant_query_count(
    client, buyer, catalogue, django_assert_num_queries
):
    client.force_login(buyer)
    params = {"format": "csv", "columns": ["name", "sectors", "offerings", "contacts"]}
    client.get(reverse("directory:export"), params)
    # session, user, roles ×2, enterprises, sectors, offerings, contacts
    with django_assert_num_queries(8):
        client.get(reverse("directory:export"), params)

    for n in range(5):
        enterprise = EnterpriseFactory(name=f"Autre {n}")
        enterprise.sectors.add(catalogue)
        OfferingFactory(enterprise=enterprise)
        ManagerContactFactory(enterprise=enterprise)
    with django_assert_num_queries(8):
        response = client.get(reverse("directory:export"), params)
    assert len(_csv(response)) == 9


def test_the_export_page_offers_columns_and_keeps_the_search(client, buyer, catalogue):
    client.force_login(buyer)

    page = client.get(reverse("directory:export"), {"q": "traiteur"}).content.decode()

    assert "3 entreprises correspondent à cette recherche." in page
    assert 'name="q" value="traiteur"' in page
    assert "Personnes-ressources de la direction" in page


def test_an_export_without_columns_explains_what_is_missing(client, buyer, catalogue):
    client.force_login(buyer)

    response = client.get(reverse("directory:export"), {"format": "csv"})

    assert response.status_code == 200
    assert "Choisissez un format et au moins une colonne." in response.content.decode()


def test_a_bad_format_is_not_a_crash(client, buyer, catalogue):
    client.force_login(buyer)

    response = client.get(reverse("directory:export"), {"format": "pdf", "columns": ["name"]})

    assert response.status_code == 200
    assert "Choisissez un format et au moins une colonne." in response.content.decode()


def test_a_representative_cannot_export_search_results(client, stranger):
    client.force_login(stranger)

    assert client.get(reverse("directory:export")).status_code == 403


def test_a_visitor_is_sent_to_log_in_before_exporting(client):
    assert client.get(reverse("directory:export")).status_code == 302


def test_a_buyer_exports_a_shortlist_with_notes(client, buyer):
    shortlist = ShortlistFactory(owner=buyer, name="Gala")
    ShortlistEntryFactory(
        shortlist=shortlist, enterprise=EnterpriseFactory(name="Coop Paniers"), note="=1+1"
    )
    client.force_login(buyer)

    response = client.get(
        reverse("directory:shortlist-export", args=[shortlist.pk]),
        {"format": "csv", "columns": ["name", "note"]},
    )

    assert _csv(response) == [["Nom", "Note de la liste"], ["Coop Paniers", "'=1+1"]]
    assert 'filename="Gala-' in response["Content-Disposition"]


def test_the_shortlist_export_has_a_constant_query_count(client, buyer, django_assert_num_queries):
    shortlist = ShortlistFactory(owner=buyer)
    ShortlistEntryFactory.create_batch(2, shortlist=shortlist)
    client.force_login(buyer)
    url = reverse("directory:shortlist-export", args=[shortlist.pk])
    params = {"format": "xlsx", "columns": ["name", "sectors", "offerings", "contacts", "note"]}
    client.get(url, params)
    # session, user, roles ×2, list, entries, sectors, offerings, contacts
    with django_assert_num_queries(9):
        client.get(url, params)
    ShortlistEntryFactory.create_batch(7, shortlist=shortlist)
    with django_assert_num_queries(9):
        client.get(url, params)
