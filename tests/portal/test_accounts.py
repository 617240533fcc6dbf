import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.models import Organization, User
from portal.accounts.roles import roles_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_users_log_in_with_their_email_in_any_case(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": "ALICE@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:account")


def test_a_wrong_password_is_refused_with_a_french_message(client, officer):
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": "nope"}
    )

    assert response.status_code == 200
    assert "Saisissez une adresse courriel et un mot de passe valides." in response.content.decode()


def test_login_is_locked_after_repeated_failures(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": "x"})

    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "temporairement verrouillé" in response.content.decode()


def test_password_reset_sends_a_link_by_email(client, officer):
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_account_page_lists_the_roles_of_the_user(client, officer, organization):
    client.force_login(officer)

    response = client.get(reverse("accounts:account"))

    assert "Ville de Longueuil" in response.content.decode()
    assert "Agent d’approvisionnement" in response.content.decode()


def test_account_page_needs_a_login(client):
    response = client.get(reverse("accounts:account"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_user_can_create_an_api_token_and_use_it(client, api_client, officer):
    client.force_login(officer)
    client.post(reverse("accounts:token"))
    key = officer.auth_token.key

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/organizations/")

    assert response.status_code == 200


def test_roles_are_computed_in_one_place(
    officer, buyer, manager, outsider, coordinator, organization, other_organization
):
    assert roles_for(officer).can_write(organization.id)
    assert not roles_for(buyer).can_write(organization.id)
    assert roles_for(buyer).can_read(organization.id)
    assert roles_for(manager).can_manage(organization.id)
    assert not roles_for(outsider).can_read(organization.id)
    assert roles_for(coordinator).can_write(organization.id)
    assert roles_for(coordinator).can_read(other_organization.id)
    assert not roles_for(None).authenticated


def test_superuser_is_a_coordinator():
    user = User.objects.create_superuser("root@example.org", "pw-123456789")

    assert user.is_coordinator
    assert user.is_staff


def test_a_signed_commitment_needs_a_signatory(organization):
    from django.core.exceptions import ValidationError

    organization.commitment_signed_on = "2024-05-01"
    with pytest.raises(ValidationError):
        organization.full_clean()


def test_organizations_api_is_public_to_read_and_closed_to_write(api_client, organization, officer):
    assert api_client.get("/api/organizations/").status_code == 200

    api_client.force_authenticate(officer)
    response = api_client.post(
        "/api/organizations/", {"name": "X", "kind": "municipal", "region": organization.region_id}
    )
    assert response.status_code == 403
    assert Organization.objects.count() == 1


def test_coordinator_creates_an_organization_through_the_api(api_client, coordinator, organization):
    api_client.force_authenticate(coordinator)

    response = api_client.post(
        "/api/organizations/",
        {"name": "CSS des Patriotes", "kind": "education", "region": organization.region_id},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Organization.objects.get(name="CSS des Patriotes").slug == "css-des-patriotes"


def test_password_reset_is_rate_limited_per_client(client, officer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"signup": "10/hour", "password_reset": "2/hour"},
    }
    url = reverse("accounts:password_reset")
    statuses = [client.post(url, {"email": "alice@example.org"}).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
