import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory import services
from directory.models import SupplierRegistration
from tests.factories import (
    EnterpriseFactory,
    OrganizationFactory,
    RepresentativeFactory,
    SupplierRegistrationFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/supplier-registrations/"


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="Coop Paniers", neq="2240000100")


@pytest.fixture
def representative(enterprise):
    return RepresentativeFactory(enterprise=enterprise, user__email="josee@coop.example").user


@pytest.fixture
def registration(enterprise, organization):
    return SupplierRegistrationFactory(
        enterprise=enterprise, organization=organization, registered_on=date(2025, 3, 1)
    )


# --- Services -------------------------------------------------------------------------
def test_registering_keeps_the_date_and_withdrawing_keeps_both(enterprise, organization):
    registration = services.register_in_supplier_file(
        enterprise=enterprise, organization=organization, registered_on=date(2025, 1, 15)
    )

    services.withdraw_from_supplier_file(registration=registration, withdrawn_on=date(2025, 6, 30))

    registration.refresh_from_db()
    assert registration.registered_on == date(2025, 1, 15)
    assert registration.withdrawn_on == date(2025, 6, 30)
    assert SupplierRegistration.objects.active_on(date(2025, 6, 29)).count() == 1
    assert SupplierRegistration.objects.active_on(date(2025, 6, 30)).count() == 0


def test_an_enterprise_registers_only_once_at_a_time(registration):
    with pytest.raises(ValidationError, match="déjà inscrite"):
        services.register_in_supplier_file(
            enterprise=registration.enterprise, organization=registration.organization
        )


def test_after_a_withdrawal_an_enterprise_may_register_again(registration):
    services.withdraw_from_supplier_file(registration=registration)

    again = services.register_in_supplier_file(
        enterprise=registration.enterprise, organization=registration.organization
    )

    assert again.pk != registration.pk
    assert SupplierRegistration.objects.filter(enterprise=registration.enterprise).count() == 2


def test_a_registration_cannot_be_dated_in_the_future(enterprise, organization):
    with pytest.raises(ValidationError):
        services.register_in_supplier_file(
            enterprise=enterprise,
            organization=organization,
            registered_on=timezone.localdate() + timedelta(days=1),
        )


def test_a_withdrawal_cannot_precede_the_registration(registration):
    with pytest.raises(ValidationError):
        services.withdraw_from_supplier_file(
            registration=registration, withdrawn_on=date(2025, 2, 1)
        )
    registration.refresh_from_db()
    assert registration.withdrawn_on is None


def test_a_registration_is_withdrawn_only_once(registration):
    services.withdraw_from_supplier_file(registration=registration)

    with pytest.raises(ValidationError):
        services.withdraw_from_supplier_file(registration=registration)


def test_the_history_records_who_registered(enterprise, organization, officer):
    registration = services.register_in_supplier_file(
        enterprise=enterprise, organization=organization, by=officer
    )

    assert registration.history.get().history_user == officer


# --- A representative's side ----------------------------------------------------------
def test_a_representative_registers_and_withdraws_their_enterprise(
    client, representative, enterprise, organization
):
    client.force_login(representative)

    client.post(
        reverse("directory:my-enterprise-supplier-join", args=[enterprise.pk]),
        {"organization": organization.pk},
    )
    registration = SupplierRegistration.objects.get(enterprise=enterprise)
    page = client.get(reverse("directory:my-enterprise", args=[enterprise.pk])).content.decode()
    assert "Ville de Longueuil" in page

    client.post(
        reverse("directory:my-enterprise-supplier-withdraw", args=[enterprise.pk, registration.pk])
    )

    registration.refresh_from_db()
    assert registration.withdrawn_on == timezone.localdate()


def test_a_representative_cannot_withdraw_another_enterprise_registration(
    client, representative, enterprise, organization
):
    other = SupplierRegistrationFactory(organization=organization)
    client.force_login(representative)

    response = client.post(
        reverse("directory:my-enterprise-supplier-withdraw", args=[enterprise.pk, other.pk])
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_on is None


# --- Organization staff ---------------------------------------------------------------
@pytest.mark.parametrize("actor", ["officer", "buyer", "manager"])
def test_every_role_of_the_organization_sees_its_supplier_file(
    client, request, actor, registration
):
    SupplierRegistrationFactory(enterprise=EnterpriseFactory(name="Coop d’ailleurs"))
    client.force_login(request.getfixturevalue(actor))

    page = client.get(reverse("directory:supplier-file")).content.decode()

    assert "Coop Paniers" in page
    assert "Coop d’ailleurs" not in page
    assert "1 inscription" in page


def test_an_outsider_sees_nothing_of_another_organization_file(client, outsider, registration):
    client.force_login(outsider)

    page = client.get(
        reverse("directory:supplier-file"), {"organization": registration.organization_id}
    ).content.decode()

    assert "Coop Paniers" not in page


def test_a_user_without_organization_is_refused(client, stranger):
    client.force_login(stranger)

    assert client.get(reverse("directory:supplier-file")).status_code == 403
    assert client.get(reverse("directory:supplier-file-export")).status_code == 403


def test_coordinators_see_every_organization_file(client, coordinator, registration):
    SupplierRegistrationFactory(enterprise=EnterpriseFactory(name="Coop d’ailleurs"))
    client.force_login(coordinator)

    page = client.get(reverse("directory:supplier-file")).content.decode()

    assert "Coop Paniers" in page
    assert "Coop d’ailleurs" in page


def test_the_file_shows_who_was_registered_on_a_given_day(client, officer, registration):
    services.withdraw_from_supplier_file(registration=registration, withdrawn_on=date(2025, 6, 1))
    client.force_login(officer)

    before = client.get(reverse("directory:supplier-file"), {"active_on": "2025-05-01"})
    after = client.get(reverse("directory:supplier-file"), {"active_on": "2025-07-01"})
    every = client.get(reverse("directory:supplier-file"), {"active_on": ""})

    assert "Coop Paniers" in before.content.decode()
    assert "Coop Paniers" not in after.content.decode()
    assert "Coop Paniers" in every.content.decode()


def test_a_bad_date_filter_is_explained_not_a_crash(client, officer, registration):
    client.force_login(officer)

    response = client.get(reverse("directory:supplier-file"), {"active_on": "31/31/2025"})

    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()


def test_the_supplier_file_page_has_a_constant_query_count(
    client, officer, organization, django_assert_num_queries
):
    client.force_login(officer)
    SupplierRegistrationFactory.create_batch(2, organization=organization)
    client.get(reverse("directory:supplier-file"))  # warm the session
    # session, user, roles ×2, organizations ×3 (filter, add form, editable), count, regions, page
    with django_assert_num_queries(10):
        client.get(reverse("directory:supplier-file"))

    SupplierRegistrationFactory.create_batch(8, organization=organization)
    with django_assert_num_queries(10):
        client.get(reverse("directory:supplier-file"))


def test_officers_add_an_enterprise_by_neq_and_withdraw_it(
    client, officer, enterprise, organization
):
    client.force_login(officer)

    client.post(
        reverse("directory:supplier-file-add"),
        {"organization": organization.pk, "neq": "2240 000 100", "registered_on": "2025-02-03"},
    )
    registration = SupplierRegistration.objects.get(enterprise=enterprise)
    assert registration.registered_on == date(2025, 2, 3)

    client.post(reverse("directory:supplier-file-withdraw", args=[registration.pk]))

    registration.refresh_from_db()
    assert registration.withdrawn_on is not None


def test_an_unknown_neq_is_explained(client, officer, organization):
    client.force_login(officer)

    response = client.post(
        reverse("directory:supplier-file-add"),
        {"organization": organization.pk, "neq": "2240009999"},
        follow=True,
    )

    assert "Aucune entreprise du répertoire n’a ce NEQ." in response.content.decode()
    assert not SupplierRegistration.objects.exists()


def test_buyers_read_but_do_not_change_the_file(client, buyer, registration, enterprise):
    client.force_login(buyer)

    add = client.post(
        reverse("directory:supplier-file-add"),
        {"organization": registration.organization_id, "neq": enterprise.neq},
    )
    withdraw = client.post(reverse("directory:supplier-file-withdraw", args=[registration.pk]))

    assert add.status_code == withdraw.status_code == 403
    registration.refresh_from_db()
    assert registration.withdrawn_on is None


def test_an_outsider_cannot_add_to_another_organization_file(client, outsider, organization):
    client.force_login(outsider)

    response = client.post(
        reverse("directory:supplier-file-add"),
        {"organization": organization.pk, "neq": EnterpriseFactory().neq},
    )

    assert response.status_code == 403
    assert not SupplierRegistration.objects.exists()


def test_an_outsider_cannot_withdraw_from_another_organization_file(client, outsider, registration):
    client.force_login(outsider)

    response = client.post(reverse("directory:supplier-file-withdraw", args=[registration.pk]))

    assert response.status_code == 404


def test_staff_export_their_supplier_file_to_xlsx_with_dates(client, manager, registration):
    SupplierRegistrationFactory(enterprise=EnterpriseFactory(name="Coop d’ailleurs"))
    client.force_login(manager)

    response = client.get(
        reverse("directory:supplier-file-export"),
        {"format": "xlsx", "columns": ["name", "neq", "organization", "registered_on"]},
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == ("Nom", "NEQ", "Organisation", "Inscrite le")
    assert rows[1][:3] == ("Coop Paniers", "2240000100", "Ville de Longueuil")
    assert rows[1][3].date() == date(2025, 3, 1)
    assert len(rows) == 2


def test_the_supplier_file_export_follows_the_filters(client, officer, registration):
    services.withdraw_from_supplier_file(registration=registration, withdrawn_on=date(2025, 6, 1))
    client.force_login(officer)

    today = client.get(
        reverse("directory:supplier-file-export"), {"format": "csv", "columns": ["name"]}
    )
    spring = client.get(
        reverse("directory:supplier-file-export"),
        {"format": "csv", "columns": ["name"], "active_on": "2025-04-01"},
    )

    assert "Coop Paniers" not in today.content.decode("utf-8-sig")
    assert "Coop Paniers" in spring.content.decode("utf-8-sig")


# --- API ------------------------------------------------------------------------------
def test_the_api_lists_the_organization_file_with_its_fields(api_client, officer, registration):
    SupplierRegistrationFactory(organization=OrganizationFactory(name="Ailleurs"))
    api_client.force_authenticate(officer)

    response = api_client.get(API)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": registration.pk,
            "enterprise": registration.enterprise_id,
            "organization": registration.organization_id,
            "registered_on": "2025-03-01",
            "withdrawn_on": None,
        }
    ]


def test_the_api_list_has_a_constant_query_count(
    api_client, coordinator, django_assert_num_queries
):
    SupplierRegistrationFactory.create_batch(3)
    api_client.force_authenticate(coordinator)
    api_client.get(API)  # roles are computed once and kept on the user
    with django_assert_num_queries(2):  # count, page
        api_client.get(API)
    SupplierRegistrationFactory.create_batch(10)
    with django_assert_num_queries(2):
        api_client.get(API)


def test_the_api_filters_by_day_in_force(api_client, officer, registration):
    services.withdraw_from_supplier_file(registration=registration, withdrawn_on=date(2025, 6, 1))
    api_client.force_authenticate(officer)

    assert api_client.get(API, {"active_on": "2025-05-01"}).json()["count"] == 1
    assert api_client.get(API, {"active_on": "2025-07-01"}).json()["count"] == 0
    assert api_client.get(API, {"active_on": "pas-une-date"}).status_code == 400


def test_an_outsider_sees_no_registration_of_another_organization(
    api_client, outsider, registration
):
    api_client.force_authenticate(outsider)

    assert api_client.get(API).json()["count"] == 0
    assert api_client.get(f"{API}{registration.pk}/").status_code == 404
    assert api_client.post(f"{API}{registration.pk}/withdraw/").status_code == 404


def test_a_visitor_cannot_use_the_api(api_client, registration):
    assert api_client.get(API).status_code in (401, 403)


def test_an_officer_registers_an_enterprise_through_the_api(api_client, officer, organization):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(officer)

    response = api_client.post(
        API,
        {
            "enterprise": enterprise.pk,
            "organization": organization.pk,
            "registered_on": "2025-01-02",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["registered_on"] == "2025-01-02"
    assert SupplierRegistration.objects.get().history.get().history_user == officer


def test_a_buyer_cannot_register_through_the_api(api_client, buyer, organization):
    api_client.force_authenticate(buyer)

    response = api_client.post(
        API, {"enterprise": EnterpriseFactory().pk, "organization": organization.pk}, format="json"
    )

    assert response.status_code == 403


def test_an_outsider_cannot_register_into_another_organization(api_client, outsider, organization):
    api_client.force_authenticate(outsider)

    response = api_client.post(
        API, {"enterprise": EnterpriseFactory().pk, "organization": organization.pk}, format="json"
    )

    assert response.status_code == 403
    assert not SupplierRegistration.objects.exists()


def test_a_representative_registers_and_withdraws_their_own_enterprise_through_the_api(
    api_client, representative, enterprise, organization
):
    api_client.force_authenticate(representative)

    created = api_client.post(
        API, {"enterprise": enterprise.pk, "organization": organization.pk}, format="json"
    )
    withdrawn = api_client.post(f"{API}{created.json()['id']}/withdraw/", {}, format="json")

    assert created.status_code == 201
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_on"] == timezone.localdate().isoformat()


def test_a_representative_cannot_register_another_enterprise(
    api_client, representative, organization
):
    api_client.force_authenticate(representative)

    response = api_client.post(
        API, {"enterprise": EnterpriseFactory().pk, "organization": organization.pk}, format="json"
    )

    assert response.status_code == 403


def test_a_duplicate_registration_is_a_400_in_french(api_client, officer, registration):
    api_client.force_authenticate(officer)

    response = api_client.post(
        API,
        {"enterprise": registration.enterprise_id, "organization": registration.organization_id},
        format="json",
    )

    assert response.status_code == 400
    assert "déjà inscrite" in str(response.json())
    assert SupplierRegistration.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"enterprise": 999999, "organization": "ORG"},
        {"enterprise": "ENT", "organization": "ORG", "registered_on": "hier"},
        {"organization": "ORG"},
    ],
)
def test_bad_input_is_a_400_not_a_500(api_client, officer, organization, enterprise, payload):
    api_client.force_authenticate(officer)
    values = {"ORG": organization.pk, "ENT": enterprise.pk}
    payload = {key: values.get(value, value) for key, value in payload.items()}

    response = api_client.post(API, payload, format="json")

    assert response.status_code == 400
    assert not SupplierRegistration.objects.exists()


def test_a_withdrawal_before_the_registration_is_a_400(api_client, officer, registration):
    api_client.force_authenticate(officer)

    response = api_client.post(
        f"{API}{registration.pk}/withdraw/", {"withdrawn_on": "2024-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "La date de retrait doit suivre la date d’inscription." in str(response.json())


def test_a_buyer_cannot_withdraw_through_the_api(api_client, buyer, registration):
    api_client.force_authenticate(buyer)

    response = api_client.post(f"{API}{registration.pk}/withdraw/", {}, format="json")

    assert response.status_code == 403


def test_registrations_cannot_be_edited_or_deleted_through_the_api(
    api_client, coordinator, registration
):
    api_client.force_authenticate(coordinator)

    assert api_client.patch(f"{API}{registration.pk}/", {}, format="json").status_code == 405
    assert api_client.delete(f"{API}{registration.pk}/").status_code == 405
