import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from directory import services
from directory.models import Shortlist, ShortlistEntry
from tests.directory.factories_members import (
    DraftEnterpriseFactory,
    ShortlistEntryFactory,
    ShortlistFactory,
)
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlist(buyer):
    return ShortlistFactory(owner=buyer, name="Traiteurs pour le gala")


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="Coop Paniers")


def test_a_buyer_creates_a_list_for_their_organization(client, buyer, organization):
    client.force_login(buyer)

    response = client.post(reverse("directory:shortlist-list"), {"name": "Traiteurs", "notes": ""})

    shortlist = Shortlist.objects.get()
    assert response.url == reverse("directory:shortlist-detail", args=[shortlist.pk])
    assert shortlist.owner == buyer
    assert shortlist.organization == organization


def test_a_list_needs_a_name(client, buyer):
    client.force_login(buyer)

    response = client.post(reverse("directory:shortlist-list"), {"name": ""})

    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Shortlist.objects.exists()


def test_adding_from_the_form_puts_the_enterprise_on_the_list_with_a_note(
    client, buyer, shortlist, enterprise
):
    client.force_login(buyer)

    response = client.post(
        reverse("directory:shortlist-add"),
        {"enterprise": enterprise.pk, "shortlist": shortlist.pk, "note": "Rappeler en mai"},
        follow=True,
    )

    entry = ShortlistEntry.objects.get()
    assert (entry.shortlist, entry.enterprise, entry.note) == (
        shortlist,
        enterprise,
        "Rappeler en mai",
    )
    assert "Coop Paniers a été ajoutée à la liste « Traiteurs pour le gala »." in (
        response.content.decode()
    )


def test_adding_twice_keeps_one_entry_and_updates_the_note(buyer, shortlist, enterprise):
    services.add_to_shortlist(shortlist=shortlist, enterprise=enterprise, note="Premier")
    services.add_to_shortlist(shortlist=shortlist, enterprise=enterprise, note="Second")

    assert ShortlistEntry.objects.get().note == "Second"


def test_adding_to_a_new_list_creates_it(client, buyer, enterprise):
    client.force_login(buyer)

    client.post(
        reverse("directory:shortlist-add"),
        {"enterprise": enterprise.pk, "new_list": "Entretien ménager", "next": "/annuaire/"},
    )

    assert Shortlist.objects.get(owner=buyer).name == "Entretien ménager"
    assert ShortlistEntry.objects.get().enterprise == enterprise


def test_adding_needs_a_list_or_a_new_name(client, buyer, enterprise):
    client.force_login(buyer)

    response = client.post(
        reverse("directory:shortlist-add"), {"enterprise": enterprise.pk}, follow=True
    )

    assert "Choisissez une liste ou nommez-en une nouvelle." in response.content.decode()
    assert not ShortlistEntry.objects.exists()


def test_an_unpublished_enterprise_cannot_be_added(client, buyer, shortlist):
    draft = DraftEnterpriseFactory()
    client.force_login(buyer)

    client.post(
        reverse("directory:shortlist-add"), {"enterprise": draft.pk, "shortlist": shortlist.pk}
    )

    assert not ShortlistEntry.objects.exists()


def test_nobody_adds_to_someone_else_list(client, officer, shortlist, enterprise):
    client.force_login(officer)  # a colleague of the owner

    client.post(
        reverse("directory:shortlist-add"), {"enterprise": enterprise.pk, "shortlist": shortlist.pk}
    )

    assert not ShortlistEntry.objects.exists()


def test_an_unsafe_next_address_is_ignored(client, buyer, shortlist, enterprise):
    client.force_login(buyer)

    response = client.post(
        reverse("directory:shortlist-add"),
        {"enterprise": enterprise.pk, "shortlist": shortlist.pk, "next": "https://evil.example/"},
    )

    assert response.url == reverse("directory:shortlist-detail", args=[shortlist.pk])


@pytest.mark.parametrize("actor", ["officer", "outsider", "coordinator"])
def test_a_list_is_seen_only_by_its_owner(client, request, actor, shortlist):
    client.force_login(request.getfixturevalue(actor))

    detail = client.get(reverse("directory:shortlist-detail", args=[shortlist.pk]))
    export = client.get(
        reverse("directory:shortlist-export", args=[shortlist.pk]),
        {"format": "csv", "columns": ["name"]},
    )
    delete = client.post(reverse("directory:shortlist-delete", args=[shortlist.pk]))

    assert detail.status_code == export.status_code == delete.status_code == 404
    assert Shortlist.objects.filter(pk=shortlist.pk).exists()


def test_representatives_and_strangers_have_no_shortlists(client, stranger):
    client.force_login(stranger)

    assert client.get(reverse("directory:shortlist-list")).status_code == 403


def test_the_owner_edits_notes_and_removes_entries(client, buyer, shortlist, enterprise):
    entry = ShortlistEntryFactory(shortlist=shortlist, enterprise=enterprise)
    client.force_login(buyer)

    client.post(
        reverse("directory:shortlist-entry-update", args=[entry.pk]), {"note": "<b>Top</b>"}
    )
    page = client.get(reverse("directory:shortlist-detail", args=[shortlist.pk])).content.decode()
    assert "&lt;b&gt;Top&lt;/b&gt;" in page

    client.post(reverse("directory:shortlist-entry-remove", args=[entry.pk]))

    assert not ShortlistEntry.objects.exists()


def test_another_user_cannot_remove_an_entry(client, outsider, shortlist, enterprise):
    entry = ShortlistEntryFactory(shortlist=shortlist, enterprise=enterprise)
    client.force_login(outsider)

    response = client.post(reverse("directory:shortlist-entry-remove", args=[entry.pk]))

    assert response.status_code == 404
    assert ShortlistEntry.objects.filter(pk=entry.pk).exists()


def test_the_owner_renames_and_deletes_a_list(client, buyer, shortlist):
    client.force_login(buyer)

    client.post(
        reverse("directory:shortlist-update", args=[shortlist.pk]),
        {"name": "Gala 2026", "notes": "Budget 5 000 $"},
    )
    shortlist.refresh_from_db()
    assert shortlist.name == "Gala 2026"

    client.post(reverse("directory:shortlist-delete", args=[shortlist.pk]))

    assert not Shortlist.objects.exists()


def test_the_lists_page_has_a_constant_query_count(client, buyer, django_assert_num_queries):
    client.force_login(buyer)
    ShortlistEntryFactory.create_batch(2, shortlist__owner=buyer)
    client.get(reverse("directory:shortlist-list"))
    with django_assert_num_queries(5):  # session, user, roles ×2, lists with counts
        client.get(reverse("directory:shortlist-list"))
    ShortlistEntryFactory.create_batch(6, shortlist__owner=buyer)
    with django_assert_num_queries(5):
        client.get(reverse("directory:shortlist-list"))


def test_a_list_page_has_a_constant_query_count(
    client, buyer, shortlist, django_assert_num_queries
):
    client.force_login(buyer)
    ShortlistEntryFactory.create_batch(2, shortlist=shortlist)
    client.get(reverse("directory:shortlist-detail", args=[shortlist.pk]))
    with django_assert_num_queries(6):  # session, user, roles ×2, list, entries
        client.get(reverse("directory:shortlist-detail", args=[shortlist.pk]))
    ShortlistEntryFactory.create_batch(6, shortlist=shortlist)
    with django_assert_num_queries(6):
        client.get(reverse("directory:shortlist-detail", args=[shortlist.pk]))


def test_the_add_to_shortlist_partial_renders_labelled_fields(buyer, shortlist, enterprise):
    request = RequestFactory().get("/annuaire/")
    request.user = buyer

    html = render_to_string(
        "directory/_add_to_shortlist.html",
        {"enterprise": enterprise, "shortlists": [shortlist]},
        request=request,
    )

    assert f'for="shortlist-{enterprise.pk}"' in html
    assert f'id="shortlist-{enterprise.pk}"' in html
    assert "Traiteurs pour le gala" in html
    assert "Ajouter Coop Paniers à la liste" in html
    assert 'name="next" value="/annuaire/"' in html


def test_the_add_page_shows_the_form_for_a_visible_enterprise(client, buyer, enterprise):
    client.force_login(buyer)

    page = client.get(reverse("directory:shortlist-add-page", args=[enterprise.pk]))
    hidden = client.get(reverse("directory:shortlist-add-page", args=[DraftEnterpriseFactory().pk]))

    assert "Ajouter Coop Paniers à une liste" in page.content.decode()
    assert hidden.status_code == 404
