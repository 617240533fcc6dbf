"""The portfolio of EÉS: one page per enterprise, as HTML (printable) and PDF."""

import pytest
from django.urls import reverse

from directory.models import Achievement, Enterprise, EnterpriseImpact, Impact
from directory.search import refresh_search_documents
from portal.initiatives import portfolio
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    ManagerContactFactory,
    OfferingFactory,
)
from tests.initiatives.factories import CohortEnterpriseFactory, CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(db):
    cohort = CohortFactory(name="Cohorte 2016-2017")
    enterprise = EnterpriseFactory(
        name="Coopérative Traiteur Solidaire",
        mission="Nourrir la communauté en créant des emplois d'insertion.",
        email="info@traiteur.example",
    )
    OfferingFactory(
        enterprise=enterprise,
        name="Boîtes à lunch",
        category=CategoryFactory(name_fr="Alimentation", name_en="Food"),
    )
    Achievement.objects.create(enterprise=enterprise, title="Traiteur du congrès", year=2024)
    EnterpriseImpact.objects.create(enterprise=enterprise, impact=Impact.INTEGRATION)
    ManagerContactFactory(
        enterprise=enterprise, name="Josée Directrice", email="josee@coop.example"
    )
    CohortEnterpriseFactory(cohort=cohort, enterprise=enterprise)
    return cohort


def test_the_cohort_portfolio_shows_each_ees_on_its_own_page(client, cohort):
    CohortEnterpriseFactory(cohort=cohort, enterprise__name="Entretien Ménager Coop")

    response = client.get(reverse("initiatives:cohort-portfolio", args=[cohort.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="portfolio-page"') == 2
    assert "Nourrir la communauté" in html
    assert "Boîtes à lunch" in html
    assert "Alimentation" in html
    assert "Traiteur du congrès" in html
    assert "Insertion sociale et professionnelle" in html
    assert "css/initiatives.css" in html


def test_a_visitor_does_not_see_the_managers_contacts_in_the_portfolio(client, cohort):
    html = client.get(reverse("initiatives:cohort-portfolio", args=[cohort.pk])).content.decode()

    assert "josee@coop.example" not in html
    assert "info@traiteur.example" not in html


def test_a_buyer_sees_the_managers_contacts_in_the_portfolio(client, cohort, buyer):
    client.force_login(buyer)

    html = client.get(reverse("initiatives:cohort-portfolio", args=[cohort.pk])).content.decode()

    assert "Josée Directrice" in html
    assert "josee@coop.example" in html


def test_the_portfolio_leaves_out_an_ees_that_did_not_consent_to_publication(
    client, cohort, coordinator
):
    CohortEnterpriseFactory(
        cohort=cohort,
        enterprise__name="Coop Discrète",
        enterprise__is_published=False,
        enterprise__publication_consent_at=None,
    )
    client.force_login(coordinator)

    html = client.get(reverse("initiatives:cohort-portfolio", args=[cohort.pk])).content.decode()

    assert "Coop Discrète" not in html


def test_the_cohort_portfolio_is_a_pdf(client, cohort):
    response = client.get(reverse("initiatives:cohort-portfolio-pdf", args=[cohort.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5_000
    assert 'filename="portfolio-cohorte-2016-2017.pdf"' in response["Content-Disposition"]


def test_the_pdf_has_a_cover_then_one_page_per_enterprise(cohort):
    for n in range(3):
        CohortEnterpriseFactory(cohort=cohort, enterprise__name=f"Coop numéro {n}")
    enterprises = portfolio.with_portfolio_data(
        Enterprise.objects.filter(cohort_participations__cohort=cohort).order_by("name")
    )

    document = portfolio.pdf_document(
        "initiatives/portfolio_pdf.html",
        {"enterprises": enterprises, "title": "Portfolio", "sees_contacts": True},
    )

    assert len(document.pages) == 1 + 4


def test_the_portfolio_costs_the_same_queries_for_many_enterprises(
    client, cohort, django_assert_num_queries
):
    url = reverse("initiatives:cohort-portfolio", args=[cohort.pk])
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(4):
        participant = CohortEnterpriseFactory(cohort=cohort)
        OfferingFactory(enterprise=participant.enterprise)
        ManagerContactFactory(enterprise=participant.enterprise)
    with django_assert_num_queries(6):
        client.get(url)


def test_a_portfolio_can_be_printed_from_a_directory_search(client, cohort):
    EnterpriseFactory(name="Imprimerie Coopérative")
    refresh_search_documents()

    response = client.get(reverse("initiatives:portfolio"), {"q": "Traiteur"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Coopérative Traiteur Solidaire" in html
    assert "Imprimerie Coopérative" not in html
    assert reverse("initiatives:portfolio-pdf") + "?q=Traiteur" in html


def test_the_search_portfolio_is_a_pdf(client, cohort):
    refresh_search_documents()
    response = client.get(reverse("initiatives:portfolio-pdf"), {"q": "Traiteur"})

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_a_search_too_wide_for_one_portfolio_asks_to_narrow_it(client, cohort, monkeypatch):
    monkeypatch.setattr(portfolio, "MAX_ENTERPRISES", 0)

    response = client.get(reverse("initiatives:portfolio-pdf"))

    assert response.status_code == 400
    assert "précisez la recherche" in response.content.decode()


def test_the_pdf_fetches_nothing_from_the_network():
    from portal.initiatives.portfolio import _media_only_fetcher

    fetcher = _media_only_fetcher()

    with pytest.raises(ValueError, match="fetches no resource"):
        fetcher.fetch("http://example.com/logo.png")
    with pytest.raises(ValueError, match="fetches no resource"):
        fetcher.fetch("file:///etc/passwd")
