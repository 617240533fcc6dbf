"""The indicator catalogue (../shared/docs/indicators.md): codes are a public contract.

Each entry gives the code, the French and English labels and the unit. Dashboards, exports,
the API and the snapshot writer all read this one list; kpis.py has one function per code.
"""

from dataclasses import dataclass

from django.utils.translation import get_language


class Unit:
    MONEY = "CAD"
    COUNT = "count"
    SHARE = "share"


class Family:
    SPEND = "spend"
    FUNNEL = "funnel"
    CONTRACTS = "contracts"
    CONTACTS = "contacts"
    OFFER = "offer"
    TRAINING = "training"


@dataclass(frozen=True)
class Indicator:
    code: str
    label_fr: str
    label_en: str
    unit: str
    family: str
    # For shares: the codes of the numerator and denominator indicators.
    numerator: str | None = None
    denominator: str | None = None

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr")[:2] == "en" else self.label_fr

    @property
    def is_share(self) -> bool:
        return self.unit == Unit.SHARE


CATALOGUE: list[Indicator] = [
    # Spend
    Indicator(
        "ees_spend",
        "Valeur des contrats octroyés à des EÉS",
        "Value of contracts awarded to social-economy enterprises",
        Unit.MONEY,
        Family.SPEND,
    ),
    Indicator(
        "ees_spend_open",
        "Valeur des contrats octroyés à des EÉS par appel d'offres public",
        "Value of contracts awarded to SEEs by public tender",
        Unit.MONEY,
        Family.SPEND,
    ),
    Indicator(
        "ees_spend_invitation",
        "Valeur des contrats octroyés à des EÉS par appel d'offres sur invitation",
        "Value of contracts awarded to SEEs by invitation tender",
        Unit.MONEY,
        Family.SPEND,
    ),
    Indicator(
        "ees_spend_direct",
        "Valeur des contrats octroyés à des EÉS de gré à gré",
        "Value of contracts awarded to SEEs by direct award",
        Unit.MONEY,
        Family.SPEND,
    ),
    Indicator(
        "ees_spend_tender",
        "Valeur des contrats octroyés à des EÉS selon un processus d'appel d'offres",
        "Value of contracts awarded to SEEs through a tender process",
        Unit.MONEY,
        Family.SPEND,
    ),
    Indicator(
        "total_spend",
        "Valeur totale des contrats octroyés",
        "Total value of contracts awarded",
        Unit.MONEY,
        Family.SPEND,
    ),
    Indicator(
        "ees_spend_share",
        "Part des achats auprès des EÉS",
        "Share of purchases from SEEs",
        Unit.SHARE,
        Family.SPEND,
        numerator="ees_spend",
        denominator="total_spend",
    ),
    # The supplier funnel
    Indicator(
        "ees_registered",
        "EÉS inscrites au fichier fournisseurs",
        "SEEs registered in the supplier file",
        Unit.COUNT,
        Family.FUNNEL,
    ),
    Indicator(
        "ees_invited",
        "EÉS invitées (processus sur invitation)",
        "SEEs invited (invitation tenders)",
        Unit.COUNT,
        Family.FUNNEL,
    ),
    Indicator(
        "ees_bidding",
        "EÉS ayant déposé une soumission",
        "SEEs that submitted a bid",
        Unit.COUNT,
        Family.FUNNEL,
    ),
    Indicator(
        "ees_winning",
        "EÉS ayant remporté un ou plusieurs contrats",
        "SEEs that won one or more contracts",
        Unit.COUNT,
        Family.FUNNEL,
    ),
    Indicator(
        "ees_registered_winning_share",
        "Part des EÉS inscrites ayant obtenu un contrat",
        "Share of registered SEEs that won a contract",
        Unit.SHARE,
        Family.FUNNEL,
        numerator=None,  # registered EÉS that also won: computed with the denominator
        denominator="ees_registered",
    ),
    # Contracts
    Indicator(
        "ees_contracts",
        "Contrats octroyés à des EÉS",
        "Contracts awarded to SEEs",
        Unit.COUNT,
        Family.CONTRACTS,
    ),
    Indicator(
        "ees_contracts_new_relationship",
        "Contrats octroyés à des EÉS issus d'une nouvelle relation d'affaires",
        "Contracts awarded to SEEs from a new business relationship",
        Unit.COUNT,
        Family.CONTRACTS,
    ),
    Indicator(
        "ees_contracts_new_relationship_share",
        "Part des contrats issus d'une nouvelle relation",
        "Share of contracts from a new business relationship",
        Unit.SHARE,
        Family.CONTRACTS,
        numerator="ees_contracts_new_relationship",
        denominator="ees_contracts",
    ),
    Indicator(
        "ees_contracts_after_matchmaking",
        "Contrats octroyés à des EÉS signés à la suite d'activités de maillage",
        "Contracts awarded to SEEs signed after matchmaking activities",
        Unit.COUNT,
        Family.CONTRACTS,
    ),
    Indicator(
        "ees_contracts_after_matchmaking_share",
        "Part des contrats à la suite du maillage",
        "Share of contracts after matchmaking",
        Unit.SHARE,
        Family.CONTRACTS,
        numerator="ees_contracts_after_matchmaking",
        denominator="ees_contracts",
    ),
    Indicator(
        "organizations_with_ees_contract_share",
        "Part des organisations ayant conclu au moins un contrat avec une EÉS",
        "Share of organizations with at least one contract with an SEE",
        Unit.SHARE,
        Family.CONTRACTS,
    ),
    # Business contacts and activities
    Indicator(
        "business_contacts",
        "Contacts d'affaires recensés",
        "Business contacts recorded",
        Unit.COUNT,
        Family.CONTACTS,
    ),
    Indicator(
        "business_contacts_new",
        "Nouveaux contacts d'affaires",
        "New business contacts",
        Unit.COUNT,
        Family.CONTACTS,
    ),
    Indicator(
        "business_contacts_new_share",
        "Part des nouveaux contacts",
        "Share of new contacts",
        Unit.SHARE,
        Family.CONTACTS,
        numerator="business_contacts_new",
        denominator="business_contacts",
    ),
    Indicator(
        "matchmaking_activities",
        "Activités de maillage",
        "Matchmaking activities",
        Unit.COUNT,
        Family.CONTACTS,
    ),
    Indicator(
        "activity_participants",
        "Personnes rejointes",
        "People reached",
        Unit.COUNT,
        Family.CONTACTS,
    ),
    # The offer (directory, as of `end`)
    Indicator(
        "ees_published",
        "EÉS au répertoire",
        "SEEs in the directory",
        Unit.COUNT,
        Family.OFFER,
    ),
    Indicator(
        "sectors_represented",
        "Secteurs d'activité représentés",
        "Sectors represented",
        Unit.COUNT,
        Family.OFFER,
    ),
    Indicator(
        "offerings",
        "Produits et services offerts",
        "Products and services offered",
        Unit.COUNT,
        Family.OFFER,
    ),
    # Online training (the plan's *Former* measure)
    Indicator(
        "people_trained",
        "Personnes formées en ligne",
        "People trained online",
        Unit.COUNT,
        Family.TRAINING,
    ),
]

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOGUE}
CODES: list[str] = [indicator.code for indicator in CATALOGUE]

BREAKDOWNS = ("method", "sector", "region", "organization", "month")
# Breakdowns apply to spend, funnel and contract indicators (indicators.md, Breakdowns).
BREAKDOWN_FAMILIES = (Family.SPEND, Family.FUNNEL, Family.CONTRACTS)
