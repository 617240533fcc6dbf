"""Data sets for the indicator engine: the worked example of indicators.md and a richer one."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from directory.models import Enterprise
from portal.reference.models import Region, Sector
from procurement.models import Activity, Award, Method
from tests.factories import (
    ActivityFactory,
    AwardFactory,
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

D = dt.date


def backdate(enterprise: Enterprise, day: dt.date) -> Enterprise:
    """Enterprise.created_at is set on insert; the offer indicators read it."""
    created_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Enterprise.objects.filter(pk=enterprise.pk).update(created_at=created_at)
    enterprise.created_at = created_at
    return enterprise


def award(organization, enterprise, day, amount, method=Method.INVITATION, **kwargs) -> Award:
    process = kwargs.pop("process", None)
    process = process or ProcessFactory(organization=organization, method=method)
    return AwardFactory(
        process=process, enterprise=enterprise, awarded_on=day, amount=Decimal(amount), **kwargs
    )


def worked_example(organization) -> dict:
    """indicators.md, "Worked example": organization O in 2025, EÉS A and B, non-EÉS C."""
    a = backdate(EnterpriseFactory(name="Coopérative A"), D(2020, 1, 1))
    b = backdate(EnterpriseFactory(name="OBNL B"), D(2020, 1, 1))
    c = backdate(EnterpriseFactory(name="Entreprise C", supplier_only=True), D(2020, 1, 1))
    a.sectors.add(SectorFactory())
    OfferingFactory(enterprise=a)

    SupplierRegistrationFactory(
        enterprise=a, organization=organization, registered_on=D(2024, 3, 1)
    )
    p1 = ProcessFactory(organization=organization, method=Method.INVITATION)
    InvitationFactory(process=p1, enterprise=a, invited_on=D(2025, 2, 1))
    BidFactory(process=p1, enterprise=a, submitted_on=D(2025, 2, 15))
    award(organization, a, D(2025, 3, 1), "30000.00", process=p1)
    matchmaking = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 1, 20))
    matchmaking.organizations.add(organization)
    BusinessContactFactory(
        organization=organization, enterprise=a, date=D(2025, 1, 20), activity=matchmaking
    )

    SupplierRegistrationFactory(
        enterprise=b,
        organization=organization,
        registered_on=D(2025, 5, 1),
        withdrawn_on=D(2025, 11, 30),
    )
    award(organization, b, D(2025, 6, 1), "10000.00", method=Method.DIRECT)
    award(organization, b, D(2023, 9, 1), "5000.00", method=Method.DIRECT)

    award(organization, c, D(2025, 4, 1), "100000.00", method=Method.OPEN)
    return {"a": a, "b": b, "c": c, "matchmaking": matchmaking}


def rich_data_set() -> dict:
    """Several organizations, methods, months, sectors and regions; cancelled and pending
    awards, withdrawn registrations, non-EÉS suppliers, activities of every kind, contacts at
    and outside activities — everything the snapshot and live paths must agree on."""
    montreal, longueuil, inactive = (
        OrganizationFactory(name="Ville de Montréal"),
        OrganizationFactory(name="Ville de Longueuil"),
        OrganizationFactory(name="Ancienne régie", is_active=False),
    )
    food = SectorFactory(code="72", name_fr="Hébergement et restauration", name_en="Food")
    build = SectorFactory(code="23", name_fr="Construction", name_en="Construction")
    montreal_region = Region.objects.get_or_create(code="06", defaults={"name": "Montréal"})[0]
    monteregie = Region.objects.get_or_create(code="16", defaults={"name": "Montérégie"})[0]

    def ees(name, sector, region, created=None, **kwargs):
        enterprise = EnterpriseFactory(name=name, primary_sector=sector, region=region, **kwargs)
        if sector is not None:
            enterprise.sectors.add(sector)
        return backdate(enterprise, created or D(2022, 1, 1))

    traiteur = ees("Traiteur solidaire", food, montreal_region)
    traiteur.sectors.add(build)
    chantier = ees("Chantier coop", build, monteregie)
    cafe = ees("Café OBNL", food, monteregie, created=D(2025, 6, 15))
    sans_secteur = ees("Sans secteur", None, None)
    ees("Coop non publiée", food, montreal_region, is_published=False)
    revoked = ees("Coop révoquée", build, montreal_region, status=Enterprise.Status.REVOKED)
    private = backdate(
        EnterpriseFactory(name="Privée inc.", supplier_only=True, primary_sector=build),
        D(2022, 1, 1),
    )
    for enterprise in (traiteur, traiteur, chantier, cafe):
        OfferingFactory(enterprise=enterprise)
    Sector.objects.get_or_create(
        code="54", defaults={"level": "sector", "name_fr": "Services pro", "name_en": "Pro"}
    )

    # Registrations: active, withdrawn, re-registered, at two organizations, of a non-EÉS.
    for enterprise, organization, registered, withdrawn in (
        (traiteur, montreal, D(2023, 5, 1), None),
        (traiteur, longueuil, D(2024, 2, 10), D(2025, 3, 31)),
        (chantier, longueuil, D(2024, 1, 1), D(2024, 6, 30)),
        (chantier, longueuil, D(2025, 2, 1), None),
        (cafe, montreal, D(2025, 7, 1), D(2025, 9, 15)),
        (sans_secteur, inactive, D(2024, 4, 1), None),
        (private, montreal, D(2023, 1, 1), None),
        (revoked, montreal, D(2023, 1, 1), None),
    ):
        SupplierRegistrationFactory(
            enterprise=enterprise,
            organization=organization,
            registered_on=registered,
            withdrawn_on=withdrawn,
        )

    # Processes of every method, with invitations and bids in several months.
    invitation_mtl = ProcessFactory(organization=montreal, method=Method.INVITATION)
    invitation_lgl = ProcessFactory(organization=longueuil, method=Method.INVITATION)
    open_mtl = ProcessFactory(organization=montreal, method=Method.OPEN)
    for process, enterprise, day in (
        (invitation_mtl, traiteur, D(2025, 1, 10)),
        (invitation_mtl, chantier, D(2025, 1, 12)),
        (invitation_mtl, private, D(2025, 1, 12)),
        (invitation_lgl, traiteur, D(2025, 2, 3)),
        (invitation_lgl, cafe, D(2024, 11, 5)),
        (open_mtl, chantier, D(2025, 3, 3)),  # not an invitation process: not counted
    ):
        InvitationFactory(process=process, enterprise=enterprise, invited_on=day)
    for process, enterprise, day, status in (
        (invitation_mtl, traiteur, D(2025, 1, 20), "received"),
        (invitation_mtl, chantier, D(2025, 1, 21), "withdrawn"),
        (invitation_lgl, traiteur, D(2025, 2, 20), "compliant"),
        (open_mtl, chantier, D(2025, 4, 2), "received"),
        (open_mtl, private, D(2025, 4, 2), "received"),
        (invitation_lgl, cafe, D(2024, 11, 20), "received"),
    ):
        BidFactory(process=process, enterprise=enterprise, submitted_on=day, status=status)

    for organization, enterprise, day, amount, method, status in (
        (montreal, traiteur, D(2023, 4, 1), "1000.00", Method.DIRECT, Award.Status.ACTIVE),
        (montreal, traiteur, D(2025, 2, 1), "24999.99", Method.INVITATION, Award.Status.ACTIVE),
        (montreal, traiteur, D(2025, 2, 1), "0.01", Method.DIRECT, Award.Status.ACTIVE),
        (montreal, chantier, D(2025, 4, 15), "150000.50", Method.OPEN, Award.Status.ACTIVE),
        (montreal, chantier, D(2025, 5, 15), "7000.00", Method.DIRECT, Award.Status.CANCELLED),
        (montreal, private, D(2025, 4, 20), "80000.00", Method.OPEN, Award.Status.ACTIVE),
        (montreal, cafe, D(2025, 8, 1), "3333.33", Method.DIRECT, Award.Status.PENDING),
        (longueuil, traiteur, D(2025, 3, 5), "12000.00", Method.INVITATION, Award.Status.ACTIVE),
        (longueuil, cafe, D(2024, 12, 1), "4500.25", Method.INVITATION, Award.Status.ACTIVE),
        (longueuil, cafe, D(2025, 9, 30), "2200.00", Method.DIRECT, Award.Status.ACTIVE),
        (longueuil, chantier, D(2025, 11, 3), "45000.00", Method.DIRECT, Award.Status.ACTIVE),
        (longueuil, sans_secteur, D(2025, 7, 7), "999.99", Method.DIRECT, Award.Status.ACTIVE),
        (longueuil, revoked, D(2025, 7, 8), "5000.00", Method.DIRECT, Award.Status.ACTIVE),
        (longueuil, private, D(2026, 1, 15), "15000.00", Method.DIRECT, Award.Status.ACTIVE),
        (inactive, chantier, D(2025, 6, 6), "8000.00", Method.DIRECT, Award.Status.ACTIVE),
        (longueuil, traiteur, D(2026, 2, 2), "6000.00", Method.DIRECT, Award.Status.ACTIVE),
    ):
        award(organization, enterprise, day, amount, method=method, status=status)

    # Activities of every kind; contacts at and outside activities.
    fair = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 1, 15), participants=60)
    fair.organizations.add(montreal, longueuil)
    second = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 10, 1), participants=25)
    second.organizations.add(longueuil)
    nobody = ActivityFactory(kind=Activity.Kind.MATCHMAKING, date=D(2025, 5, 5), participants=12)
    training = ActivityFactory(kind=Activity.Kind.TRAINING, date=D(2025, 3, 3), participants=18)
    training.organizations.add(montreal)
    awareness = ActivityFactory(kind=Activity.Kind.AWARENESS, date=D(2024, 9, 9), participants=30)
    awareness.organizations.add(longueuil)
    trade = ActivityFactory(kind=Activity.Kind.TRADE_FAIR, date=D(2025, 6, 1), participants=200)
    trade.organizations.add(montreal, inactive)
    for organization, enterprise, day, activity in (
        (montreal, chantier, D(2025, 1, 15), fair),  # at matchmaking before its 2025-04 award
        (longueuil, traiteur, D(2025, 1, 15), fair),  # traiteur already won from Longueuil? no
        (longueuil, traiteur, D(2025, 4, 1), None),  # after the award: not new
        (montreal, cafe, D(2025, 3, 3), training),  # at a training, not a matchmaking
        (longueuil, chantier, D(2025, 10, 1), second),
        (longueuil, chantier, D(2025, 10, 1), None),  # same day, second contact: not new
        (montreal, private, D(2025, 5, 5), nobody),  # non-EÉS: not counted
        (montreal, traiteur, D(2024, 6, 1), None),  # after the 2023 award: not new
    ):
        BusinessContactFactory(
            organization=organization, enterprise=enterprise, date=day, activity=activity
        )
    return {
        "montreal": montreal,
        "longueuil": longueuil,
        "inactive": inactive,
        "traiteur": traiteur,
        "chantier": chantier,
        "cafe": cafe,
    }
