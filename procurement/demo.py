"""Procurement demo data: needs, processes of each method, invitations, bids, awards,
activities and business contacts for the demo organizations, over the last two years.

Records go through the services, so the demo obeys the same rules as real entries. It is
idempotent: each record has a fixed reference (or title) and is skipped when it exists. Awards
to EÉS use the enterprises the directory's demo created; with none, no EÉS record is made.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from directory.models import Enterprise, Offering
from portal.reference.models import Category
from procurement import services, services_pages
from procurement.models import Activity, AnnualNeed, BusinessContact, Method, ProcurementProcess

# Suppliers that are not EÉS: public tenders are often won by ordinary firms.
OTHER_SUPPLIERS = ["Entretien fictif Saint-Laurent inc.", "Imprimerie fictive du Centre ltée"]


def _category(slug: str):
    return Category.objects.filter(slug=slug).first()


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def load(context) -> None:
    organizations = context.organizations
    users = context.users
    city, school, health = (
        organizations["ville-a"],
        organizations["css-b"],
        organizations["cisss-c"],
    )
    officer, officer_b = users["officer"], users["officer-b"]
    ees = list(Enterprise.objects.social_economy().order_by("pk")[:20])

    _commitments(city, school)
    _needs(city, officer, school, officer_b, health)
    others = [services.find_or_create_supplier(name=name) for name in OTHER_SUPPLIERS]
    _processes(city, officer, ees, others)
    _processes_school(school, officer_b, ees)
    _activities(users["coordinator"], [city, school, health], ees, officer)


def _commitments(city, school) -> None:
    for organization, signed_on, signatory in (
        (city, _days_ago(500), "Mairesse fictive de Belle-Rive"),
        (school, _days_ago(300), "Direction générale fictive"),
    ):
        if organization.commitment_signed_on is None:
            services_pages.record_commitment(
                organization=organization, signed_on=signed_on, signatory=signatory
            )


NEEDS = [
    # organization key, title, category slug, value, quarter, method
    ("city", "Traiteur pour les événements municipaux", "traiteur", "45000", 2, Method.INVITATION),
    ("city", "Entretien ménager des bibliothèques", "entretien-menager", "180000", 3, Method.OPEN),
    ("city", "Impression du bulletin municipal", "imprimerie", "22000", 1, Method.DIRECT),
    ("city", "Aménagement paysager des parcs", "paysagement", "60000", 2, Method.INVITATION),
    (
        "school",
        "Boîtes-repas des sorties scolaires",
        "boites-repas",
        "18000",
        3,
        Method.DIRECT,
    ),
    (
        "school",
        "Ordinateurs reconditionnés",
        "informatique-recyclage",
        "35000",
        4,
        Method.INVITATION,
    ),
    ("health", "Buanderie pour les centres d'hébergement", "buanderie", "150000", 1, Method.OPEN),
]


def _needs(city, officer, school, officer_b, health) -> None:
    year = timezone.localdate().year
    owners = {"city": (city, officer), "school": (school, officer_b), "health": (health, None)}
    for key, title, slug, value, quarter, method in NEEDS:
        organization, by = owners[key]
        if AnnualNeed.objects.filter(organization=organization, title=title).exists():
            continue
        services.create_annual_need(
            organization=organization,
            by=by,
            fiscal_year=year,
            title=title,
            description="Besoin fictif publié pour la démonstration du portail.",
            category=_category(slug),
            estimated_value=Decimal(value),
            planned_quarter=quarter,
            planned_method=method,
            region=organization.region,
            is_published=True,
        )


def _existing(organization, reference: str):
    return ProcurementProcess.objects.filter(organization=organization, reference=reference).first()


def _fitting(ees: list, slug: str, count: int) -> list:
    """`count` EÉS, those selling in the category's family first, so the demo reads plausibly."""
    category = _category(slug)
    family = {category.pk, category.parent_id} - {None} if category else set()
    selling = set(
        Offering.objects.filter(enterprise__in=ees)
        .filter(Q(category_id__in=family) | Q(category__parent_id__in=family))
        .values_list("enterprise_id", flat=True)
    )
    return sorted(ees, key=lambda enterprise: enterprise.pk not in selling)[:count]


def _invitation_process(
    organization,
    by,
    ees,
    *,
    reference,
    title,
    slug,
    value,
    published_days_ago,
    bidder_count=2,
    winner_index=0,
) -> None:
    """An invitation tender: three invitations, then bids, then (optionally) the award."""
    if _existing(organization, reference) or len(ees) < 3:
        return
    invited = _fitting(ees, slug, 3)
    bidders = invited[:bidder_count]
    winner = bidders[winner_index] if winner_index is not None else None
    published_on = _days_ago(published_days_ago)
    process = services.create_process(
        organization=organization,
        by=by,
        reference=reference,
        title=title,
        category=_category(slug),
        method=Method.INVITATION,
        estimated_value=Decimal(value),
        published_on=published_on,
        closing_on=published_on + dt.timedelta(days=21),
    )
    services.change_process_status(process=process, status=ProcurementProcess.Status.OPEN, by=by)
    for enterprise in invited:
        services.invite_enterprise(
            process=process, enterprise=enterprise, invited_on=published_on, by=by
        )
    bids = []
    for index, enterprise in enumerate(bidders):
        bids.append(
            services.record_bid(
                process=process,
                enterprise=enterprise,
                submitted_on=published_on + dt.timedelta(days=14),
                amount=Decimal(value) * Decimal("0.9") + index * 1500,
                by=by,
            )
        )
    if winner is not None:
        bid = next(b for b in bids if b.enterprise_id == winner.pk)
        services.award_contract(
            process=process,
            enterprise=winner,
            awarded_on=published_on + dt.timedelta(days=30),
            amount=bid.amount,
            bid=bid,
            contract_number=f"{reference}-C1",
            by=by,
        )


def _processes(city, officer, ees, others) -> None:
    _invitation_process(
        city,
        officer,
        ees,
        reference="DEMO-INV-2024-01",
        title="Traiteur pour la fête de quartier",
        slug="traiteur",
        value="42000",
        published_days_ago=600,
    )
    _invitation_process(
        city,
        officer,
        ees,
        reference="DEMO-INV-2025-02",
        title="Entretien paysager des parcs de quartier",
        slug="paysagement",
        value="58000",
        published_days_ago=200,
        winner_index=1,
    )
    # A process under way: invitations sent, bids expected.
    _invitation_process(
        city,
        officer,
        ees,
        reference="DEMO-INV-2026-03",
        title="Impression de la programmation culturelle",
        slug="imprimerie",
        value="38000",
        published_days_ago=5,
        bidder_count=0,
        winner_index=None,
    )
    if not _existing(city, "DEMO-AO-2025-01"):
        published_on = _days_ago(400)
        process = services.create_process(
            organization=city,
            by=officer,
            reference="DEMO-AO-2025-01",
            title="Entretien ménager de l'hôtel de ville",
            category=_category("entretien-menager"),
            method=Method.OPEN,
            estimated_value=Decimal("185000"),
            published_on=published_on,
            closing_on=published_on + dt.timedelta(days=30),
        )
        services.change_process_status(
            process=process, status=ProcurementProcess.Status.OPEN, by=officer
        )
        services.award_contract(
            process=process,
            enterprise=others[0],
            awarded_on=published_on + dt.timedelta(days=45),
            amount=Decimal("176500.00"),
            by=officer,
        )
    if not _existing(city, "DEMO-AO-2026-02"):
        services.create_process(
            organization=city,
            by=officer,
            reference="DEMO-AO-2026-02",
            title="Collecte des matières recyclables des édifices",
            category=_category("collecte"),
            method=Method.OPEN,
            estimated_value=Decimal("140000"),
            published_on=_days_ago(90),
        )
        process = _existing(city, "DEMO-AO-2026-02")
        services.change_process_status(
            process=process, status=ProcurementProcess.Status.CANCELLED, by=officer
        )
    direct = [
        (
            "DEMO-GG-01",
            "Boîtes-repas pour une formation",
            "boites-repas",
            "4800",
            500,
        ),
        ("DEMO-GG-02", "Impression d'affiches", "imprimerie", "2350", 320),
        ("DEMO-GG-03", "Traiteur pour le conseil municipal", "traiteur", "6900", 60),
        ("DEMO-GG-04", "Réparation d'ordinateurs portables", "informatique-recyclage", "3200", 20),
    ]
    suppliers = ees + others if ees else others
    for index, (reference, title, slug, amount, days) in enumerate(direct):
        if _existing(city, reference):
            continue
        services.log_direct_award(
            organization=city,
            enterprise=suppliers[index % len(suppliers)],
            reference=reference,
            title=title,
            category=_category(slug),
            amount=Decimal(amount),
            awarded_on=_days_ago(days),
            by=officer,
        )


def _processes_school(school, officer_b, ees) -> None:
    _invitation_process(
        school,
        officer_b,
        ees,
        reference="DEMO-CSS-INV-01",
        title="Reconditionnement d'ordinateurs pour les écoles",
        slug="informatique-recyclage",
        value="34000",
        published_days_ago=250,
        winner_index=1,
    )
    for reference, title, amount, days in (
        ("DEMO-CSS-GG-01", "Collations pour la rentrée", "3100", 420),
        ("DEMO-CSS-GG-02", "Traduction de documents aux parents", "5400", 45),
    ):
        if _existing(school, reference) or not ees:
            continue
        services.log_direct_award(
            organization=school,
            enterprise=ees[-1],
            reference=reference,
            title=title,
            amount=Decimal(amount),
            awarded_on=_days_ago(days),
            by=officer_b,
        )


ACTIVITIES = [
    # title, kind, days ago, participants
    ("Maillage fictif : achat local et économie sociale", Activity.Kind.MATCHMAKING, 650, 48),
    ("Formation fictive : répondre à un appel d'offres", Activity.Kind.TRAINING, 380, 22),
    ("Sensibilisation fictive des acheteurs", Activity.Kind.AWARENESS, 240, 30),
    ("Salon fictif de l'économie sociale", Activity.Kind.TRADE_FAIR, 30, 120),
]


def _activities(coordinator, organizations, ees, officer) -> None:
    for title, kind, days, participants in ACTIVITIES:
        if Activity.objects.filter(title=title).exists():
            continue
        services_pages.record_activity(
            by=coordinator,
            kind=kind,
            date=_days_ago(days),
            title=title,
            description="Activité fictive de démonstration.",
            organizer="Pôle fictif d'économie sociale",
            participants=participants,
            organizations=organizations,
            enterprises=ees[:8],
        )
    matchmaking = Activity.objects.filter(title=ACTIVITIES[0][0]).first()
    city = organizations[0]
    for enterprise in ees[:3]:
        if BusinessContact.objects.filter(organization=city, enterprise=enterprise).exists():
            continue
        services.record_business_contact(
            organization=city,
            enterprise=enterprise,
            date=matchmaking.date,
            activity=matchmaking,
            notes="Rencontre fictive lors du maillage.",
            by=officer,
        )
