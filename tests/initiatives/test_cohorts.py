"""Initiatives and cohorts: creation, participants, the cohort scope, and their pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from directory.models import Enterprise
from portal.initiatives import services
from portal.initiatives.models import Cohort, CohortOrganization, Initiative
from tests.factories import EnterpriseFactory, OrganizationFactory
from tests.initiatives.factories import (
    CallFactory,
    CohortEnterpriseFactory,
    CohortFactory,
    CohortOrganizationFactory,
    InitiativeFactory,
)

pytestmark = pytest.mark.django_db


def test_a_cohort_gives_the_indicator_engine_its_organizations_enterprises_and_dates():
    cohort = CohortFactory(start=datetime.date(2013, 1, 1), end=datetime.date(2015, 12, 31))
    organizations = [CohortOrganizationFactory(cohort=cohort).organization for _ in range(2)]
    enterprise = CohortEnterpriseFactory(cohort=cohort).enterprise
    CohortOrganizationFactory()  # another cohort's organization

    assert sorted(cohort.organization_ids()) == sorted(o.pk for o in organizations)
    assert cohort.enterprise_ids() == [enterprise.pk]
    assert (cohort.start, cohort.end) == (datetime.date(2013, 1, 1), datetime.date(2015, 12, 31))


def test_a_cohort_with_inverted_dates_is_refused(coordinator):
    initiative = InitiativeFactory()

    with pytest.raises(ValidationError, match="La date de fin doit être égale"):
        services.create_cohort(
            initiative=initiative,
            name="Cohorte inversée",
            start=datetime.date(2017, 1, 1),
            end=datetime.date(2016, 1, 1),
            by=coordinator,
        )

    assert not Cohort.objects.exists()


def test_the_database_itself_refuses_a_cohort_with_inverted_dates():
    initiative = InitiativeFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(
            initiative=initiative,
            name="Cohorte",
            start=datetime.date(2017, 1, 1),
            end=datetime.date(2016, 1, 1),
        )


def test_only_a_coordinator_creates_a_cohort(officer):
    with pytest.raises(ValidationError):
        services.create_cohort(
            initiative=InitiativeFactory(),
            name="Cohorte",
            start=datetime.date(2016, 1, 1),
            end=datetime.date(2017, 12, 31),
            by=officer,
        )


def test_an_organization_joins_a_cohort_once_with_its_commitment_date(coordinator, organization):
    cohort = CohortFactory()

    services.add_organization_to_cohort(
        cohort=cohort,
        organization=organization,
        commitment_signed_on=datetime.date(2025, 3, 1),
        by=coordinator,
    )
    with pytest.raises(ValidationError, match="participe déjà"):
        services.add_organization_to_cohort(
            cohort=cohort,
            organization=organization,
            commitment_signed_on=datetime.date(2025, 3, 2),
            by=coordinator,
        )

    assert CohortOrganization.objects.get().commitment_signed_on == datetime.date(2025, 3, 1)


def test_a_commitment_signed_in_the_future_is_refused(coordinator, organization):
    with pytest.raises(ValidationError, match="date future"):
        services.add_organization_to_cohort(
            cohort=CohortFactory(),
            organization=organization,
            commitment_signed_on=datetime.date(2999, 1, 1),
            by=coordinator,
        )


def test_only_a_verified_ees_is_added_to_a_cohort(coordinator):
    supplier = EnterpriseFactory(supplier_only=True)

    with pytest.raises(ValidationError, match="vérifiée"):
        services.add_enterprise_to_cohort(
            cohort=CohortFactory(), enterprise=supplier, by=coordinator
        )


def test_an_initiative_slug_never_shadows_a_page_of_the_app(coordinator):
    initiative = services.create_initiative(
        name="Formation", coordinating_body="Pôle", by=coordinator
    )

    assert initiative.slug == "formation-initiative"
    assert Initiative.objects.get(slug="formation-initiative")


# --- Pages --------------------------------------------------------------------------------


def test_a_visitor_sees_the_initiatives_in_french(client):
    initiative = InitiativeFactory(name="L'économie sociale, j'achète!", coordinating_body="CESIM")
    CohortFactory(initiative=initiative)

    response = client.get(reverse("initiatives:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "L&#x27;économie sociale, j&#x27;achète!" in html
    assert "Coordonnée par CESIM" in html
    assert "1 cohorte" in html


def test_the_initiatives_page_costs_the_same_queries_for_many_initiatives(
    client, django_assert_num_queries
):
    for _ in range(5):
        CohortFactory()
    with django_assert_num_queries(1):
        client.get(reverse("initiatives:index"))
    for _ in range(10):
        CohortFactory()
    with django_assert_num_queries(1):
        client.get(reverse("initiatives:index"))


def test_an_initiative_page_lists_its_cohorts_with_their_participants(client):
    cohort = CohortFactory(name="Projet pilote", start=datetime.date(2013, 9, 1))
    CohortOrganizationFactory(cohort=cohort)
    CohortEnterpriseFactory(cohort=cohort)
    CohortEnterpriseFactory(cohort=cohort)

    response = client.get(cohort.initiative.get_absolute_url())

    html = response.content.decode()
    assert "Projet pilote" in html
    assert "1 septembre 2013" in html or "1er septembre 2013" in html
    assert '<td class="num">2</td>' in html


def test_the_cohort_page_shows_organizations_ees_and_call_counts(client, call):
    cohort = call.cohort
    CohortOrganizationFactory(
        cohort=cohort,
        organization=OrganizationFactory(name="Ville de Saint-Lambert"),
        commitment_signed_on=datetime.date(2025, 2, 3),
    )
    CohortEnterpriseFactory(cohort=cohort, enterprise__name="Coop Jardins Urbains")

    response = client.get(cohort.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ville de Saint-Lambert" in html
    assert "3 février 2025" in html
    assert "Coop Jardins Urbains" in html
    assert "Appels d'intérêt" in html
    assert "Ouvert" in html


def test_a_visitor_does_not_see_an_unpublished_participant(client):
    cohort = CohortFactory()
    CohortEnterpriseFactory(
        cohort=cohort,
        enterprise__name="Coop Discrète",
        enterprise__is_published=False,
        enterprise__publication_consent_at=None,
    )

    html = client.get(cohort.get_absolute_url()).content.decode()

    assert "Coop Discrète" not in html


def test_the_cohort_page_costs_the_same_queries_for_many_participants(
    client, django_assert_num_queries
):
    cohort = CohortFactory()
    CallFactory(cohort=cohort)
    CohortEnterpriseFactory(cohort=cohort)
    CohortOrganizationFactory(cohort=cohort)

    with django_assert_num_queries(4):
        client.get(cohort.get_absolute_url())
    for _ in range(5):
        CallFactory(cohort=cohort)
        CohortEnterpriseFactory(cohort=cohort)
        CohortOrganizationFactory(cohort=cohort)
    with django_assert_num_queries(4):
        client.get(cohort.get_absolute_url())


def test_a_coordinator_creates_an_initiative_and_a_cohort_from_the_pages(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("initiatives:initiative-create"),
        {"name": "Achat local solidaire", "coordinating_body": "Pôle de Longueuil"},
    )
    initiative = Initiative.objects.get(name="Achat local solidaire")
    assert response.status_code == 302
    response = client.post(
        reverse("initiatives:cohort-create", args=[initiative.slug]),
        {"name": "Cohorte 2016-2017", "start": "2016-01-01", "end": "2017-12-31"},
    )

    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response.url == cohort.get_absolute_url()


def test_the_cohort_form_refuses_inverted_dates_with_a_french_message(client, coordinator):
    initiative = InitiativeFactory()
    client.force_login(coordinator)

    response = client.post(
        reverse("initiatives:cohort-create", args=[initiative.slug]),
        {"name": "Cohorte", "start": "2017-01-01", "end": "2016-01-01"},
    )

    assert response.status_code == 400
    assert "La date de fin doit être égale ou postérieure à la date de début." in (
        response.content.decode()
    )
    assert not Cohort.objects.exists()


def test_a_coordinator_adds_an_organization_from_the_cohort_page(client, coordinator, organization):
    cohort = CohortFactory()
    client.force_login(coordinator)

    response = client.post(
        cohort.get_absolute_url(),
        {
            "action": "add-organization",
            "organization-organization": organization.pk,
            "organization-commitment_signed_on": "2025-02-01",
        },
    )

    assert response.status_code == 302
    assert cohort.organization_ids() == [organization.pk]


def test_a_coordinator_adds_an_ees_from_the_cohort_page(client, coordinator):
    cohort = CohortFactory()
    enterprise = EnterpriseFactory()
    client.force_login(coordinator)

    client.post(
        cohort.get_absolute_url(),
        {"action": "add-enterprise", "enterprise-enterprise": enterprise.pk},
    )
    response = client.post(
        cohort.get_absolute_url(),
        {"action": "add-enterprise", "enterprise-enterprise": enterprise.pk},
    )

    assert response.status_code == 400
    assert "Cette entreprise participe déjà à la cohorte." in response.content.decode()
    assert cohort.enterprise_ids() == [enterprise.pk]


def test_an_outsider_cannot_add_participants_or_create_cohorts(client, outsider, organization):
    cohort = CohortFactory()
    client.force_login(outsider)

    add = client.post(
        cohort.get_absolute_url(),
        {
            "action": "add-organization",
            "organization-organization": organization.pk,
            "organization-commitment_signed_on": "2025-02-01",
        },
    )
    create = client.get(reverse("initiatives:cohort-create", args=[cohort.initiative.slug]))

    assert add.status_code == 403
    assert create.status_code == 403
    assert cohort.organization_ids() == []


def test_a_visitor_is_sent_to_log_in_before_creating_an_initiative(client):
    response = client.get(reverse("initiatives:initiative-create"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_unverified_enterprises_are_not_offered_to_a_cohort(client, coordinator):
    cohort = CohortFactory()
    EnterpriseFactory(name="Fournisseur Ordinaire inc.", supplier_only=True)
    EnterpriseFactory(name="Coop Vérifiée")
    client.force_login(coordinator)

    html = client.get(cohort.get_absolute_url()).content.decode()

    assert "Coop Vérifiée" in html
    assert "Fournisseur Ordinaire inc." not in html
    assert Enterprise.objects.count() == 2
