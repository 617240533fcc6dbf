import re

import pytest
from django.core import mail
from django.urls import reverse

from directory import services
from directory.models import Enterprise, Impact, Representative
from portal.accounts.models import User
from tests.directory.factories_members import (
    DraftEnterpriseFactory,
    complete_enterprise,
    image_upload,
)
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    RegionFactory,
    RepresentativeFactory,
    SectorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Josee@Coop.example",
    "full_name": "Josée Tremblay",
    "password1": "des-paniers-bio-2026",
    "password2": "des-paniers-bio-2026",
}


def _confirmation_path(message) -> str:
    return re.search(r"https?://[^/]+(/annuaire/inscription/compte/confirmer/\S+/)", message.body)[
        1
    ]


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Post the sign-up form and run what waits for the commit (the e-mail task)."""

    def post(data=SIGNUP):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("directory:signup"), data)

    return post


@pytest.fixture
def representative(db):
    """Josée, approved representative of a draft enterprise."""
    return RepresentativeFactory(
        user__email="josee@coop.example", enterprise=DraftEnterpriseFactory(name="Coop Paniers")
    ).user


@pytest.fixture
def draft(representative):
    return Enterprise.objects.represented_by(representative).get()


# --- Sign-up --------------------------------------------------------------------------
def test_a_visitor_signs_up_and_receives_a_confirmation_link_in_french(client, sign_up):
    response = sign_up()

    assert response.status_code == 302
    assert response.url == reverse("directory:signup-sent")
    user = User.objects.get(email="josee@coop.example")
    assert not user.is_active
    assert user.full_name == "Josée Tremblay"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["josee@coop.example"]
    assert mail.outbox[0].subject == "Confirmez votre adresse courriel"
    assert "/annuaire/inscription/compte/confirmer/" in mail.outbox[0].body
    page = client.get(response.url).content.decode()
    assert "Consultez vos courriels" in page


def test_confirming_the_link_activates_the_account_and_signs_in(client, sign_up):
    sign_up()
    path = _confirmation_path(mail.outbox[0])

    shown = client.get(path)
    assert shown.status_code == 200
    assert "Activer mon compte" in shown.content.decode()
    assert not User.objects.get(email="josee@coop.example").is_active  # GET alone does nothing

    response = client.post(path)

    assert response.status_code == 302
    assert response.url == reverse("directory:registration-start")
    assert User.objects.get(email="josee@coop.example").is_active
    assert client.get(reverse("directory:registration-start")).status_code == 200


def test_the_confirmation_link_uses_site_url_when_set(sign_up, settings):
    settings.SITE_URL = "https://portail.example.org"

    sign_up()

    assert "https://portail.example.org/annuaire/inscription/compte/confirmer/" in (
        mail.outbox[0].body
    )


def test_a_confirmation_link_works_only_once(client, sign_up):
    sign_up()
    path = _confirmation_path(mail.outbox[0])
    client.post(path)
    client.logout()

    response = client.post(path)

    assert response.status_code == 400
    assert "invalide, expiré ou déjà utilisé" in response.content.decode()


def test_a_tampered_confirmation_link_is_refused(client, sign_up):
    sign_up()
    path = _confirmation_path(mail.outbox[0])[:-3] + "xx/"

    response = client.post(path)

    assert response.status_code == 400
    assert not User.objects.get(email="josee@coop.example").is_active


def test_an_inactive_account_cannot_log_in_before_confirming(client):
    client.post(reverse("directory:signup"), SIGNUP)

    response = client.post(
        reverse("accounts:login"),
        {"username": "josee@coop.example", "password": SIGNUP["password1"]},
    )

    assert response.status_code == 200  # the form again, not a redirect


def test_signing_up_with_a_known_address_tells_nothing_on_the_page(sign_up, officer):
    response = sign_up({**SIGNUP, "email": "alice@example.org"})

    assert response.status_code == 302
    assert User.objects.filter(email="alice@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Vous avez déjà un compte"
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_signup_refuses_a_bad_email_and_different_passwords_in_french(client):
    response = client.post(
        reverse("directory:signup"),
        {**SIGNUP, "email": "pas-un-courriel", "password2": "autre-chose-2026"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in page
    assert "Les deux mots de passe diffèrent." in page
    assert 'role="alert"' in page
    assert not User.objects.exists()


def test_signup_refuses_a_common_password(client):
    response = client.post(
        reverse("directory:signup"), {**SIGNUP, "password1": "password", "password2": "password"}
    )

    assert "Ce mot de passe est trop courant." in response.content.decode()
    assert not User.objects.exists()


def test_signup_is_rate_limited_per_address(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"signup": "2/hour", "password_reset": "5/hour"},
    }
    for n in range(2):
        client.post(reverse("directory:signup"), {**SIGNUP, "email": f"p{n}@coop.example"})

    response = client.post(reverse("directory:signup"), {**SIGNUP, "email": "p9@coop.example"})

    assert response.status_code == 429
    assert not User.objects.filter(email="p9@coop.example").exists()


def test_the_login_page_links_to_the_signup(client):
    page = client.get(reverse("accounts:login")).content.decode()

    assert reverse("directory:signup") in page
    assert "Créer un compte" in page


# --- Registration in steps ------------------------------------------------------------
def test_registration_needs_a_login(client):
    response = client.get(reverse("directory:registration-start"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_step_one_creates_a_draft_the_user_represents(client, stranger):
    client.force_login(stranger)

    response = client.post(
        reverse("directory:registration-start"),
        {"neq": "2240 000 123", "name": "Coop Paniers", "legal_form": "coop_workers"},
    )

    enterprise = Enterprise.objects.get(neq="2240000123")
    assert response.url == reverse("directory:registration-step", args=[enterprise.pk, "lieu"])
    assert enterprise.status == Enterprise.Status.NOT_SUBMITTED
    assert not enterprise.is_published
    assert Representative.objects.get(enterprise=enterprise).user == stranger
    assert Enterprise.objects.represented_by(stranger).get() == enterprise


def test_a_known_neq_leads_to_a_request_to_join_not_a_duplicate(client, stranger):
    existing = EnterpriseFactory(neq="2240000123", name="Coop Paniers")
    client.force_login(stranger)

    response = client.post(
        reverse("directory:registration-start"),
        {"neq": "2240000123", "name": "Autre nom", "legal_form": "other", "message": "DG"},
        follow=True,
    )

    assert Enterprise.objects.filter(neq="2240000123").count() == 1
    request = Representative.objects.get(user=stranger)
    assert request.enterprise == existing
    assert not request.is_approved
    assert request.message == "DG"
    assert "Votre demande pour la représenter" in response.content.decode()
    assert not Enterprise.objects.represented_by(stranger).exists()


@pytest.mark.parametrize("neq", ["123", "22400001234", "ABCDEFGHIJ"])
def test_a_wrong_neq_is_refused_in_french(client, stranger, neq):
    client.force_login(stranger)

    response = client.post(
        reverse("directory:registration-start"),
        {"neq": neq, "name": "Coop", "legal_form": "other"},
    )

    assert response.status_code == 200
    assert "du Québec à 10 chiffres, par exemple 1140000001" in response.content.decode()
    assert not Enterprise.objects.exists()


def _location(municipality, **overrides):
    data = {
        "address": "12, rue des Érables",
        "municipality": municipality.pk,
        "postal_code": "j4k2t1",
        "website": "coop.example",
        "email": "info@coop.example",
        "phone": "450 555-0101",
        "lieu-TOTAL_FORMS": "1",
        "lieu-INITIAL_FORMS": "0",
        "lieu-0-name": "Josée Tremblay",
        "lieu-0-title": "Directrice",
        "lieu-0-email": "josee@coop.example",
        "lieu-0-phone": "450 555-0102",
    }
    data.update(overrides)
    return data


def test_location_step_saves_the_address_contacts_and_normalized_values(
    client, representative, draft
):
    municipality = MunicipalityFactory(name="Longueuil", region=RegionFactory())
    client.force_login(representative)

    response = client.post(
        reverse("directory:registration-step", args=[draft.pk, "lieu"]), _location(municipality)
    )

    assert response.url == reverse("directory:registration-step", args=[draft.pk, "offre"])
    draft.refresh_from_db()
    assert draft.postal_code == "J4K 2T1"
    assert draft.website == "https://coop.example"
    assert draft.region_id == municipality.region_id
    assert draft.contacts.get().name == "Josée Tremblay"


def test_bad_postal_code_email_and_phone_are_refused_and_nothing_is_saved(
    client, representative, draft
):
    municipality = MunicipalityFactory()
    client.force_login(representative)

    response = client.post(
        reverse("directory:registration-step", args=[draft.pk, "lieu"]),
        _location(municipality, postal_code="12345", email="pas@", phone="appelez-nous"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un code postal canadien comme H2X 1Y4." in page
    assert "Saisissez une adresse de courriel valide." in page
    assert "Saisissez un numéro de téléphone" in page
    draft.refresh_from_db()
    assert draft.municipality_id is None
    assert not draft.contacts.exists()


def test_a_png_logo_is_accepted_and_named_after_its_real_format(client, representative, draft):
    client.force_login(representative)
    upload = image_upload("PNG", name="mon logo.exe")

    client.post(
        reverse("directory:registration-step", args=[draft.pk, "lieu"]),
        {**_location(MunicipalityFactory()), "logo": upload},
    )

    draft.refresh_from_db()
    assert draft.logo.name.startswith("logos/")
    assert draft.logo.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            image_upload("GIF", name="logo.gif"),
            "Seuls les logos PNG, JPEG et WebP sont acceptés.",
        ),
        (
            image_upload("PNG", name="logo.png", size=(1600, 1600)).__class__(
                "logo.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1), content_type="image/png"
            ),
            "Le logo doit faire 1 Mo ou moins.",
        ),
        (
            image_upload().__class__(
                "logo.png",
                b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
                content_type="image/svg+xml",
            ),
            "Les logos SVG ne sont pas acceptés",
        ),
        (
            image_upload().__class__(
                "logo.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
            ),
            "Ce fichier n’est pas une image",
        ),
    ],
    ids=["gif", "too-big", "svg", "html-named-png"],
)
def test_logos_other_than_small_png_jpeg_or_webp_are_refused(
    client, representative, draft, upload, message
):
    client.force_login(representative)

    response = client.post(
        reverse("directory:registration-step", args=[draft.pk, "lieu"]),
        {**_location(MunicipalityFactory()), "logo": upload},
    )

    assert message in response.content.decode()
    draft.refresh_from_db()
    assert not draft.logo
    assert draft.municipality_id is None


def test_offer_step_saves_sectors_offerings_and_the_search_text(client, representative, draft):
    sector = SectorFactory()
    category = CategoryFactory(name_fr="Service de traiteur")
    client.force_login(representative)

    response = client.post(
        reverse("directory:registration-step", args=[draft.pk, "offre"]),
        {
            "mission": "Nourrir le quartier",
            "description": "Traiteur coopératif",
            "primary_sector": sector.pk,
            "sectors": [],
            "offre-TOTAL_FORMS": "1",
            "offre-INITIAL_FORMS": "0",
            "offre-0-name": "Boîtes-repas",
            "offre-0-category": category.pk,
            "offre-0-keywords": "repas, lunch",
        },
    )

    assert response.status_code == 200  # sectors are required
    assert "Ce champ est obligatoire." in response.content.decode()

    response = client.post(
        reverse("directory:registration-step", args=[draft.pk, "offre"]),
        {
            "mission": "Nourrir le quartier",
            "description": "Traiteur coopératif",
            "primary_sector": sector.pk,
            "sectors": [sector.pk],
            "offre-TOTAL_FORMS": "1",
            "offre-INITIAL_FORMS": "0",
            "offre-0-name": "Boîtes-repas",
            "offre-0-category": category.pk,
            "offre-0-keywords": "repas, lunch",
        },
    )

    assert response.url == reverse("directory:registration-step", args=[draft.pk, "impacts"])
    draft.refresh_from_db()
    assert list(draft.sectors.all()) == [sector]
    assert draft.offerings.get().name == "Boîtes-repas"
    assert "Boîtes-repas" in draft.search_document


def test_impacts_step_records_the_chosen_impacts(client, representative, draft):
    client.force_login(representative)

    client.post(
        reverse("directory:registration-step", args=[draft.pk, "impacts"]),
        {"impacts": [Impact.INTEGRATION, Impact.LOCAL_SERVICES], "employees": "12"},
    )

    assert set(draft.impacts.values_list("impact", flat=True)) == {
        Impact.INTEGRATION,
        Impact.LOCAL_SERVICES,
    }
    draft.refresh_from_db()
    assert draft.employees == 12


def test_submitting_records_the_consent_and_asks_for_verification(client, representative, draft):
    complete_enterprise(draft)
    client.force_login(representative)

    response = client.post(
        reverse("directory:registration-step", args=[draft.pk, "envoi"]), {"consent": "on"}
    )

    assert response.url == reverse("directory:my-enterprise", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Enterprise.Status.PENDING
    assert draft.submitted_at is not None
    assert draft.publication_consent_by == representative
    assert draft.publication_consent_at is not None
    assert not draft.is_published  # not before a coordinator verifies it


def test_an_incomplete_registration_cannot_be_submitted(client, representative, draft):
    client.force_login(representative)

    response = client.post(reverse("directory:registration-step", args=[draft.pk, "envoi"]), {})

    page = response.content.decode()
    assert "Avant d’envoyer, ajoutez" in page
    assert "la municipalité" in page
    draft.refresh_from_db()
    assert draft.status == Enterprise.Status.NOT_SUBMITTED


def test_a_draft_identity_can_be_corrected_during_registration(client, representative, draft):
    client.force_login(representative)
    url = reverse("directory:registration-step", args=[draft.pk, "identite"])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {"neq": "2240000555", "name": "Coop Paniers bio", "other_names": "", "legal_form": "other"},
    )

    assert "Étape précédente" not in page
    assert response.url == reverse("directory:registration-step", args=[draft.pk, "lieu"])
    draft.refresh_from_db()
    assert (draft.neq, draft.name) == ("2240000555", "Coop Paniers bio")
    assert draft.status == Enterprise.Status.NOT_SUBMITTED


def test_registration_steps_of_a_submitted_enterprise_lead_to_its_page(
    client, representative, draft
):
    draft.status = Enterprise.Status.PENDING
    draft.save()
    client.force_login(representative)

    response = client.get(reverse("directory:registration-step", args=[draft.pk, "lieu"]))

    assert response.url == reverse("directory:my-enterprise", args=[draft.pk])


def test_html_in_a_name_is_shown_escaped(client, representative, draft):
    draft.name = '<script>alert("x")</script>'
    draft.save()
    client.force_login(representative)

    page = client.get(reverse("directory:my-enterprise", args=[draft.pk])).content.decode()

    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# --- My enterprise --------------------------------------------------------------------
@pytest.fixture
def other_enterprise(db):
    return RepresentativeFactory(
        user__email="autre@coop.example", enterprise=EnterpriseFactory(name="Autre coop")
    ).enterprise


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("directory:my-enterprise", [], "get"),
        ("directory:my-enterprise-section", ["identite"], "get"),
        ("directory:my-enterprise-section", ["identite"], "post"),
        ("directory:registration-step", ["lieu"], "get"),
        ("directory:my-enterprise-publication", [], "post"),
        ("directory:my-enterprise-submit", [], "post"),
        ("directory:my-enterprise-supplier-join", [], "post"),
    ],
)
def test_a_representative_cannot_touch_another_enterprise(
    client, representative, other_enterprise, name, args, method
):
    client.force_login(representative)
    url = reverse(name, args=[other_enterprise.pk, *args])

    response = getattr(client, method)(url, {"name": "Volé", "neq": "2240000999"})

    assert response.status_code == 404
    other_enterprise.refresh_from_db()
    assert other_enterprise.name == "Autre coop"


def test_an_outsider_cannot_open_an_enterprise_dashboard(client, outsider, draft):
    client.force_login(outsider)

    assert client.get(reverse("directory:my-enterprise", args=[draft.pk])).status_code == 404


def test_a_pending_join_request_gives_no_access_yet(client, stranger, other_enterprise):
    Representative.objects.create(user=stranger, enterprise=other_enterprise)
    client.force_login(stranger)

    response = client.get(reverse("directory:my-enterprise", args=[other_enterprise.pk]))

    assert response.status_code == 404


def _identity(enterprise, **changes):
    return {
        "neq": enterprise.neq,
        "name": enterprise.name,
        "other_names": "",
        "legal_form": enterprise.legal_form,
        **changes,
    }


def test_renaming_a_verified_enterprise_sends_it_back_to_verification(client, other_enterprise):
    user = other_enterprise.representatives.get().user
    client.force_login(user)

    response = client.post(
        reverse("directory:my-enterprise-section", args=[other_enterprise.pk, "identite"]),
        _identity(other_enterprise, name="Coop renommée"),
        follow=True,
    )

    other_enterprise.refresh_from_db()
    assert other_enterprise.name == "Coop renommée"
    assert other_enterprise.status == Enterprise.Status.PENDING
    assert "vérifiera de nouveau" in response.content.decode()


def test_the_same_neq_written_differently_is_not_an_identity_change(client, other_enterprise):
    client.force_login(other_enterprise.representatives.get().user)
    spaced = f"{other_enterprise.neq[:4]} {other_enterprise.neq[4:7]} {other_enterprise.neq[7:]}"

    client.post(
        reverse("directory:my-enterprise-section", args=[other_enterprise.pk, "identite"]),
        _identity(other_enterprise, neq=spaced),
    )

    other_enterprise.refresh_from_db()
    assert other_enterprise.status == Enterprise.Status.VERIFIED


def test_taking_another_enterprise_neq_is_refused(client, other_enterprise):
    EnterpriseFactory(neq="2240000777")
    client.force_login(other_enterprise.representatives.get().user)

    response = client.post(
        reverse("directory:my-enterprise-section", args=[other_enterprise.pk, "identite"]),
        _identity(other_enterprise, neq="2240000777"),
    )

    assert "Une autre entreprise a déjà ce NEQ." in response.content.decode()
    other_enterprise.refresh_from_db()
    assert other_enterprise.neq != "2240000777"


def test_describing_a_verified_enterprise_keeps_it_verified(client, other_enterprise):
    client.force_login(other_enterprise.representatives.get().user)
    sector = SectorFactory()

    client.post(
        reverse("directory:my-enterprise-section", args=[other_enterprise.pk, "offre"]),
        {
            "mission": "Nouvelle mission",
            "description": "",
            "sectors": [sector.pk],
            "offre-TOTAL_FORMS": "0",
            "offre-INITIAL_FORMS": "0",
        },
    )

    other_enterprise.refresh_from_db()
    assert other_enterprise.mission == "Nouvelle mission"
    assert other_enterprise.status == Enterprise.Status.VERIFIED


def test_a_verified_enterprise_is_published_with_recorded_consent(client, other_enterprise):
    other_enterprise.is_published = False
    other_enterprise.publication_consent_at = None
    other_enterprise.save()
    user = other_enterprise.representatives.get().user
    client.force_login(user)

    refused = client.post(
        reverse("directory:my-enterprise-publication", args=[other_enterprise.pk]), {}
    )
    other_enterprise.refresh_from_db()
    assert refused.status_code == 302
    assert not other_enterprise.is_published

    client.post(
        reverse("directory:my-enterprise-publication", args=[other_enterprise.pk]),
        {"consent": "on"},
    )

    other_enterprise.refresh_from_db()
    assert other_enterprise.is_published
    assert other_enterprise.publication_consent_by == user
    assert Enterprise.objects.published().filter(pk=other_enterprise.pk).exists()


def test_withdrawing_consent_unpublishes_the_profile(client, other_enterprise):
    client.force_login(other_enterprise.representatives.get().user)

    client.post(
        reverse("directory:my-enterprise-publication", args=[other_enterprise.pk]),
        {"action": "withdraw"},
    )

    other_enterprise.refresh_from_db()
    assert not other_enterprise.is_published
    assert other_enterprise.publication_consent_at is None


def test_my_enterprise_page_shows_status_and_french_sections(client, representative, draft):
    client.force_login(representative)

    page = client.get(reverse("directory:my-enterprise", args=[draft.pk])).content.decode()

    assert "Non soumise" in page
    assert "Lieu et coordonnées" in page
    assert "Fichiers fournisseurs" in page


def test_the_representative_list_redirects_to_the_only_enterprise(client, representative, draft):
    client.force_login(representative)

    response = client.get(reverse("directory:my-enterprises"))

    assert response.url == reverse("directory:my-enterprise", args=[draft.pk])


# --- Services -------------------------------------------------------------------------
def test_register_enterprise_joins_when_the_neq_exists():
    user = UserFactory()
    existing = EnterpriseFactory(neq="2240000321")

    registration = services.register_enterprise(
        user=user, neq="2240-000-321", name="X", legal_form="other"
    )

    assert registration.is_join_request
    assert registration.enterprise == existing


def test_approving_a_join_request_emails_the_user_in_french(
    coordinator, django_capture_on_commit_callbacks
):
    request = RepresentativeFactory(is_approved=False, user__email="nouveau@coop.example")

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_join_request(representative=request, by=coordinator)

    request.refresh_from_db()
    assert request.is_approved
    assert request.approved_by == coordinator
    assert mail.outbox[-1].to == ["nouveau@coop.example"]
    assert "Vous représentez maintenant" in mail.outbox[-1].subject
