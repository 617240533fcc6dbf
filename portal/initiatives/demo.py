"""Demo initiative for `make run`: fictional cohort, call and participants (idempotent).

The training modules come from migration 0002 (real content, present in every database).
"""

import datetime

from django.utils import timezone

from directory.models import Enterprise
from portal.initiatives import services
from portal.initiatives.forms import DEFAULT_CRITERIA
from portal.initiatives.models import Cohort, CohortEnterprise, CohortOrganization, Initiative

INITIATIVE_NAME = "L'économie sociale, j'achète!"
COHORT_NAME = "Cohorte de démonstration"


def load(context) -> None:
    coordinator = context.users["coordinator"]
    initiative, _created = Initiative.objects.get_or_create(
        name=INITIATIVE_NAME,
        defaults={
            "coordinating_body": "CESIM (démonstration)",
            "description": (
                "Initiative fictive pour la démonstration du portail : des organisations "
                "publiques s'engagent à acheter davantage auprès des entreprises d'économie "
                "sociale. Chaque cohorte suit le même cycle : appel d'intérêt, sélection selon "
                "des critères, formations pour les EÉS, sensibilisation des institutions, "
                "activités de maillage, portfolio des EÉS participantes et évaluation des "
                "résultats."
            ),
        },
    )
    today = timezone.localdate()
    cohort, created = Cohort.objects.get_or_create(
        initiative=initiative,
        name=COHORT_NAME,
        defaults={
            "start": datetime.date(today.year, 1, 1),
            "end": datetime.date(today.year + 1, 12, 31),
            "description": "Données fictives.",
        },
    )
    if not created:
        return
    for key, signed in (("ville-a", 30), ("css-b", 20)):
        organization = context.organizations.get(key)
        if organization is not None:
            CohortOrganization.objects.get_or_create(
                cohort=cohort,
                organization=organization,
                defaults={
                    "commitment_signed_on": today - datetime.timedelta(days=signed),
                    "added_by": coordinator,
                },
            )
    for enterprise in Enterprise.objects.published().order_by("name")[:3]:
        CohortEnterprise.objects.get_or_create(
            cohort=cohort,
            enterprise=enterprise,
            defaults={"source": CohortEnterprise.Source.COORDINATOR, "added_by": coordinator},
        )
    services.open_call(
        cohort=cohort,
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=30),
        description=(
            "Appel d'intérêt fictif : les EÉS vérifiées qui souhaitent développer les marchés "
            "institutionnels répondent à trois critères."
        ),
        criteria=[services.CriterionSpec(**criterion) for criterion in DEFAULT_CRITERIA],
        by=coordinator,
    )
