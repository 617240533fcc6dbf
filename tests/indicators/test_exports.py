"""CSV and XLSX exports: every indicator and part, inert in a spreadsheet, for the right people."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators import exports
from indicators.catalogue import CATALOGUE
from tests.factories import OrganizationFactory, SectorFactory
from tests.indicators.factories_pages import (  # noqa: F401 (fixture)
    YEAR_2024,
    YEAR_2025,
    fresh_cache,
    write_snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

HOSTILE = '=HYPERLINK("https://evil.example","clic")'


def read_csv(response) -> list[dict]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def read_xlsx(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def export(client, organization, fmt, **params):
    url = reverse("indicators:organization-export", args=[organization.pk, fmt])
    return client.get(url, {"kind": "year", "year": 2025, **params})


def test_the_csv_holds_every_indicator_and_its_breakdown_parts(client, manager, organization):
    SectorFactory(code="72")
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)

    response = export(client, organization, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="indicateurs-ville-de-longueuil-2025-01-01-2025-12-31.csv"'
        in (response["Content-Disposition"])
    )
    rows = read_csv(response)
    assert list(rows[0]) == [
        "portée",
        "code",
        "indicateur",
        "unité",
        "ventilation",
        "clé",
        "partie",
        "valeur",
        "numérateur",
        "dénominateur",
        "début de la période",
        "fin de la période",
        "calculé le",
    ]
    totals = {row["code"]: row for row in rows if row["ventilation"] == ""}
    assert set(totals) == {indicator.code for indicator in CATALOGUE}
    assert totals["ees_spend"]["valeur"] == "40000.00"
    assert totals["ees_spend"]["indicateur"] == "Valeur des contrats octroyés à des EÉS"
    assert totals["ees_spend_share"]["numérateur"] == "40000.00"
    assert totals["ees_spend_share"]["dénominateur"] == "140000.00"
    assert totals["ees_spend"]["début de la période"] == "2025-01-01"
    assert totals["ees_spend"]["portée"] == "Ville de Longueuil"
    parts = [row for row in rows if row["code"] == "ees_spend" and row["ventilation"]]
    by = {(row["ventilation"], row["clé"]): row["valeur"] for row in parts}
    assert by[("method", "invitation")] == "30000.00"
    assert by[("sector", "72")] == "30000.00"
    assert by[("region", "16")] == "40000.00"
    assert by[("month", "2025-03")] == "30000.00"
    assert not any(row["ventilation"] == "organization" for row in rows)
    kinds = [row for row in rows if row["ventilation"] == "kind"]
    assert [(row["code"], row["clé"], row["valeur"]) for row in kinds][0] == (
        "activity_participants",
        "matchmaking",
        "40",
    )


def test_the_xlsx_has_numbers_and_dates_excel_understands(client, manager, organization):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)

    response = export(client, organization, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response)
    spend = next(r for r in rows if r["code"] == "ees_spend" and r["ventilation"] is None)
    assert Decimal(str(spend["valeur"])) == Decimal("40000")
    assert spend["début de la période"] == dt.datetime(2025, 1, 1)
    assert isinstance(spend["calculé le"], dt.datetime)
    contracts = next(r for r in rows if r["code"] == "ees_contracts" and not r["ventilation"])
    assert contracts["valeur"] == 2


def test_formulas_are_neutralized_in_both_formats():
    assert exports.neutralize(HOSTILE) == "'" + HOSTILE
    assert exports.neutralize("+1") == "'+1"
    assert exports.neutralize("-1") == "'-1"
    assert exports.neutralize("@SUM(A1)") == "'@SUM(A1)"
    assert exports.neutralize("Ville de Longueuil") == "Ville de Longueuil"
    assert exports.neutralize(Decimal("-1")) == Decimal("-1")  # numbers stay numbers

    table = [["scope", "code", HOSTILE, "CAD", "", "", HOSTILE, Decimal(1), None, None]]
    table[0] += [dt.date(2025, 1, 1), dt.date(2025, 12, 31), None]
    csv_text = exports.to_csv(table).decode("utf-8")
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(table))).active

    assert ",\"'=HYPERLINK(" in csv_text
    assert ",=HYPERLINK" not in csv_text
    assert ',"=HYPERLINK' not in csv_text
    assert sheet["C2"].value == "'" + HOSTILE
    assert sheet["C2"].data_type == "s"


def test_a_hostile_organization_name_is_inert_in_the_platform_export(client, coordinator):
    hostile = OrganizationFactory(name=HOSTILE)
    write_snapshot(scopes=[None, hostile.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(coordinator)

    response = client.get(
        reverse("indicators:platform-export", args=["xlsx"]), {"kind": "year", "year": 2025}
    )

    rows = read_xlsx(response)
    parts = [r for r in rows if r["ventilation"] == "organization" and r["code"] == "ees_spend"]
    assert [r["partie"] for r in parts] == ["'" + HOSTILE]
    assert Decimal(str(parts[0]["valeur"])) == Decimal("40000")


def test_the_public_export_never_breaks_down_by_organization(client):
    named = OrganizationFactory(name="Ville secrète")
    write_snapshot(scopes=[None, named.pk], periods=[YEAR_2025, YEAR_2024])

    response = client.get(
        reverse("indicators:public-export", args=["csv"]), {"kind": "year", "year": 2025}
    )

    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert "Ville secrète" not in body
    assert ",organization," not in body
    assert "Toutes les organisations" in body


@pytest.mark.parametrize("actor", ["outsider", "stranger"])
def test_an_outsider_cannot_export_another_organizations_indicators(
    client, organization, actor, request
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(request.getfixturevalue(actor))

    assert export(client, organization, "csv").status_code == 403
    assert export(client, organization, "xlsx").status_code == 403


def test_a_visitor_cannot_export_an_organization_or_the_platform(client, organization):
    assert export(client, organization, "csv").status_code == 302
    assert client.get(reverse("indicators:platform-export", args=["csv"])).status_code == 302


def test_only_coordinators_export_the_platform(client, manager):
    client.force_login(manager)

    assert client.get(reverse("indicators:platform-export", args=["csv"])).status_code == 403


def test_an_export_with_a_bad_period_is_a_400(client, manager, organization):
    client.force_login(manager)

    response = export(
        client, organization, "csv", kind="custom", start="2025-05-01", end="2025-01-01"
    )

    assert response.status_code == 400
    assert "La date de fin doit être égale ou postérieure" in response.content.decode()


def test_an_unknown_export_format_is_a_404(client, manager, organization):
    client.force_login(manager)

    assert export(client, organization, "pdf").status_code == 404
