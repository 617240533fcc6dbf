"""Activities (maillage, training, awareness, trade fairs) and business contacts."""

import datetime as dt

import pytest
from django.urls import reverse

from procurement.models import Activity, Award, BusinessContact
from tests.factories import (
    ActivityFactory,
    AwardFactory,
    BusinessContactFactory,
    EnterpriseFactory,
)
from tests.procurement.factories_pages import days_ago, page_text

pytestmark = pytest.mark.django_db

ACTIVITY_CREATE = reverse("procurement:activity-create")
CONTACT_CREATE = reverse("procurement:contact-create")


def activity_data(**overrides):
    data = {
        "kind": Activity.Kind.MATCHMAKING,
        "date": days_ago(10).isoformat(),
        "title": "Maillage de la Montérégie",
        "organizer": "Pôle de l'économie sociale",
        "participants": "45",
    }
    data.update(overrides)
    return data


# --- activities -----------------------------------------------------------------------
def test_an_officer_records_an_activity_with_who_was_there(
    client, officer, organization, other_organization
):
    ees = [EnterpriseFactory(name=f"Coop {n}") for n in range(3)]
    client.force_login(officer)

    response = client.post(
        ACTIVITY_CREATE,
        {
            **activity_data(),
            "organizations": [organization.pk, other_organization.pk],
            "enterprises": [e.pk for e in ees],
        },
        follow=True,
    )

    activity = Activity.objects.get()
    assert activity.created_by == officer
    assert set(activity.organizations.all()) == {organization, other_organization}
    assert activity.enterprises.count() == 3
    html = page_text(response)
    assert "L'activité a été consignée." in html
    assert "Activité de maillage" in html
    assert "Coop 2" in html


def test_fewer_participants_than_those_present_is_refused(client, officer, organization):
    ees = [EnterpriseFactory() for _ in range(3)]
    client.force_login(officer)

    response = client.post(
        ACTIVITY_CREATE,
        {**activity_data(participants="2"), "enterprises": [e.pk for e in ees]},
    )

    assert "ne peut pas être inférieur au nombre d'organisations" in page_text(response)
    assert not Activity.objects.exists()


def test_a_negative_number_of_participants_is_refused(client, officer):
    client.force_login(officer)

    response = client.post(ACTIVITY_CREATE, activity_data(participants="-3"))

    assert "supérieure ou égale à 0" in page_text(response)
    assert not Activity.objects.exists()


def test_the_activity_list_is_for_staff_and_filters_by_kind(client, buyer, stranger):
    ActivityFactory(title="Maillage d'automne", kind=Activity.Kind.MATCHMAKING)
    ActivityFactory(title="Salon du printemps", kind=Activity.Kind.TRADE_FAIR)
    url = reverse("procurement:activity-list")

    client.force_login(stranger)
    assert client.get(url).status_code == 403
    client.force_login(buyer)
    html = page_text(client.get(url, {"kind": "trade_fair"}))

    assert "Salon du printemps" in html
    assert "Maillage d'automne" not in html
    assert "1 activité" in html


def test_the_activity_list_query_count_does_not_grow(
    client, buyer, organization, django_assert_max_num_queries
):
    ActivityFactory()
    client.force_login(buyer)
    url = reverse("procurement:activity-list")
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for _ in range(30):
        ActivityFactory().organizations.add(organization)

    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "31 activités" in page_text(client.get(url))


def test_only_coordinators_and_the_author_edit_an_activity(client, officer, outsider, coordinator):
    activity = ActivityFactory(created_by=officer, title="Ancien titre")
    url = reverse("procurement:activity-update", args=[activity.pk])

    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    client.post(url, activity_data(title="Nouveau titre", date=activity.date.isoformat()))

    activity.refresh_from_db()
    assert activity.title == "Nouveau titre"


def test_an_activity_cannot_move_after_contacts_recorded_at_it(client, officer, organization):
    activity = ActivityFactory(created_by=officer, date=days_ago(20))
    BusinessContactFactory(organization=organization, activity=activity, date=days_ago(20))
    client.force_login(officer)

    response = client.post(
        reverse("procurement:activity-update", args=[activity.pk]),
        activity_data(date=days_ago(5).isoformat()),
    )

    assert "Des contacts ont été consignés à cette activité avant cette date." in page_text(
        response
    )
    activity.refresh_from_db()
    assert activity.date == days_ago(20)


# --- business contacts ----------------------------------------------------------------
def test_an_officer_records_a_contact_at_an_activity(client, officer, organization):
    activity = ActivityFactory(date=days_ago(3))
    enterprise = EnterpriseFactory(name="Coop Rencontrée")
    client.force_login(officer)

    form = page_text(client.get(CONTACT_CREATE, {"activity": activity.pk}))
    response = client.post(
        CONTACT_CREATE,
        {
            "organization": organization.pk,
            "supplier": "Coop Rencontrée",
            "date": days_ago(3).isoformat(),
            "activity": activity.pk,
            "notes": "Intéressée par nos appels sur invitation.",
        },
        follow=True,
    )

    assert f'<option value="{activity.pk}" selected>' in form
    contact = BusinessContact.objects.get()
    assert (contact.enterprise, contact.activity, contact.created_by) == (
        enterprise,
        activity,
        officer,
    )
    html = page_text(response)
    assert "Le contact d'affaires a été consigné." in html
    assert "Nouveau : aucun contact ni contrat antérieur entre elles" in html


def test_a_contact_before_its_activity_is_refused(client, officer, organization):
    activity = ActivityFactory(date=days_ago(3))
    EnterpriseFactory(name="Coop Rencontrée")
    client.force_login(officer)

    response = client.post(
        CONTACT_CREATE,
        {
            "organization": organization.pk,
            "supplier": "Coop Rencontrée",
            "date": days_ago(10).isoformat(),
            "activity": activity.pk,
        },
    )

    assert "Un contact lors d'une activité ne peut pas précéder l'activité." in page_text(response)
    assert not BusinessContact.objects.exists()


def test_a_contact_in_the_future_is_refused(client, officer, organization):
    EnterpriseFactory(name="Coop Rencontrée")
    client.force_login(officer)

    response = client.post(
        CONTACT_CREATE,
        {
            "organization": organization.pk,
            "supplier": "Coop Rencontrée",
            "date": (days_ago(0) + dt.timedelta(days=2)).isoformat(),
        },
    )

    assert "Un contact ne peut pas être daté dans le futur." in page_text(response)
    assert not BusinessContact.objects.exists()


def test_the_contact_list_marks_new_and_known_contacts(client, officer, organization):
    enterprise = EnterpriseFactory(name="Coop Connue")
    BusinessContactFactory(organization=organization, enterprise=enterprise, date=days_ago(100))
    BusinessContactFactory(organization=organization, enterprise=enterprise, date=days_ago(10))
    other = EnterpriseFactory(name="Coop Cliente")
    AwardFactory(
        process__organization=organization,
        enterprise=other,
        awarded_on=days_ago(50),
        status=Award.Status.ACTIVE,
    )
    BusinessContactFactory(organization=organization, enterprise=other, date=days_ago(5))
    client.force_login(officer)

    html = page_text(client.get(reverse("procurement:contact-list")))
    rows = html.split("<tbody>")[1].split("</tr>")

    assert "Coop Cliente" in rows[0]
    assert "Connu" in rows[0]  # an earlier contract
    assert "Coop Connue" in rows[1]
    assert "Connu" in rows[1]  # an earlier contact
    assert "Coop Connue" in rows[2]
    assert "Nouveau" in rows[2]


def test_contacts_are_visible_only_to_the_organization_and_coordinators(
    client, outsider, coordinator, organization
):
    contact = BusinessContactFactory(organization=organization, enterprise__name="Coop Discrète")
    url = reverse("procurement:contact-detail", args=[contact.pk])

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert "Coop Discrète" not in page_text(client.get(reverse("procurement:contact-list")))
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_the_contact_list_query_count_does_not_grow(
    client, officer, organization, django_assert_max_num_queries
):
    BusinessContactFactory(organization=organization)
    client.force_login(officer)
    url = reverse("procurement:contact-list")
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for _ in range(30):
        BusinessContactFactory(organization=organization, activity=ActivityFactory())

    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "31 contacts" in page_text(client.get(url))


def test_a_buyer_cannot_record_contacts(client, buyer, organization):
    client.force_login(buyer)

    assert client.get(CONTACT_CREATE).status_code == 403
    assert client.get(ACTIVITY_CREATE).status_code == 403
