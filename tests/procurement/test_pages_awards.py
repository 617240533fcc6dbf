"""Awards: the list and detail pages with their flags, cancelling, the quick direct-award
form, and the cumulative purchases per supplier."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Enterprise
from procurement.models import Activity, Award, Method, ProcurementProcess
from tests.factories import (
    ActivityFactory,
    AwardFactory,
    BusinessContactFactory,
    EnterpriseFactory,
)
from tests.procurement.factories_pages import page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DIRECT = reverse("procurement:direct-award")


def award_url(award, action="detail"):
    return reverse(f"procurement:award-{action}", args=[award.pk])


# --- list and detail ------------------------------------------------------------------
def test_the_award_list_shows_the_organizations_awards_only(
    client, officer, organization, other_organization
):
    AwardFactory(process__organization=organization, enterprise__name="Coop Locale")
    AwardFactory(process__organization=other_organization, enterprise__name="Coop Ailleurs")
    client.force_login(officer)

    html = page_text(client.get(reverse("procurement:award-list")))

    assert "Coop Locale" in html
    assert "Coop Ailleurs" not in html
    assert "1 contrat" in html


def test_the_award_list_query_count_does_not_grow_with_the_page(
    client, officer, organization, django_assert_max_num_queries
):
    AwardFactory(process__organization=organization)
    client.force_login(officer)
    client.get(reverse("procurement:award-list"))
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("procurement:award-list"))
    for _ in range(30):
        AwardFactory(process__organization=organization)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("procurement:award-list"))

    assert "31 contrats" in page_text(response)


def test_the_award_list_filters_ees_only_and_year(client, officer, organization):
    AwardFactory(
        process__organization=organization,
        enterprise__name="Coop EÉS",
        awarded_on=dt.date(2025, 5, 1),
    )
    AwardFactory(
        process__organization=organization,
        enterprise=EnterpriseFactory(name="Firme ordinaire", supplier_only=True),
        awarded_on=dt.date(2025, 6, 1),
    )
    AwardFactory(
        process__organization=organization,
        enterprise__name="Coop 2024",
        awarded_on=dt.date(2024, 6, 1),
    )
    client.force_login(officer)

    html = page_text(
        client.get(reverse("procurement:award-list"), {"ees_only": "on", "year": 2025})
    )

    assert "Coop EÉS" in html
    assert "Firme ordinaire" not in html
    assert "Coop 2024" not in html


def test_an_award_page_says_it_is_a_new_relationship_after_matchmaking(
    client, officer, organization
):
    enterprise = EnterpriseFactory(name="Coop Maillée")
    activity = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=dt.date(2025, 1, 20))
    BusinessContactFactory(
        organization=organization, enterprise=enterprise, activity=activity, date=activity.date
    )
    award = AwardFactory(
        process__organization=organization, enterprise=enterprise, awarded_on=dt.date(2025, 3, 1)
    )
    client.force_login(officer)

    html = page_text(client.get(award_url(award)))

    assert "Oui : premier contrat entre cette organisation et ce fournisseur" in html
    assert "À la suite d'un contact de maillage" in html
    assert html.split("À la suite d'un contact de maillage")[1].split("</dd>")[0].count("Oui") == 1


def test_a_second_award_to_the_same_supplier_is_a_known_relationship(client, officer, organization):
    enterprise = EnterpriseFactory(name="Coop Fidèle")
    AwardFactory(
        process__organization=organization, enterprise=enterprise, awarded_on=dt.date(2024, 1, 1)
    )
    second = AwardFactory(
        process__organization=organization, enterprise=enterprise, awarded_on=dt.date(2025, 1, 1)
    )
    client.force_login(officer)

    html = page_text(client.get(award_url(second)))

    assert "Non : l'organisation a déjà fait affaire avec ce fournisseur" in html


def test_cancelling_an_award_keeps_it_in_the_record(client, officer, organization):
    award = AwardFactory(process__organization=organization)
    client.force_login(officer)

    response = client.post(award_url(award, "cancel"), follow=True)

    award.refresh_from_db()
    assert award.status == Award.Status.CANCELLED
    html = page_text(response)
    assert "L'adjudication est annulée. Elle reste au dossier." in html
    assert "Annuler l'adjudication" not in html  # no second cancel button
    assert "Historique des modifications" in html


def test_cancelling_twice_is_refused_with_a_message(client, officer, organization):
    award = AwardFactory(process__organization=organization, status=Award.Status.CANCELLED)
    client.force_login(officer)

    response = client.post(award_url(award, "cancel"), follow=True)

    assert "Cette adjudication est déjà annulée." in page_text(response)


def test_a_pending_award_is_activated_when_signed(client, officer, organization):
    award = AwardFactory(process__organization=organization, status=Award.Status.PENDING)
    client.force_login(officer)

    client.post(award_url(award, "activate"))

    award.refresh_from_db()
    assert award.status == Award.Status.ACTIVE


def test_an_outsider_can_neither_see_nor_cancel_an_award(client, outsider, organization):
    award = AwardFactory(process__organization=organization)
    client.force_login(outsider)

    assert client.get(award_url(award)).status_code == 404
    assert client.post(award_url(award, "cancel")).status_code == 404
    award.refresh_from_db()
    assert award.status == Award.Status.ACTIVE


def test_a_manager_reads_an_award_but_cannot_cancel_it(client, manager, organization):
    award = AwardFactory(process__organization=organization)
    client.force_login(manager)

    assert client.get(award_url(award)).status_code == 200
    assert client.post(award_url(award, "cancel")).status_code == 403
    award.refresh_from_db()
    assert award.status == Award.Status.ACTIVE


# --- quick direct award ---------------------------------------------------------------
def direct_data(organization, **overrides):
    data = {
        "organization": organization.pk,
        "supplier": "Coop Rapide — 1140099999",
        "title": "Boîtes-repas pour la formation",
        "amount": "4 800",
        "awarded_on": TODAY.isoformat(),
        "contract_number": "BC-123",
    }
    data.update(overrides)
    return data


def test_the_quick_form_preselects_the_officers_organization(client, officer, organization):
    client.force_login(officer)

    html = page_text(client.get(DIRECT))

    assert f'<option value="{organization.pk}" selected>' in html
    assert 'name="method_justification"' in html
    assert 'type="hidden" name="method_justification"' in html


def test_an_officer_logs_a_direct_award_in_one_step(client, officer, organization):
    supplier = EnterpriseFactory(name="Coop Rapide", neq="1140099999")
    client.force_login(officer)

    response = client.post(DIRECT, direct_data(organization), follow=True)

    award = Award.objects.get()
    assert (award.enterprise, award.amount, award.contract_number) == (
        supplier,
        Decimal("4800"),
        "BC-123",
    )
    assert award.process.method == Method.DIRECT
    assert award.process.status == ProcurementProcess.Status.AWARDED
    assert award.created_by == officer
    assert "Le contrat de gré à gré a été consigné." in page_text(response)


def test_the_supplier_is_found_by_its_neq_alone(client, officer, organization):
    supplier = EnterpriseFactory(name="Coop Rapide", neq="1140099999")
    client.force_login(officer)

    client.post(DIRECT, direct_data(organization, supplier="1140 099 999"))

    assert Award.objects.get().enterprise == supplier


def test_above_the_invitation_threshold_the_form_asks_a_justification_then_flags(
    client, officer, organization
):
    EnterpriseFactory(name="Coop Rapide", neq="1140099999")
    client.force_login(officer)

    first = client.post(DIRECT, direct_data(organization, amount="30000"))

    html = page_text(first)
    assert "Ce montant demande une justification" in html
    assert 'role="alert"' in html
    assert '<textarea name="method_justification"' in html
    assert not Award.objects.exists()
    assert not ProcurementProcess.objects.exists()

    client.post(
        DIRECT,
        direct_data(organization, amount="30000", method_justification="Fournisseur unique."),
    )

    award = Award.objects.get()
    assert award.process.is_flagged
    assert award.process.method_justification == "Fournisseur unique."


def test_a_new_supplier_is_added_with_the_award(client, officer, organization):
    client.force_login(officer)

    client.post(
        DIRECT,
        direct_data(
            organization, supplier="Quincaillerie Nouvelle", new_supplier="on", new_supplier_neq=""
        ),
    )

    award = Award.objects.get()
    assert award.enterprise.name == "Quincaillerie Nouvelle"
    assert award.enterprise.status == Enterprise.Status.NOT_SUBMITTED
    assert not award.enterprise.is_published


def test_an_unknown_supplier_without_the_new_supplier_box_saves_nothing(
    client, officer, organization
):
    client.force_login(officer)

    response = client.post(DIRECT, direct_data(organization, supplier="Inconnue"))

    assert "Aucune entreprise ne correspond à « Inconnue »." in page_text(response)
    assert not Award.objects.exists()
    assert not Enterprise.objects.exists()


def test_a_refused_award_leaves_no_half_saved_process_or_supplier(client, officer, organization):
    client.force_login(officer)

    response = client.post(
        DIRECT,
        direct_data(organization, supplier="Nouvelle Firme", new_supplier="on", amount="250000"),
    )

    assert response.status_code == 200
    assert not ProcurementProcess.objects.exists()
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "-100"}, "Un montant ne peut pas être négatif."),
        ({"amount": "99999999999"}, "Ce montant n'est pas plausible"),
        ({"awarded_on": "2026-13-45"}, "Saisissez une date valide."),
        ({"new_supplier": "on", "new_supplier_neq": "12"}, "Le NEQ est le numéro d'entreprise"),
    ],
)
def test_bad_input_on_the_quick_form_is_explained(
    client, officer, organization, overrides, message
):
    EnterpriseFactory(name="Coop Rapide", neq="1140099999")
    client.force_login(officer)

    response = client.post(DIRECT, direct_data(organization, **overrides))

    assert message in page_text(response)
    assert not Award.objects.exists()


def test_an_officer_cannot_log_a_direct_award_for_another_organization(
    client, officer, other_organization
):
    EnterpriseFactory(name="Coop Rapide", neq="1140099999")
    client.force_login(officer)

    response = client.post(DIRECT, direct_data(other_organization))

    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Award.objects.exists()


def test_buyers_cannot_use_the_quick_form(client, buyer, organization):
    client.force_login(buyer)

    assert client.get(DIRECT).status_code == 403
    assert client.post(DIRECT, direct_data(organization)).status_code == 403


# --- cumulative purchases -------------------------------------------------------------
def test_suppliers_above_25000_in_the_year_are_flagged(client, officer, organization):
    big = EnterpriseFactory(name="Coop Grande")
    small = EnterpriseFactory(name="Coop Petite")
    for amount in ("15000", "12000"):
        AwardFactory(
            process__organization=organization,
            enterprise=big,
            amount=Decimal(amount),
            awarded_on=dt.date(2025, 4, 1),
        )
    AwardFactory(
        process__organization=organization,
        enterprise=small,
        amount=Decimal("9000"),
        awarded_on=dt.date(2025, 4, 1),
    )
    AwardFactory(
        process__organization=organization,
        enterprise=small,
        amount=Decimal("30000"),
        awarded_on=dt.date(2025, 5, 1),
        status=Award.Status.CANCELLED,
    )
    client.force_login(officer)

    response = client.get(
        reverse("procurement:cumulative"), {"organization": organization.pk, "year": 2025}
    )

    html = page_text(response)
    rows = html.split("<tbody>")[1].split("</tr>")
    assert "Coop Grande" in rows[0]
    assert "27\xa0000,00\xa0$" in rows[0]
    assert "Au-delà de 25\xa0000,00\xa0$" in rows[0]
    assert "Coop Petite" in rows[1]
    assert "9\xa0000,00\xa0$" in rows[1]
    assert "Au-delà" not in rows[1]
    assert "2 fournisseurs" in html


def test_an_outsider_cannot_see_another_organizations_cumulative(client, outsider, organization):
    AwardFactory(process__organization=organization, enterprise__name="Coop Secrète")
    client.force_login(outsider)

    response = client.get(
        reverse("procurement:cumulative"), {"organization": organization.pk, "year": 2025}
    )

    assert "Coop Secrète" not in page_text(response)
    assert "Sélectionnez un choix valide" in page_text(response)


def test_the_cumulative_page_is_for_organization_staff(client, stranger):
    client.force_login(stranger)

    assert client.get(reverse("procurement:cumulative")).status_code == 403
