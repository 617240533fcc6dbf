"""Suggested EÉS for a procurement process, ranked in the database.

The score adds points for what makes an enterprise a good candidate (it sells in the process's
category, serves its region, its profile matches the process's words, it is registered in the
organization's supplier file) and takes points off for rotation: an enterprise this organization
invited or awarded often in the last 12 months yields its place to others. Every part is an
annotation, so ranking thousands of enterprises is one query, on SQLite and PostgreSQL alike.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Least
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import Enterprise, Offering, SupplierRegistration
from procurement.models import Award, Invitation, ProcurementProcess

# Points of each reason; the rotation penalty is capped so a good regular supplier still shows.
POINTS_CATEGORY = 4.0
POINTS_RELATED_CATEGORY = 2.0
POINTS_REGION = 2.0
POINTS_PER_WORD = 1.0
MAX_WORD_POINTS = 3.0
POINTS_SUPPLIER_FILE = 2.0
PENALTY_PER_INVITATION = 1.0
PENALTY_PER_AWARD = 2.0
MAX_PENALTY = 4.0
ROTATION_DAYS = 365
MAX_WORDS = 8
TRIGRAM_THRESHOLD = 0.6

STOP_WORDS = {
    # French and English words that say nothing about what is bought.
    "avec",
    "dans",
    "pour",
    "sans",
    "sous",
    "leur",
    "leurs",
    "des",
    "les",
    "une",
    "aux",
    "cette",
    "ces",
    "entre",
    "autres",
    "ainsi",
    "plus",
    "tout",
    "tous",
    "toute",
    "toutes",
    "service",
    "services",
    "achat",
    "achats",
    "contrat",
    "contrats",
    "fourniture",
    "fournitures",
    "appel",
    "offres",
    "projet",
    "besoin",
    "besoins",
    "annuel",
    "annuelle",
    "with",
    "from",
    "that",
    "this",
    "their",
    "into",
    "supply",
    "contract",
    "purchase",
}


@dataclass
class Suggestion:
    enterprise: Enterprise
    score: float
    reasons: list[str] = field(default_factory=list)
    matched_words: list[str] = field(default_factory=list)


def process_words(process: ProcurementProcess) -> list[str]:
    """The distinctive words of a process's title and description, lightly stemmed."""
    text = f"{process.title} {process.description}".lower()
    words: list[str] = []
    for raw in re.findall(r"[\w'’-]+", text):
        word = raw.strip("'’-").split("'")[-1].split("’")[-1]
        if len(word) < 4 or word.isdigit() or word in STOP_WORDS:
            continue
        # A plural still finds the singular in a profile ("traiteurs" finds "traiteur").
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _strip_accents(word: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFD", word) if unicodedata.category(char) != "Mn"
    )


def _has_trigram() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _word_condition(word: str, trigram: bool):
    """True when the enterprise's profile or one of its offerings mentions the word."""
    variants = {word, _strip_accents(word)}
    profile = Q()
    offering = Q()
    for variant in variants:
        profile |= (
            Q(name__icontains=variant)
            | Q(description__icontains=variant)
            | Q(mission__icontains=variant)
            | Q(search_document__icontains=variant)
        )
        offering |= (
            Q(name__icontains=variant)
            | Q(keywords__icontains=variant)
            | Q(description__icontains=variant)
        )
    condition = profile | Exists(Offering.objects.filter(offering, enterprise=OuterRef("pk")))
    if trigram:
        # On PostgreSQL, trigram similarity also forgives typos and variants of a word.
        from django.contrib.postgres.search import TrigramWordSimilarity

        document = Concat(
            F("name"),
            Value(" "),
            F("description"),
            Value(" "),
            F("search_document"),
            output_field=TextField(),
        )
        condition |= GreaterThanOrEqual(
            TrigramWordSimilarity(Value(word), document), TRIGRAM_THRESHOLD
        )
    return condition


def _region_of(process: ProcurementProcess) -> str | None:
    need = process.annual_need
    if need is not None and need.region_id:
        return need.region_id
    return process.organization.region_id


def suggest_enterprises(process: ProcurementProcess, limit: int = 20) -> list[Suggestion]:
    """Verified EÉS for this process, best first, with the reasons of their rank."""
    organization_id = process.organization_id
    today = timezone.localdate()
    since = today - dt.timedelta(days=ROTATION_DAYS)
    words = process_words(process)
    trigram = bool(words) and _has_trigram()

    category = process.category
    if category is not None:
        family = {category.pk, category.parent_id} - {None}
        exact = Exists(Offering.objects.filter(enterprise=OuterRef("pk"), category_id=category.pk))
        related = Exists(
            Offering.objects.filter(enterprise=OuterRef("pk")).filter(
                Q(category_id__in=family) | Q(category__parent_id__in=family)
            )
        )
    else:
        exact = related = Value(False)

    region_id = _region_of(process)
    if region_id:
        serves_region = Exists(
            Enterprise.objects.filter(
                Q(region_id=region_id) | Q(regions_served__pk=region_id), pk=OuterRef("pk")
            )
        )
    else:
        serves_region = Value(False)
    registered = Exists(
        SupplierRegistration.objects.active_on(today).filter(
            enterprise=OuterRef("pk"), organization_id=organization_id
        )
    )
    invitations = Subquery(
        Invitation.objects.filter(
            enterprise=OuterRef("pk"),
            process__organization_id=organization_id,
            invited_on__gte=since,
        )
        .exclude(process=process)
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    awards = Subquery(
        Award.objects.active()
        .filter(enterprise=OuterRef("pk"), organization_id=organization_id, awarded_on__gte=since)
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )

    def points(condition, value: float):
        return Case(
            When(condition, then=Value(value)), default=Value(0.0), output_field=FloatField()
        )

    word_flags = {
        f"word_{i}": points(_word_condition(word, trigram), 1.0) for i, word in enumerate(words)
    }
    queryset = (
        Enterprise.objects.social_economy()
        .exclude(invitations__process=process)
        .select_related("region")
        .annotate(
            category_exact=exact,
            category_related=related,
            serves_region=serves_region,
            registered=registered,
            recent_invitations=Coalesce(invitations, 0),
            recent_awards=Coalesce(awards, 0),
            **word_flags,
        )
    )
    word_hits = sum((F(name) for name in word_flags), Value(0.0))
    penalty = Least(
        F("recent_invitations") * Value(PENALTY_PER_INVITATION)
        + F("recent_awards") * Value(PENALTY_PER_AWARD),
        Value(MAX_PENALTY),
        output_field=FloatField(),
    )
    queryset = queryset.annotate(
        word_hits=word_hits,
        score=points(Q(category_exact=True), POINTS_CATEGORY)
        + points(Q(category_exact=False, category_related=True), POINTS_RELATED_CATEGORY)
        + points(Q(serves_region=True), POINTS_REGION)
        + Least(
            word_hits * Value(POINTS_PER_WORD), Value(MAX_WORD_POINTS), output_field=FloatField()
        )
        + points(Q(registered=True), POINTS_SUPPLIER_FILE)
        - penalty,
    )
    # Only enterprises with a reason tied to the process itself: the region alone is not one.
    queryset = queryset.filter(
        Q(category_exact=True) | Q(category_related=True) | Q(word_hits__gt=0) | Q(registered=True)
    ).order_by("-score", "name", "pk")[:limit]

    suggestions = []
    for enterprise in queryset:
        matched = [w for i, w in enumerate(words) if getattr(enterprise, f"word_{i}")]
        suggestions.append(
            Suggestion(
                enterprise=enterprise,
                score=round(enterprise.score, 1),
                reasons=_reasons(enterprise, category, matched),
                matched_words=matched,
            )
        )
    return suggestions


def _reasons(enterprise, category, matched: list[str]) -> list[str]:
    reasons = []
    if enterprise.category_exact:
        reasons.append(_("Offers “%(category)s”") % {"category": category.name})
    elif enterprise.category_related:
        reasons.append(_("Offers a related category"))
    if enterprise.serves_region:
        reasons.append(_("Serves the region"))
    if matched:
        reasons.append(_("Profile mentions: %(words)s") % {"words": ", ".join(matched)})
    if enterprise.registered:
        reasons.append(_("Registered in your supplier file"))
    if enterprise.recent_invitations:
        reasons.append(
            ngettext(
                "Invited %(count)d time by your organization in the last 12 months",
                "Invited %(count)d times by your organization in the last 12 months",
                enterprise.recent_invitations,
            )
            % {"count": enterprise.recent_invitations}
        )
    if enterprise.recent_awards:
        reasons.append(
            ngettext(
                "%(count)d contract from your organization in the last 12 months",
                "%(count)d contracts from your organization in the last 12 months",
                enterprise.recent_awards,
            )
            % {"count": enterprise.recent_awards}
        )
    return reasons
