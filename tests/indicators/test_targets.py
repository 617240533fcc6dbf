"""Targets: who sets them, what is refused, and how dashboards show progress and the gap."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import Target
from indicators.targets import Progress, set_target
from tests.indicators.factories_pages import (  # noqa: F401 (fixture)
    YEAR_2024,
    YEAR_2025,
    fresh_cache,
    write_snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

START, END = YEAR_2025


def text(response) -> str:
    return html.unescape(response.content.decode())


def target(user, organization, **overrides):
    arguments = {
        "code": "ees_spend",
        "organization": organization,
        "start": START,
        "end": END,
        "value": Decimal("50000"),
        "by": user,
        **overrides,
    }
    return set_target(**arguments)


# --- the service --------------------------------------------------------------------------
def test_a_manager_sets_then_replaces_a_target(manager, organization):
    target(manager, organization)
    saved = target(manager, organization, value=Decimal("60000"))

    assert Target.objects.count() == 1
    assert saved.value == Decimal("60000")
    assert saved.set_by == manager


def test_a_coordinator_sets_a_platform_wide_target(coordinator):
    saved = target(coordinator, None, code="ees_spend_share", value=Decimal("0.2"))

    assert saved.organization is None
    assert Target.objects.get().value == Decimal("0.2")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": Decimal("-1")}, "value", "Une cible ne peut pas être négative."),
        ({"code": "ees_happiness"}, "code", "Indicateur inconnu : ees_happiness."),
        (
            {"code": "ees_spend_share", "value": Decimal("1.5")},
            "value",
            "Une cible de part se situe entre 0 % et 100 %.",
        ),
        (
            {"code": "ees_contracts", "value": Decimal("2.5")},
            "value",
            "Cet indicateur est un dénombrement : saisissez un nombre entier.",
        ),
        (
            {"start": dt.date(2025, 12, 31), "end": dt.date(2025, 1, 1)},
            "end",
            "La date de fin doit être égale ou postérieure à la date de début.",
        ),
        ({"value": Decimal("NaN")}, "value", "Saisissez un nombre."),
        ({"value": Decimal("1e20")}, "value", "Cette cible est trop grande."),
    ],
)
def test_bad_targets_are_refused_with_a_clear_message(
    manager, organization, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        target(manager, organization, **overrides)

    assert refused.value.message_dict[field] == [message]
    assert not Target.objects.exists()


@pytest.mark.parametrize("actor", ["officer", "buyer", "outsider", "stranger"])
def test_only_managers_of_the_organization_set_its_targets(actor, organization, request):
    with pytest.raises(PermissionDenied):
        target(request.getfixturevalue(actor), organization)


def test_a_manager_cannot_set_a_platform_wide_target(manager):
    with pytest.raises(PermissionDenied):
        target(manager, None)


def test_progress_is_actual_over_target_and_the_gap_is_in_the_unit():
    progress = Progress(code="ees_spend", target=Decimal("50000"), actual=Decimal("40000"))

    assert progress.ratio == Decimal("0.8")
    assert progress.gap == Decimal("-10000")
    assert not progress.reached
    assert Progress(code="ees_contracts", target=Decimal(0), actual=3).ratio is None
    assert Progress(code="ees_contracts", target=Decimal(2), actual=3).reached


# --- the page -----------------------------------------------------------------------------
def test_a_manager_sets_a_target_from_the_dashboard_and_sees_its_progress(
    client, manager, organization
):
    write_snapshot(scopes=[organization.pk], periods=[YEAR_2025, YEAR_2024])
    client.force_login(manager)
    dashboard = reverse("indicators:organization-dashboard", args=[organization.pk])
    page = text(client.get(dashboard, {"year": 2025}))
    link = page.split('<a href="/indicateurs/cibles/?')[1].split('"')[0]
    form_url = "/indicateurs/cibles/?" + link

    form = client.get(form_url)
    assert form.status_code == 200
    assert "Fixer une cible" in text(form)
    assert 'value="2025-01-01"' in text(form)

    response = client.post(
        form_url,
        {
            "organization": organization.pk,
            "code": "ees_spend_share",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "value": "25",
            "next": form.context["next"],
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith(dashboard)
    assert Target.objects.get().value == Decimal("0.25")
    after = text(client.get(response["Location"]))
    assert "La cible est enregistrée." in after
    row = after.split('id="target-ees_spend_share"')[1].split("</tr>")[0]
    assert "25,0\xa0%" in row  # the target
    assert "28,6\xa0%" in row  # the actual share
    assert "+3,6\xa0pts" in row  # the gap
    assert "atteinte" in row
    assert "Cible : 25,0\xa0%" in after  # on the gauge


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Une cible ne peut pas être négative."),
        ("beaucoup", "Saisissez un nombre."),
    ],
)
def test_a_bad_target_on_the_page_is_a_400_and_nothing_is_saved(
    client, manager, organization, value, message
):
    client.force_login(manager)

    response = client.post(
        reverse("indicators:target-set"),
        {
            "organization": organization.pk,
            "code": "ees_spend",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "value": value,
        },
    )

    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'role="alert"' in page
    assert not Target.objects.exists()


def test_an_unknown_code_posted_to_the_page_is_a_400(client, manager, organization):
    client.force_login(manager)

    response = client.post(
        reverse("indicators:target-set"),
        {
            "organization": organization.pk,
            "code": "ees_happiness",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "value": "3",
        },
    )

    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    assert not Target.objects.exists()


def test_an_inverted_target_period_on_the_page_is_a_400(client, manager, organization):
    client.force_login(manager)

    response = client.post(
        reverse("indicators:target-set"),
        {
            "organization": organization.pk,
            "code": "ees_spend",
            "start": "2025-12-31",
            "end": "2025-01-01",
            "value": "3",
        },
    )

    assert response.status_code == 400
    assert "La date de fin doit être égale ou postérieure à la date de début." in text(response)


def test_an_outsider_cannot_set_a_target_for_another_organization(
    client, organization, other_organization
):
    from tests.factories import MembershipFactory

    outsider_manager = MembershipFactory(organization=other_organization, role="manager").user
    client.force_login(outsider_manager)

    page = client.get(reverse("indicators:target-set"))
    response = client.post(
        reverse("indicators:target-set"),
        {
            "organization": organization.pk,
            "code": "ees_spend",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "value": "3",
        },
    )

    assert "Ville de Longueuil" not in text(page)
    assert response.status_code == 400
    assert not Target.objects.exists()


@pytest.mark.parametrize("actor", ["officer", "buyer", "outsider", "stranger"])
def test_officers_buyers_and_strangers_cannot_open_the_target_page(client, actor, request):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(reverse("indicators:target-set")).status_code == 403


def test_a_visitor_is_sent_to_log_in_to_set_a_target(client):
    response = client.get(reverse("indicators:target-set"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_coordinator_sets_a_platform_target_and_the_platform_dashboard_shows_it(
    client, coordinator
):
    write_snapshot(scopes=[None], periods=[YEAR_2025, YEAR_2024])
    client.force_login(coordinator)

    response = client.post(
        reverse("indicators:target-set"),
        {
            "organization": "",
            "code": "ees_contracts",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "value": "4",
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("indicators:platform-dashboard"))
    page = text(client.get(response["Location"]))
    row = page.split('id="target-ees_contracts"')[1].split("</tr>")[0]
    assert "50\xa0%" in row  # 2 of 4
    assert "−2" in row
    assert "à atteindre" in row


def test_the_target_page_lists_targets_and_prefills_one_to_edit(client, manager, organization):
    Target.objects.create(
        code="ees_spend_share", organization=organization, start=START, end=END, value="0.3"
    )
    client.force_login(manager)

    page = client.get(reverse("indicators:target-set"))
    listing = text(page)
    assert "Part des achats auprès des EÉS" in listing
    edit = listing.split("Part des achats auprès des EÉS</th>")[1].split('<a href="')[1]
    edit = edit.split('"')[0]

    form = client.get(edit)

    assert form.context["form"].initial["value"] == Decimal("30")


def test_the_next_url_after_a_target_cannot_leave_the_site(client, manager, organization):
    client.force_login(manager)

    response = client.post(
        reverse("indicators:target-set"),
        {
            "organization": organization.pk,
            "code": "ees_spend",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "value": "3",
            "next": "https://evil.example/",
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("indicators:organization-dashboard", args=[organization.pk])
    )


@pytest.mark.parametrize(
    "query",
    [
        {"organization": "abc", "start": "2025-01-01", "end": "2025-12-31"},
        {"start": "2025-13-45", "end": "demain"},
        {"code": "<script>", "organization": ""},
    ],
)
def test_a_malformed_link_to_the_target_page_still_opens_the_form(
    client, manager, organization, query
):
    client.force_login(manager)

    response = client.get(reverse("indicators:target-set"), query)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_form_never_shows_another_organizations_target_value(
    client, organization, other_organization
):
    from tests.factories import MembershipFactory

    Target.objects.create(
        code="ees_spend", organization=organization, start=START, end=END, value="123456"
    )
    other_manager = MembershipFactory(organization=other_organization, role="manager").user
    client.force_login(other_manager)

    response = client.get(
        reverse("indicators:target-set"),
        {
            "organization": organization.pk,
            "code": "ees_spend",
            "start": "2025-01-01",
            "end": "2025-12-31",
        },
    )

    assert "123456" not in response.content.decode()


def test_a_target_far_outside_the_plans_years_is_refused(manager, organization):
    with pytest.raises(ValidationError) as refused:
        target(manager, organization, start=dt.date(1900, 1, 1), end=dt.date(9999, 12, 31))

    assert refused.value.message_dict["end"] == ["Choisissez des dates entre 2000 et 2100."]
