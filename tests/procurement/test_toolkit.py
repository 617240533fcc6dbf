"""The toolkit: seeded bilingual entries for the 5 steps, public, managed by coordinators."""

import pytest
from django.urls import reverse

from procurement.models import ToolkitEntry
from tests.procurement.factories_pages import ToolkitEntryFactory, page_text

pytestmark = pytest.mark.django_db

TOOLKIT = reverse("procurement:toolkit")


def test_the_seeded_toolkit_covers_the_five_steps_in_both_languages():
    entries = ToolkitEntry.objects.filter(is_published=True)

    assert entries.count() >= 12
    assert set(entries.values_list("step", flat=True)) == set(ToolkitEntry.Step.values)
    for entry in entries:
        assert entry.title_fr
        assert entry.title_en
        assert entry.body_fr
        assert entry.body_en
        assert entry.title_fr != entry.title_en


def test_a_visitor_reads_the_toolkit_in_french_by_step(client):
    html = page_text(client.get(TOOLKIT))

    assert "Boîte à outils pour un approvisionnement responsable" in html
    assert "Étape 1 : Planifier" in html
    assert "Étape 5 : Gérer et rendre compte" in html
    assert "Clause : lots adaptés aux EÉS" in html
    assert "15 fiches" in html


def test_the_toolkit_switches_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": TOOLKIT})

    html = page_text(client.get(TOOLKIT))

    assert "Clause: lots suited to EÉS" in html
    assert "Step 3: Solicit" in html


def test_an_entry_page_shows_its_text(client):
    response = client.get(reverse("procurement:toolkit-entry", args=["critere-valeur-sociale"]))

    html = page_text(response)
    assert "Critère d'évaluation : retombées sociales" in html
    assert "Retombées sociales du soumissionnaire (10 points)" in html
    assert "Évaluer et adjuger" in html


def test_the_toolkit_filters_by_step(client):
    html = page_text(client.get(TOOLKIT, {"step": "evaluate"}))

    assert "Critère d'évaluation : retombées sociales" in html
    assert "Clause : lots adaptés aux EÉS" not in html
    assert "3 fiches" in html


def test_unpublished_entries_are_hidden_from_visitors_but_not_coordinators(client, coordinator):
    entry = ToolkitEntryFactory(title_fr="Fiche en préparation", is_published=False)
    url = reverse("procurement:toolkit-entry", args=[entry.slug])

    assert "Fiche en préparation" not in page_text(client.get(TOOLKIT))
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert "Fiche en préparation" in page_text(client.get(TOOLKIT))
    assert client.get(url).status_code == 200


def test_a_coordinator_adds_an_entry(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("procurement:toolkit-create"),
        {
            "step": "manage",
            "kind": "tool",
            "slug": "grille-suivi",
            "title_fr": "Grille de suivi des contrats",
            "title_en": "Contract follow-up grid",
            "body_fr": "Une grille pour suivre les livraisons.",
            "body_en": "A grid to follow deliveries.",
            "position": "9",
            "is_published": "on",
        },
        follow=True,
    )

    assert ToolkitEntry.objects.filter(slug="grille-suivi").exists()
    html = page_text(response)
    assert "La fiche de la boîte à outils a été enregistrée." in html
    assert "Historique des modifications" in html


def test_a_slug_used_twice_is_refused(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("procurement:toolkit-create"),
        {
            "step": "plan",
            "kind": "tool",
            "slug": "critere-valeur-sociale",
            "title_fr": "Doublon",
            "title_en": "Duplicate",
            "body_fr": "x",
            "body_en": "x",
            "position": "1",
        },
    )

    assert response.status_code == 200
    assert not ToolkitEntry.objects.filter(title_fr="Doublon").exists()


def test_a_coordinator_edits_an_entry(client, coordinator):
    entry = ToolkitEntry.objects.get(slug="critere-valeur-sociale")
    client.force_login(coordinator)
    data = {
        field: getattr(entry, field)
        for field in ("step", "kind", "slug", "title_en", "body_fr", "body_en", "position")
    }

    client.post(
        reverse("procurement:toolkit-update", args=[entry.slug]),
        {**data, "title_fr": "Critère : valeur sociale", "is_published": "on"},
    )

    entry.refresh_from_db()
    assert entry.title_fr == "Critère : valeur sociale"


def test_officers_cannot_manage_the_toolkit(client, officer):
    client.force_login(officer)

    assert client.get(reverse("procurement:toolkit-create")).status_code == 403
    response = client.post(
        reverse("procurement:toolkit-update", args=["critere-valeur-sociale"]), {}
    )
    assert response.status_code == 403
