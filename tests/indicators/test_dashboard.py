"""Dashboards read snapshots, compare periods and refuse bad input with a clear message."""

import datetime as dt
import html as html_lib
import importlib.util

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Target
from tests.factories import OrganizationFactory, SectorFactory
from tests.indicators.factories_pages import (  # noqa: F401 (fixture)
    PREVIOUS_YEAR,
    YEAR_2024,
    YEAR_2025,
    add_measurements,
    fresh_cache,
    large_parts,
    share,
    write_snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

Q1_2025 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q4_2024 = (dt.date(2024, 10, 1), dt.date(2024, 12, 31))


def year_2025(organization):
    """The worked example in 2025 and smaller figures in 2024, for `organization`."""
    snapshot = write_snapshot(scopes=[organization.pk], periods=[YEAR_2025])
    add_measurements(
        snapshot, scopes=[organization.pk], periods=[YEAR_2024], values=PREVIOUS_YEAR, parts={}
    )
    return snapshot


def text(response) -> str:
    """The page with entities decoded, so French apostrophes read as typed."""
    return html_lib.unescape(response.content.decode())


def get(client, organization, **params):
    url = reverse("indicators:organization-dashboard", args=[organization.pk])
    return client.get(url, {"kind": "year", "year": 2025, **params})


# --- what a manager sees ------------------------------------------------------------------
def test_a_manager_sees_the_worked_example_in_french(client, manager, organization):
    year_2025(organization)
    client.force_login(manager)

    response = get(client, organization)

    assert response.status_code == 200
    html = text(response)
    assert "Indicateurs de Ville de Longueuil" in html
    assert "40\xa0000,00\xa0$" in html  # ees_spend
    assert "140\xa0000,00\xa0$" in html  # total_spend
    assert "28,6\xa0%" in html  # ees_spend_share
    assert "Résultats en chiffres" in html
    assert "Contrats signés avec des EÉS" in html


def test_the_dashboard_compares_with_the_previous_year(client, manager, organization):
    year_2025(organization)
    client.force_login(manager)

    html = text(get(client, organization))

    assert "comparés à 2024" in html
    assert "+30\xa0000,00\xa0$" in html  # 40 000 $ against 10 000 $
    assert "+18,6\xa0pts" in html  # 28,6 % against 10,0 %
    assert "10\xa0000,00\xa0$" in html


def test_the_pilot_style_results_in_figures_are_reproduced(client, coordinator):
    pilot = {
        "ees_contracts": 101,
        "ees_spend": "1234567.89",
        "ees_contracts_new_relationship_share": share(64, 101),
        "ees_contracts_after_matchmaking_share": share(40, 101),
        "business_contacts": 912,
        "business_contacts_new_share": share(638, 912),
        "ees_published": 153,
        "organizations_with_ees_contract_share": share(9, 12),
        "sectors_represented": 20,
        "offerings": 341,
        "matchmaking_activities": 14,
        "activity_participants": 542,
    }
    write_snapshot(scopes=[None], periods=[YEAR_2025, YEAR_2024], values=pilot, parts={})
    client.force_login(coordinator)

    response = client.get(reverse("indicators:platform-dashboard"), {"year": 2025})

    html = text(response)
    figures = html.split('class="figures"')[1].split("</table>")[0]
    for label, value in [
        ("Contrats signés avec des EÉS", "101"),
        ("Valeur de ces contrats", "1\xa0234\xa0567,89\xa0$"),
        ("Issus d'une nouvelle relation d'affaires", "63,4\xa0%"),
        ("Signés à la suite d'activités de maillage", "39,6\xa0%"),
        ("Contacts d'affaires", "912"),
        ("Nouveaux contacts d'affaires", "70,0\xa0%"),
        ("EÉS participantes", "153"),
        ("Organisations participantes", "12"),
        ("Secteurs représentés", "20"),
        ("Produits et services offerts", "341"),
        ("Activités de maillage réalisées", "14"),
        ("Personnes rejointes", "542"),
    ]:
        assert f'<th scope="row">{label}</th><td class="num">{value}</td>' in figures, label


def test_a_quarter_is_compared_with_the_previous_quarter(client, manager, organization):
    write_snapshot(scopes=[organization.pk], periods=[Q1_2025, Q4_2024])
    client.force_login(manager)

    response = get(client, organization, kind="quarter", quarter=1)

    html = text(response)
    assert response.status_code == 200
    assert "données pour T1 2025, comparées à T4 2024" in html


def test_the_page_shows_when_the_data_was_computed(client, manager, organization):
    computed_at = timezone.make_aware(dt.datetime(2025, 11, 3, 14, 5))
    write_snapshot(
        scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024], computed_at=computed_at
    )
    client.force_login(manager)

    html = text(get(client, organization))

    assert "Données calculées le 3 novembre 2025, 14:05." in html


def test_without_a_chosen_period_the_dashboard_shows_the_current_year(
    client, manager, organization
):
    year = timezone.localdate().year
    this_year = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    last_year = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    write_snapshot(scopes=[organization.pk], periods=[this_year, last_year])
    client.force_login(manager)

    response = client.get(reverse("indicators:organization-dashboard", args=[organization.pk]))

    assert response.status_code == 200
    assert f"données pour {year}, comparées à {year - 1}" in text(response)


def test_the_charts_are_svg_with_a_data_table_each(client, manager, organization):
    SectorFactory(code="72")
    SectorFactory(code="56", name_fr="Services administratifs", name_en="Administrative services")
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)

    html = text(get(client, organization))

    for chart_id in ("chart-spend-methods", "chart-funnel", "chart-share", "chart-sector"):
        assert f'<svg class="chart" id="{chart_id}"' in html
    assert html.count('role="img"') == 5
    assert html.count("<summary>Tableau de données") == 5
    assert "Services d'hébergement et de restauration" in html
    assert "Montérégie" in html
    assert "Appel d'offres sur invitation" in html


def test_the_dashboard_shows_the_target_progress_and_gap(client, manager, organization):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    Target.objects.create(
        code="ees_spend",
        organization=organization,
        start=YEAR_2025[0],
        end=YEAR_2025[1],
        value=50000,
    )
    client.force_login(manager)

    html = text(get(client, organization))

    row = html.split('id="target-ees_spend"')[1].split("</tr>")[0]
    assert "50\xa0000,00\xa0$" in row
    assert "80\xa0%" in row  # 40 000 / 50 000
    assert "−10\xa0000,00\xa0$" in row
    assert "à atteindre" in row


def test_an_undefined_share_shows_a_dash_not_zero(client, manager, organization):
    values = {"ees_spend": 0, "total_spend": 0, "ees_spend_share": share(0, 0)}
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024], values=values)
    client.force_login(manager)

    html = text(get(client, organization))

    row = html.split('id="indicator-ees_spend_share"')[1].split("</tr>")[0]
    assert '<td class="num">—</td>' in row
    assert "0,0\xa0%" not in row


def test_the_dashboard_is_in_english_on_request(client, manager, organization):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = text(get(client, organization))

    assert "Indicators of Ville de Longueuil" in html
    assert "$40,000.00" in html
    assert "Results in figures" in html


# --- bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"kind": "custom", "start": "2025-06-30", "end": "2025-01-01"},
            "La date de fin doit être égale ou postérieure à la date de début.",
        ),
        ({"kind": "custom", "start": "2025-01-01"}, "Une période personnalisée exige"),
        (
            {"kind": "custom", "start": "1900-01-01", "end": "2025-01-01"},
            "Choisissez des dates entre 2000 et 2100.",
        ),
        (
            {"kind": "custom", "start": "2001-01-01", "end": "2025-01-01"},
            "Une période personnalisée couvre au plus cinq ans.",
        ),
        ({"kind": "year", "year": "1850"}, "Assurez-vous que cette valeur est supérieure"),
        ({"kind": "year", "year": "deux mille"}, "Saisissez un nombre entier."),
        ({"kind": "custom", "start": "2025-02-30", "end": "2025-03-01"}, "Saisissez une date"),
        ({"kind": "decade"}, "Sélectionnez un choix valide."),
        ({"kind": "month", "month": "13"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_periods_get_a_400_with_a_clear_french_message(
    client, manager, organization, params, message
):
    client.force_login(manager)
    url = reverse("indicators:organization-dashboard", args=[organization.pk])

    response = client.get(url, params)

    assert response.status_code == 400
    html = text(response)
    assert message in html
    assert 'role="alert"' in html


# --- who sees what ------------------------------------------------------------------------
@pytest.mark.parametrize("actor", ["officer", "buyer", "manager", "coordinator"])
def test_staff_of_the_organization_and_coordinators_see_its_dashboard(
    client, organization, actor, request
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(request.getfixturevalue(actor))

    assert get(client, organization).status_code == 200


@pytest.mark.parametrize("actor", ["outsider", "stranger"])
def test_an_outsider_cannot_see_another_organizations_dashboard(
    client, organization, actor, request
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(request.getfixturevalue(actor))

    response = get(client, organization)

    assert response.status_code == 403
    assert "40\xa0000,00" not in text(response)


def test_a_visitor_is_sent_to_log_in_for_an_organization_dashboard(client, organization):
    response = get(client, organization)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_organization_is_a_404(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("indicators:organization-dashboard", args=[999999]))

    assert response.status_code == 404


def test_only_coordinators_see_the_platform_dashboard(client, manager, coordinator):
    write_snapshot(scopes=[None], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    assert client.get(reverse("indicators:platform-dashboard"), {"year": 2025}).status_code == 403

    client.force_login(coordinator)
    response = client.get(reverse("indicators:platform-dashboard"), {"year": 2025})

    assert response.status_code == 200
    html = text(response)
    assert "Tableau de bord de la plateforme" in html
    assert "Toutes les organisations" in html


def test_a_coordinator_selects_one_organization_on_the_platform_dashboard(
    client, coordinator, organization, other_organization
):
    write_snapshot(scopes=[None, organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(coordinator)

    response = client.get(
        reverse("indicators:platform-dashboard"), {"year": 2025, "organization": organization.pk}
    )

    html = text(response)
    assert response.status_code == 200
    assert "Ville de Longueuil : données pour 2025" in html
    assert f'<option value="{other_organization.pk}">Ville de Trois-Rivières</option>' in html


def test_an_unknown_organization_in_the_selector_is_a_400(client, coordinator):
    client.force_login(coordinator)

    response = client.get(
        reverse("indicators:platform-dashboard"), {"year": 2025, "organization": "abc"}
    )

    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)


def test_the_public_page_shows_platform_totals_without_naming_organizations(client):
    parts = {"organization": {"ees_spend": {"1": ("Ville secrète", 40000)}}}
    write_snapshot(scopes=[None], periods=[YEAR_2025, YEAR_2024], parts=parts)

    response = client.get(reverse("indicators:public-dashboard"), {"year": 2025})

    html = text(response)
    assert response.status_code == 200
    assert "L'approvisionnement auprès de l'économie sociale en chiffres" in html
    assert "40\xa0000,00\xa0$" in html
    assert "Ville secrète" not in html
    assert reverse("indicators:refresh") not in html
    assert reverse("indicators:target-set") not in html


def test_the_index_sends_each_person_to_their_dashboard(client, manager, coordinator, organization):
    assert client.get(reverse("indicators:index"))["Location"] == reverse(
        "indicators:public-dashboard"
    )
    client.force_login(manager)
    assert client.get(reverse("indicators:index"))["Location"] == reverse(
        "indicators:organization-dashboard", args=[organization.pk]
    )
    client.force_login(coordinator)
    assert client.get(reverse("indicators:index"))["Location"] == reverse(
        "indicators:platform-dashboard"
    )


def test_a_member_of_two_organizations_can_switch_between_them(
    client, manager, organization, other_organization
):
    from tests.factories import MembershipFactory

    MembershipFactory(user=manager, organization=other_organization, role="buyer")
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)

    html = text(get(client, organization))

    url = reverse("indicators:organization-dashboard", args=[other_organization.pk])
    assert f'<a href="{url}">Ville de Trois-Rivières</a>' in html


# --- refresh now --------------------------------------------------------------------------
def test_a_manager_refreshes_the_indicators_now(client, manager, organization):
    client.force_login(manager)
    next_url = reverse("indicators:organization-dashboard", args=[organization.pk]) + "?year=2025"

    response = client.post(reverse("indicators:refresh"), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == next_url
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("en cours de recalcul" in message for message in messages)


def test_the_refresh_does_not_redirect_to_another_site(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("indicators:refresh"), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("indicators:index")


@pytest.mark.parametrize("actor", ["officer", "buyer", "outsider", "stranger"])
def test_only_managers_and_coordinators_refresh(client, actor, request):
    client.force_login(request.getfixturevalue(actor))

    assert client.post(reverse("indicators:refresh")).status_code == 403


def test_the_refresh_button_needs_a_post(client, manager):
    client.force_login(manager)

    assert client.get(reverse("indicators:refresh")).status_code == 405


def test_the_refresh_button_is_shown_to_managers_not_officers(
    client, manager, officer, organization
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    assert reverse("indicators:refresh") in text(get(client, organization))

    client.force_login(officer)
    html = text(get(client, organization))
    assert reverse("indicators:refresh") not in html
    assert reverse("indicators:target-set") not in html


# --- the query budget ---------------------------------------------------------------------
def test_the_dashboard_reads_a_constant_number_of_queries_whatever_the_volume(
    client, manager, organization, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    others = [OrganizationFactory().pk for _ in range(49)]
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    get(client, organization)  # the session is warm
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        get(client, organization)

    for code in range(10, 50):
        SectorFactory(code=str(code), name_fr=f"Secteur {code}", name_en=f"Sector {code}")
    snapshot = write_snapshot(
        scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024], parts=large_parts(sectors=40)
    )
    add_measurements(snapshot, scopes=[None, *others], periods=[YEAR_2025, YEAR_2024])
    with django_assert_num_queries(len(small)):
        large = get(client, organization)

    assert len(small) <= 20
    assert large.status_code == 200
    assert "Secteur 49" in text(large)


def test_a_second_view_of_the_same_snapshot_is_served_from_the_cache(
    client, manager, organization, django_assert_num_queries
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    first = get(client, organization)

    # Session, user, organization, roles (2), the latest snapshot and the targets.
    with django_assert_num_queries(7):
        second = get(client, organization)

    def figures(response):
        return text(response).split('<p class="freshness">')[1].split("</main>")[0]

    assert figures(second) == figures(first)
    assert "40\xa0000,00\xa0$" in figures(second)


def test_a_new_snapshot_or_a_new_target_shows_at_once_despite_the_cache(
    client, manager, organization
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    assert "40\xa0000,00\xa0$" in text(get(client, organization))

    newer = {"ees_spend": 55000, "total_spend": 140000}
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024], values=newer)
    assert "55\xa0000,00\xa0$" in text(get(client, organization))

    Target.objects.create(
        code="ees_spend", organization=organization, start=YEAR_2025[0], end=YEAR_2025[1], value=1
    )
    assert 'id="target-ees_spend"' in text(get(client, organization))


def test_the_cache_keeps_languages_apart(client, manager, organization):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    assert "Résultats en chiffres" in text(get(client, organization))

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert "Results in figures" in text(get(client, organization))


def test_the_period_selector_shows_the_chosen_period_in_the_reader_s_language(
    client, manager, organization
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)

    def selector(response) -> str:
        html = text(response)
        start = html.index('<form method="get" class="period-form')
        return html[start : html.index("</form>", start)]

    year_2025 = selector(get(client, organization))
    year_2024 = selector(get(client, organization, year=2024))
    again = selector(get(client, organization))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = selector(get(client, organization, year=2024))

    assert 'name="year" value="2025"' in year_2025
    assert 'name="year" value="2024"' in year_2024
    assert again == year_2025
    assert 'name="year" value="2024"' in english
    assert '<label for="id_kind">Period:</label>' in english
    assert '<label for="id_kind">Période' in year_2024


# --- live computation of a custom range ---------------------------------------------------
@pytest.mark.skipif(
    importlib.util.find_spec("indicators.kpis") is None, reason="the indicator engine is not here"
)
def test_a_custom_range_is_computed_live(client, manager, organization):
    client.force_login(manager)

    response = get(client, organization, kind="custom", start="2025-02-01", end="2025-04-15")

    assert response.status_code == 200
    html = text(response)
    assert "Calculé en direct pour cette période" in html
    assert (
        "données pour 1 févr. 2025 – 15 avr. 2025, comparées à 19 nov. 2024 – 31 janv. 2025" in html
    )
