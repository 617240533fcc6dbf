"""A cohort with records inside it and outside it (other organizations, other EÉS, other dates).

Hand counts for the cohort over its dates (2025-02-01..2026-01-31) are in COHORT_COUNTS.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from portal.initiatives.models import TrainingCompletion
from procurement.models import Activity, Method
from tests.factories import (
    ActivityFactory,
    BidFactory,
    BusinessContactFactory,
    EnterpriseFactory,
    InvitationFactory,
    MembershipFactory,
    OfferingFactory,
    OrganizationFactory,
    ProcessFactory,
    SectorFactory,
    SupplierRegistrationFactory,
)
from tests.indicators.factories_engine import award, backdate
from tests.initiatives.factories import (
    CohortEnterpriseFactory,
    CohortFactory,
    CohortOrganizationFactory,
    TrainingModuleFactory,
)

D = dt.date
COHORT_START, COHORT_END = D(2025, 2, 1), D(2026, 1, 31)

COHORT_COUNTS = {
    "ees_contracts": 2,
    "ees_spend": Decimal("40000.00"),
    "total_spend": Decimal("145000.00"),  # every supplier of the cohort's organizations
    "ees_contracts_new_relationship": 1,
    "ees_contracts_after_matchmaking": 1,
    "ees_registered": 2,
    "ees_invited": 1,
    "ees_bidding": 1,
    "ees_winning": 2,
    "business_contacts": 1,
    "business_contacts_new": 1,
    "matchmaking_activities": 1,
    "activity_participants": 52,  # matchmaking with an organization 40 + training of an EÉS 12
    "ees_published": 2,
    "sectors_represented": 2,
    "offerings": 3,
    "people_trained": 1,
}


def completed(user, organization, day: dt.date, module=None) -> TrainingCompletion:
    return TrainingCompletion.objects.create(
        module=module or TrainingModuleFactory(),
        user=user,
        organization=organization,
        score=Decimal("1"),
        completed_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
    )


def cohort_data_set() -> dict:
    inside_a = OrganizationFactory(name="Ville de Laval")
    inside_b = OrganizationFactory(name="Cégep de Sherbrooke")
    outside = OrganizationFactory(name="Ville de Gatineau")
    food = SectorFactory(code="72", name_fr="Hébergement et restauration", name_en="Food")
    build = SectorFactory(code="23", name_fr="Construction", name_en="Construction")
    other = SectorFactory(code="54", name_fr="Services professionnels", name_en="Pro")

    def ees(name, sector):
        enterprise = EnterpriseFactory(name=name, primary_sector=sector)
        enterprise.sectors.add(sector)
        return backdate(enterprise, D(2022, 1, 1))

    e1 = ees("Traiteur de la cohorte", food)
    e2 = ees("Chantier de la cohorte", build)
    e3 = ees("Coop hors cohorte", other)
    private = backdate(EnterpriseFactory(name="Privée inc.", supplier_only=True), D(2022, 1, 1))
    for enterprise in (e1, e1, e2, e3):
        OfferingFactory(enterprise=enterprise)

    cohort = CohortFactory(name="Deuxième cohorte", start=COHORT_START, end=COHORT_END)
    for organization in (inside_a, inside_b):
        CohortOrganizationFactory(cohort=cohort, organization=organization)
    for enterprise in (e1, e2):
        CohortEnterpriseFactory(cohort=cohort, enterprise=enterprise)

    # Awards: two to the cohort's EÉS in its dates; the rest outside one way or another.
    p1 = ProcessFactory(organization=inside_a, method=Method.INVITATION)
    award(inside_a, e1, D(2025, 3, 1), "30000.00", process=p1)  # new, after matchmaking
    award(inside_b, e2, D(2024, 6, 1), "5000.00", method=Method.DIRECT)  # before the cohort
    award(inside_b, e2, D(2025, 6, 1), "10000.00", method=Method.DIRECT)  # not new
    award(inside_a, e3, D(2025, 4, 1), "5000.00", method=Method.DIRECT)  # EÉS not in cohort
    award(inside_a, private, D(2025, 5, 1), "100000.00", method=Method.OPEN)  # not an EÉS
    award(outside, e1, D(2025, 5, 1), "7000.00", method=Method.DIRECT)  # other organization
    award(inside_a, e1, D(2026, 3, 1), "9000.00", method=Method.DIRECT)  # after the cohort

    for enterprise, organization, registered in (
        (e1, inside_a, D(2024, 1, 1)),
        (e2, inside_b, D(2025, 5, 1)),
        (e3, inside_a, D(2024, 1, 1)),  # EÉS not in the cohort
        (e1, outside, D(2024, 1, 1)),  # other organization (e1 counts once anyway)
        (e2, outside, D(2024, 1, 1)),
    ):
        SupplierRegistrationFactory(
            enterprise=enterprise, organization=organization, registered_on=registered
        )
    InvitationFactory(process=p1, enterprise=e1, invited_on=D(2025, 2, 10))
    InvitationFactory(process=p1, enterprise=e3, invited_on=D(2025, 2, 10))
    BidFactory(process=p1, enterprise=e1, submitted_on=D(2025, 2, 20))
    BidFactory(process=p1, enterprise=e3, submitted_on=D(2025, 2, 20))
    elsewhere = ProcessFactory(organization=outside, method=Method.INVITATION)
    InvitationFactory(process=elsewhere, enterprise=e2, invited_on=D(2025, 2, 10))
    BidFactory(process=elsewhere, enterprise=e2, submitted_on=D(2025, 2, 20))

    matchmaking = ActivityFactory(
        kind=Activity.Kind.MATCHMAKING, date=D(2025, 2, 15), participants=40
    )
    matchmaking.organizations.add(inside_a)
    training = ActivityFactory(kind=Activity.Kind.TRAINING, date=D(2025, 3, 10), participants=12)
    training.enterprises.add(e2)  # for the EÉS: no organization present
    awareness = ActivityFactory(kind=Activity.Kind.AWARENESS, date=D(2025, 4, 10), participants=30)
    awareness.organizations.add(outside)
    early = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 1, 10), participants=9)
    early.organizations.add(inside_b)  # before the cohort
    BusinessContactFactory(
        organization=inside_a, enterprise=e1, date=D(2025, 2, 15), activity=matchmaking
    )
    BusinessContactFactory(organization=inside_b, enterprise=e3, date=D(2025, 5, 5))
    BusinessContactFactory(organization=outside, enterprise=e1, date=D(2025, 5, 5))

    trained = MembershipFactory(organization=inside_a, user__email="formee@laval.example").user
    module = TrainingModuleFactory()
    completed(trained, inside_a, D(2025, 3, 1), module)
    completed(trained, inside_a, D(2025, 4, 1))  # a second module: the same person
    late = MembershipFactory(organization=inside_b, user__email="tard@sherbrooke.example").user
    completed(late, inside_b, D(2026, 3, 1))  # after the cohort
    stranger = MembershipFactory(organization=outside, user__email="autre@gatineau.example").user
    completed(stranger, outside, D(2025, 3, 1))  # other organization
    return {
        "cohort": cohort,
        "inside_a": inside_a,
        "inside_b": inside_b,
        "outside": outside,
        "e1": e1,
        "e2": e2,
        "e3": e3,
    }
