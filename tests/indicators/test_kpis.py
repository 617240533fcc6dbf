"""The definitions of indicators.md, one situation at a time (live computation)."""

import datetime as dt
from decimal import Decimal

import pytest

from directory.models import Enterprise
from indicators.catalogue import BY_CODE, CODES
from indicators.kpis import KPIS, compute_report
from indicators.report import Scope, breakdowns_for, parts_add_up, standard_period
from procurement.models import Activity, Award, Method
from tests.factories import (
    ActivityFactory,
    BidFactory,
    BusinessContactFactory,
    EnterpriseFactory,
    InvitationFactory,
    OfferingFactory,
    OrganizationFactory,
    ProcessFactory,
    SectorFactory,
    SupplierRegistrationFactory,
)
from tests.indicators.factories_engine import D, award, backdate

pytestmark = pytest.mark.django_db

YEAR = {"start": D(2025, 1, 1), "end": D(2025, 12, 31)}
# indicators.md, every code of the catalogue, in its order.
SPECIFIED_CODES = [
    "ees_spend", "ees_spend_open", "ees_spend_invitation", "ees_spend_direct",
    "ees_spend_tender", "total_spend", "ees_spend_share", "ees_registered", "ees_invited",
    "ees_bidding", "ees_winning", "ees_registered_winning_share", "ees_contracts",
    "ees_contracts_new_relationship", "ees_contracts_new_relationship_share",
    "ees_contracts_after_matchmaking", "ees_contracts_after_matchmaking_share",
    "organizations_with_ees_contract_share", "business_contacts", "business_contacts_new",
    "business_contacts_new_share", "matchmaking_activities", "activity_participants",
    "ees_published", "sectors_represented", "offerings",
]  # fmt: skip


def report(organization=None, breakdown=None, **period):
    period = period or YEAR
    return compute_report(
        organization_id=organization.pk if organization else None, breakdown=breakdown, **period
    )


# The initiatives issue (#8, the plan's "Former" measure) adds one code after the specification's.
ADDED_CODES = ["people_trained"]


def test_every_code_of_the_specification_has_one_function():
    assert CODES == SPECIFIED_CODES + ADDED_CODES
    assert set(KPIS) == set(CODES)


def test_the_catalogue_keeps_the_french_labels_of_the_specification():
    assert BY_CODE["ees_spend_open"].label_fr == (
        "Valeur des contrats octroyés à des EÉS par appel d'offres public"
    )
    assert BY_CODE["ees_contracts_new_relationship"].label_fr == (
        "Contrats octroyés à des EÉS issus d'une nouvelle relation d'affaires"
    )
    assert BY_CODE["organizations_with_ees_contract_share"].unit == "share"


def test_pending_and_cancelled_awards_never_count(organization):
    ees = EnterpriseFactory()
    award(organization, ees, D(2025, 2, 1), "1000.00")
    award(organization, ees, D(2025, 3, 1), "2000.00", status=Award.Status.PENDING)
    award(organization, ees, D(2025, 4, 1), "4000.00", status=Award.Status.CANCELLED)

    values = report(organization)

    assert values["ees_spend"].value == Decimal("1000.00")
    assert values["total_spend"].value == Decimal("1000.00")
    assert values["ees_contracts"].value == 1


def test_ees_status_is_the_directory_s_current_one(organization):
    was_ees = EnterpriseFactory()
    award(organization, was_ees, D(2025, 2, 1), "1000.00")
    Enterprise.objects.filter(pk=was_ees.pk).update(status=Enterprise.Status.REVOKED)

    values = report(organization)

    assert values["ees_spend"].value == Decimal("0.00")
    assert values["total_spend"].value == Decimal("1000.00")
    assert values["ees_spend_share"].value == 0


def test_spend_is_split_by_method_exactly_to_the_cent(organization):
    ees = EnterpriseFactory()
    award(organization, ees, D(2025, 1, 1), "0.10", method=Method.OPEN)
    award(organization, ees, D(2025, 12, 31), "0.20", method=Method.INVITATION)
    award(organization, ees, D(2025, 6, 1), "999999999.99", method=Method.DIRECT)
    award(organization, ees, D(2026, 1, 1), "5.00", method=Method.DIRECT)  # next year

    values = report(organization)

    assert values["ees_spend_open"].value == Decimal("0.10")
    assert values["ees_spend_tender"].value == Decimal("0.30")
    assert values["ees_spend"].value == Decimal("1000000000.29")
    assert values["ees_spend_share"].value == 1


def test_registered_means_active_on_the_last_day(organization, other_organization):
    end = D(2025, 12, 31)
    on_end, day_after, withdrawn_on_end, later = (EnterpriseFactory() for _ in range(4))
    SupplierRegistrationFactory(enterprise=on_end, organization=organization, registered_on=end)
    SupplierRegistrationFactory(
        enterprise=day_after,
        organization=organization,
        registered_on=D(2025, 1, 1),
        withdrawn_on=D(2026, 1, 1),
    )
    SupplierRegistrationFactory(
        enterprise=withdrawn_on_end,
        organization=organization,
        registered_on=D(2025, 1, 1),
        withdrawn_on=end,
    )
    SupplierRegistrationFactory(
        enterprise=later, organization=organization, registered_on=D(2026, 1, 1)
    )
    # Registered at two organizations: once in the all-organizations scope.
    SupplierRegistrationFactory(
        enterprise=on_end, organization=other_organization, registered_on=D(2020, 1, 1)
    )

    assert report(organization)["ees_registered"].value == 2
    assert report(other_organization)["ees_registered"].value == 1
    assert report()["ees_registered"].value == 2


def test_a_supplier_that_is_not_an_ees_is_never_in_the_funnel(organization):
    supplier = EnterpriseFactory(supplier_only=True)
    process = ProcessFactory(organization=organization, method=Method.INVITATION)
    SupplierRegistrationFactory(enterprise=supplier, organization=organization)
    InvitationFactory(process=process, enterprise=supplier, invited_on=D(2025, 2, 1))
    BidFactory(process=process, enterprise=supplier, submitted_on=D(2025, 2, 2))
    award(organization, supplier, D(2025, 3, 1), "100.00", process=process)

    values = report(organization)

    assert [values[code].value for code in ("ees_invited", "ees_bidding", "ees_winning")] == [
        0,
        0,
        0,
    ]
    assert values["total_spend"].value == Decimal("100.00")


def test_invited_counts_invitation_processes_only_and_each_ees_once(
    organization, other_organization
):
    ees = EnterpriseFactory()
    for owner in (organization, other_organization):
        InvitationFactory(
            process=ProcessFactory(organization=owner, method=Method.INVITATION),
            enterprise=ees,
            invited_on=D(2025, 2, 1),
        )
    InvitationFactory(
        process=ProcessFactory(organization=organization, method=Method.OPEN),
        enterprise=EnterpriseFactory(),
        invited_on=D(2025, 2, 1),
    )

    assert report(organization)["ees_invited"].value == 1
    assert report()["ees_invited"].value == 1


def test_bidding_counts_any_method_and_any_bid_status(organization):
    for method, status in ((Method.OPEN, "withdrawn"), (Method.DIRECT, "non_compliant")):
        BidFactory(
            process=ProcessFactory(organization=organization, method=method),
            enterprise=EnterpriseFactory(),
            submitted_on=D(2025, 5, 5),
            status=status,
        )

    assert report(organization)["ees_bidding"].value == 2


def test_a_new_relationship_is_the_first_active_award_ever_of_the_pair(
    organization, other_organization
):
    ees = EnterpriseFactory()
    award(organization, ees, D(2024, 1, 1), "10.00", status=Award.Status.CANCELLED)
    first = award(organization, ees, D(2025, 3, 1), "10.00")  # first active one: new
    award(organization, ees, D(2025, 3, 1), "10.00")  # same day, created after: not new
    award(other_organization, ees, D(2025, 4, 1), "10.00")  # new for that organization

    values = report(organization)

    assert values["ees_contracts"].value == 2
    assert values["ees_contracts_new_relationship"].value == 1
    assert values["ees_contracts_new_relationship_share"].numerator == 1
    assert report()["ees_contracts_new_relationship"].value == 2
    assert first.pk


def test_after_matchmaking_needs_a_contact_of_the_pair_at_a_matchmaking_on_or_before(
    organization, other_organization
):
    matched, trained, too_late, elsewhere = (EnterpriseFactory() for _ in range(4))
    matchmaking = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 3, 1))
    training = ActivityFactory(kind=Activity.Kind.TRAINING, date=D(2025, 1, 1))
    late = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 6, 2))
    for enterprise, activity, owner in (
        (matched, matchmaking, organization),
        (trained, training, organization),
        (too_late, late, organization),
        (elsewhere, matchmaking, other_organization),
    ):
        BusinessContactFactory(
            organization=owner, enterprise=enterprise, date=activity.date, activity=activity
        )
        award(
            organization,
            enterprise,
            D(2025, 3, 1) if enterprise == matched else D(2025, 6, 1),
            "1.00",
        )

    values = report(organization)

    assert values["ees_contracts"].value == 4
    assert values["ees_contracts_after_matchmaking"].value == 1
    assert values["ees_contracts_after_matchmaking_share"].value == Decimal("0.25")


def test_organizations_with_an_ees_contract_count_active_organizations_only(organization):
    inactive = OrganizationFactory(name="Régie dissoute", is_active=False)
    OrganizationFactory(name="Ville sans contrat")
    award(organization, EnterpriseFactory(), D(2025, 1, 1), "1.00")
    award(inactive, EnterpriseFactory(), D(2025, 1, 1), "1.00")

    share = report()["organizations_with_ees_contract_share"]

    assert (share.numerator, share.denominator, share.value) == (1, 2, Decimal("0.5"))
    assert report(inactive)["organizations_with_ees_contract_share"].value is None


def test_a_new_contact_is_the_first_of_the_pair_before_any_award(organization):
    fresh, repeat, customer = (EnterpriseFactory() for _ in range(3))
    BusinessContactFactory(organization=organization, enterprise=fresh, date=D(2025, 2, 1))
    BusinessContactFactory(organization=organization, enterprise=repeat, date=D(2025, 2, 1))
    BusinessContactFactory(organization=organization, enterprise=repeat, date=D(2025, 2, 1))
    award(organization, customer, D(2025, 1, 31), "1.00")
    BusinessContactFactory(organization=organization, enterprise=customer, date=D(2025, 2, 1))
    BusinessContactFactory(  # not an EÉS: not a business contact of the plan
        organization=organization,
        enterprise=EnterpriseFactory(supplier_only=True),
        date=D(2025, 2, 1),
    )

    values = report(organization)

    assert values["business_contacts"].value == 4
    assert values["business_contacts_new"].value == 2
    assert values["business_contacts_new_share"].value == Decimal("0.5")


def test_activities_count_in_the_scope_of_the_organizations_present(
    organization, other_organization
):
    ours = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 1, 1), participants=10)
    ours.organizations.add(organization, other_organization)
    ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 2, 1), participants=20)
    theirs = ActivityFactory(kind=Activity.Kind.AWARENESS, date=D(2025, 3, 1), participants=30)
    theirs.organizations.add(other_organization)
    ActivityFactory(kind=Activity.Kind.TRAINING, date=D(2024, 3, 1), participants=99)

    assert report(organization)["matchmaking_activities"].value == 1
    assert report(organization)["activity_participants"].value == 10
    assert report()["matchmaking_activities"].value == 2
    people = report(breakdown="kind")["activity_participants"]
    assert people.value == 60
    assert [(part.key, part.value) for part in people.parts] == [
        ("matchmaking", 30),
        ("training", 0),
        ("awareness", 30),
        ("trade_fair", 0),
    ]
    assert people.parts_add_up is True


def test_the_offer_is_the_directory_as_of_the_end(organization):
    food, build = SectorFactory(code="72"), SectorFactory(code="23", name_fr="Construction")
    old = backdate(EnterpriseFactory(), D(2024, 5, 1))
    old.sectors.add(food, build)
    OfferingFactory(enterprise=old)
    OfferingFactory(enterprise=old)
    newer = backdate(EnterpriseFactory(), D(2026, 2, 1))
    newer.sectors.add(food)
    OfferingFactory(enterprise=newer)
    backdate(EnterpriseFactory(is_published=False), D(2024, 1, 1))
    backdate(EnterpriseFactory(supplier_only=True), D(2024, 1, 1))

    values = report(organization)

    assert [values[code].value for code in ("ees_published", "sectors_represented")] == [1, 2]
    assert values["offerings"].value == 2
    assert report(start=D(2026, 1, 1), end=D(2026, 2, 1))["ees_published"].value == 2


def test_sums_broken_down_by_sector_add_up_with_a_part_for_no_sector(organization):
    food = SectorFactory(code="72")
    award(organization, EnterpriseFactory(primary_sector=food), D(2025, 1, 1), "100.00")
    award(organization, EnterpriseFactory(primary_sector=food), D(2025, 2, 1), "50.00")
    award(organization, EnterpriseFactory(), D(2025, 3, 1), "25.00")

    spend = report(organization, breakdown="sector")["ees_spend"]

    assert [(part.key, part.value) for part in spend.parts] == [
        ("72", Decimal("150.00")),
        ("", Decimal("25.00")),
    ]
    assert spend.parts[-1].label == "Non précisé"
    assert sum(part.value for part in spend.parts) == spend.value
    assert spend.parts_add_up is True


def test_month_parts_of_a_custom_period_are_clipped_and_complete(organization):
    ees = EnterpriseFactory()
    award(organization, ees, D(2025, 1, 14), "1.00")
    award(organization, ees, D(2025, 1, 15), "2.00")
    award(organization, ees, D(2025, 3, 10), "4.00")
    award(organization, ees, D(2025, 3, 11), "8.00")

    values = report(organization, breakdown="month", start=D(2025, 1, 15), end=D(2025, 3, 10))

    assert [(part.key, part.value) for part in values["ees_spend"].parts] == [
        ("2025-01", Decimal("2.00")),
        ("2025-02", Decimal("0.00")),
        ("2025-03", Decimal("4.00")),
    ]
    assert values["ees_winning"].parts_add_up is False
    assert [part.value for part in values["ees_winning"].parts] == [1, 0, 1]


def test_an_organization_breakdown_lists_each_organization_with_its_own_values(
    organization, other_organization
):
    ees = EnterpriseFactory()
    SupplierRegistrationFactory(
        enterprise=ees, organization=organization, registered_on=D(2024, 1, 1)
    )
    award(other_organization, ees, D(2025, 5, 1), "7.00")

    values = report(breakdown="organization")

    spend = {part.label: part.value for part in values["ees_spend"].parts}
    assert spend == {"Ville de Trois-Rivières": Decimal("7.00")}
    share = values["ees_registered_winning_share"]
    # Registered at one organization, won at the other: 1/1 overall, 0/1 within each.
    assert (share.numerator, share.denominator) == (1, 1)
    assert [(part.numerator, part.denominator) for part in share.parts] == [(0, 1)]
    organizations = values["organizations_with_ees_contract_share"].parts
    assert [(part.label, part.value) for part in organizations] == [
        ("Ville de Longueuil", 0),
        ("Ville de Trois-Rivières", 1),
    ]


def test_breakdown_rules():
    assert "method" not in breakdowns_for("ees_registered")
    assert breakdowns_for("business_contacts") == ()
    assert breakdowns_for("activity_participants") == ("kind",)
    assert parts_add_up("ees_winning", "sector") is True
    assert parts_add_up("ees_winning", "organization") is False
    assert parts_add_up("ees_contracts", "organization") is True
    assert parts_add_up("business_contacts", "month") is None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2025, 1, 1), D(2025, 12, 31), "2025"),
        (D(2025, 4, 1), D(2025, 6, 30), "2025-Q2"),
        (D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
        (D(2025, 2, 1), D(2025, 3, 31), None),
        (D(2025, 1, 2), D(2025, 12, 31), None),
        (D(2025, 1, 1), D(2026, 12, 31), None),
    ],
)
def test_standard_periods_are_calendar_years_quarters_and_months(start, end, expected):
    assert standard_period(start, end) == expected


def test_a_cohort_scope_counts_distinct_ees_over_its_organizations(
    organization, other_organization
):
    ees = EnterpriseFactory()
    award(organization, ees, D(2025, 1, 1), "1.00")
    award(other_organization, ees, D(2025, 2, 1), "2.00")
    OrganizationFactory(name="Hors cohorte")

    both = Scope(frozenset({organization.pk, other_organization.pk}))
    values = compute_report(scope=both, **YEAR)

    assert values["ees_winning"].value == 1
    assert values["ees_spend"].value == Decimal("3.00")
    assert values["organizations_with_ees_contract_share"].denominator == 2


def test_dates_cross_years_without_leaking(organization):
    award(organization, EnterpriseFactory(), dt.date(2024, 12, 31), "1.00")

    assert report(organization)["ees_spend"].value == Decimal("0.00")
