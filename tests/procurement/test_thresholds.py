"""Thresholds as dated, editable data, and the yearly cumulative awards per supplier."""

import datetime as dt
from decimal import Decimal

import pytest

from procurement import services
from procurement.models import Award, Method, Threshold
from tests.factories import AwardFactory, EnterpriseFactory
from tests.procurement.factories_data import ThresholdFactory

pytestmark = pytest.mark.django_db


def test_the_seeded_thresholds_follow_domain_md():
    public = dict(
        Threshold.objects.filter(kind=Threshold.Kind.PUBLIC_TENDER).values_list(
            "effective_from", "amount"
        )
    )

    assert public[dt.date(2019, 1, 1)] == Decimal("101100.00")
    assert public[dt.date(2022, 1, 1)] == Decimal("105700.00")
    assert public[dt.date(2022, 10, 7)] == Decimal("121200.00")
    assert Threshold.in_force(Threshold.Kind.INVITATION, dt.date(2025, 6, 1)) == Decimal("25000")


def test_a_new_threshold_applies_from_its_date_only():
    ThresholdFactory(amount=Decimal("150000"), effective_from=dt.date(2030, 1, 1))

    def warning(on):
        return services.threshold_warning(method=Method.INVITATION, value=Decimal("140000"), on=on)

    assert warning(dt.date(2029, 12, 31))  # 133 800 $ in force
    assert warning(dt.date(2030, 1, 1)) == ""


# --- API ---------------------------------------------------------------------------------------


def test_staff_read_the_thresholds(api_client, buyer):
    api_client.force_authenticate(buyer)

    response = api_client.get("/api/thresholds/?kind=public_tender")

    assert response.status_code == 200
    amounts = [row["amount"] for row in response.json()["results"]]
    assert "121200.00" in amounts


def test_a_stranger_does_not_read_the_thresholds(api_client, stranger):
    api_client.force_authenticate(stranger)

    assert api_client.get("/api/thresholds/").status_code == 403


def test_a_coordinator_adds_the_next_ministerial_order(api_client, coordinator):
    api_client.force_authenticate(coordinator)

    response = api_client.post(
        "/api/thresholds/",
        {
            "kind": "public_tender",
            "amount": "139000.00",
            "effective_from": "2026-01-01",
            "source": "Arrêté ministériel (2026)",
        },
        format="json",
    )

    assert response.status_code == 201
    assert Threshold.in_force(Threshold.Kind.PUBLIC_TENDER, dt.date(2026, 3, 1)) == Decimal(
        "139000.00"
    )
    assert Threshold.objects.get(pk=response.json()["id"]).history.get().history_user == coordinator


def test_an_officer_cannot_edit_thresholds(api_client, officer):
    api_client.force_authenticate(officer)

    response = api_client.post(
        "/api/thresholds/",
        {"kind": "public_tender", "amount": "1.00", "effective_from": "2026-01-01"},
        format="json",
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"effective_from": "2022-10-07"}, "non_field_errors"),
        ({"kind": "whatever"}, "kind"),
    ],
)
def test_bad_thresholds_get_a_400(api_client, coordinator, payload, field):
    api_client.force_authenticate(coordinator)

    response = api_client.post(
        "/api/thresholds/",
        {"kind": "public_tender", "amount": "139000.00", "effective_from": "2026-01-01", **payload},
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()


def test_a_duplicate_threshold_is_refused_in_french(api_client, coordinator):
    api_client.force_authenticate(coordinator)

    response = api_client.post(
        "/api/thresholds/",
        {"kind": "public_tender", "amount": "1.00", "effective_from": "2022-10-07"},
        format="json",
    )

    assert response.json()["non_field_errors"] == [
        "Un seuil de ce type entre déjà en vigueur à cette date."
    ]


# --- cumulative awards -------------------------------------------------------------------------


@pytest.fixture
def year_of_awards(organization, other_organization):
    big, small, exact = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    for amount in ("15000.00", "10000.01"):
        AwardFactory(process__organization=organization, enterprise=big, amount=Decimal(amount))
    AwardFactory(process__organization=organization, enterprise=small, amount=Decimal("9000"))
    AwardFactory(process__organization=organization, enterprise=exact, amount=Decimal("25000"))
    AwardFactory(
        process__organization=organization,
        enterprise=small,
        amount=Decimal("90000"),
        status=Award.Status.CANCELLED,
    )
    AwardFactory(
        process__organization=organization,
        enterprise=small,
        amount=Decimal("90000"),
        awarded_on=dt.date(2024, 12, 31),
    )
    AwardFactory(process__organization=other_organization, enterprise=small, amount=Decimal("1e5"))
    return big, small, exact


def test_cumulative_awards_flag_suppliers_above_25000_in_the_year(
    api_client, buyer, organization, year_of_awards
):
    big, small, exact = year_of_awards
    api_client.force_authenticate(buyer)

    response = api_client.get(f"/api/awards/cumulative/?organization={organization.pk}&year=2025")

    assert response.status_code == 200
    body = response.json()
    assert body["threshold"] == "25000.00"
    rows = {row["enterprise"]: row for row in body["rows"]}
    assert rows[big.pk]["total"] == "25000.01"
    assert rows[big.pk]["contracts"] == 2
    assert rows[big.pk]["above_threshold"] is True
    assert rows[exact.pk]["above_threshold"] is False  # "above", not "at"
    assert rows[small.pk]["total"] == "9000.00"  # cancelled, 2024 and elsewhere left out
    assert [row["enterprise"] for row in body["rows"]][0] == big.pk


def test_an_outsider_cannot_see_another_organizations_cumulative_awards(
    api_client, outsider, organization, year_of_awards
):
    api_client.force_authenticate(outsider)

    response = api_client.get(f"/api/awards/cumulative/?organization={organization.pk}&year=2025")

    assert response.status_code == 403


@pytest.mark.parametrize(
    "query", ["", "?organization=1", "?year=2025", "?organization=x&year=2025"]
)
def test_the_cumulative_report_needs_an_organization_and_a_year(api_client, coordinator, query):
    api_client.force_authenticate(coordinator)

    assert api_client.get(f"/api/awards/cumulative/{query}").status_code == 400


# --- admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    from tests.factories import UserFactory

    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_admin_edits_thresholds_and_shows_their_history(admin_client):
    threshold = Threshold.objects.get(kind="public_tender", effective_from=dt.date(2022, 10, 7))

    listing = admin_client.get("/admin/procurement/threshold/")
    history = admin_client.get(f"/admin/procurement/threshold/{threshold.pk}/history/")

    assert listing.status_code == 200
    assert "121200" in listing.content.decode().replace("\xa0", "").replace(" ", "")
    assert history.status_code == 200


def test_the_admin_never_deletes_an_award(admin_client, organization):
    award = AwardFactory(process__organization=organization)

    response = admin_client.post(f"/admin/procurement/award/{award.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Award.objects.filter(pk=award.pk).exists()


@pytest.mark.parametrize(
    "model",
    [
        "annualneed",
        "procurementprocess",
        "invitation",
        "bid",
        "award",
        "activity",
        "businesscontact",
    ],
)
def test_every_procurement_record_is_in_the_admin(admin_client, model):
    assert admin_client.get(f"/admin/procurement/{model}/").status_code == 200
