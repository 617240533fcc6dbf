"""Public profiles: what a profile shows, its structured data, and API writes of a profile.

Plain fields change through directory.services.update_enterprise_profile (an identity change
sends a verified enterprise back to verification); relations (sectors, regions served,
impacts, offerings) are set here, in the same transaction, and the search document follows.
"""

import json

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from directory.models import Enterprise, EnterpriseImpact, Offering
from directory.search import refresh_search_document
from directory.services import update_enterprise_profile

RELATIONS = ("sectors", "regions_served", "impacts", "offerings")


def with_profile_relations(queryset):
    """Everything a profile page or the API detail shows, in a constant number of queries."""
    return queryset.select_related(
        "region", "municipality", "primary_sector", "status_decided_by"
    ).prefetch_related(
        "sectors",
        "regions_served",
        "impacts",
        "contacts",
        "achievements",
        Prefetch("offerings", Offering.objects.select_related("category__parent")),
    )


# --- Writes -------------------------------------------------------------------------------
def split_relations(data: dict) -> tuple[dict, dict]:
    """Validated API data -> (plain field values, relation values)."""
    fields = {key: value for key, value in data.items() if key not in RELATIONS}
    relations = {key: value for key, value in data.items() if key in RELATIONS}
    return fields, relations


@transaction.atomic
def create_enterprise(*, by, fields: dict, relations: dict) -> Enterprise:
    """A new enterprise (not yet submitted for verification), whole or not at all."""
    enterprise = Enterprise(**fields)
    if enterprise.municipality_id and not enterprise.region_id:
        enterprise.region_id = enterprise.municipality.region_id
    enterprise.full_clean(exclude=["slug", "search_document"])
    enterprise.save()
    set_enterprise_relations(enterprise=enterprise, **relations)
    refresh_search_document(enterprise)
    return enterprise


@transaction.atomic
def update_enterprise(*, enterprise: Enterprise, by, fields: dict, relations: dict) -> Enterprise:
    if "municipality" in fields and fields["municipality"] and "region" not in fields:
        fields = {**fields, "region": fields["municipality"].region}
    update_enterprise_profile(enterprise=enterprise, by=by, changes=fields)
    if relations:
        set_enterprise_relations(enterprise=enterprise, **relations)
        refresh_search_document(enterprise)
    return enterprise


def set_enterprise_relations(
    *, enterprise: Enterprise, sectors=None, regions_served=None, impacts=None, offerings=None
) -> None:
    """Replace the given relations (None leaves one as it is); the caller holds the transaction."""
    if sectors is not None:
        sectors = list(sectors)
        if enterprise.primary_sector_id and enterprise.primary_sector not in sectors:
            sectors.append(enterprise.primary_sector)  # every sector, the primary one included
        enterprise.sectors.set(sectors)
    if regions_served is not None:
        enterprise.regions_served.set(regions_served)
    if impacts is not None:
        wanted = set(impacts)
        enterprise.impacts.exclude(impact__in=wanted).delete()
        present = set(enterprise.impacts.values_list("impact", flat=True))
        EnterpriseImpact.objects.bulk_create(
            EnterpriseImpact(enterprise=enterprise, impact=impact)
            for impact in sorted(wanted - present)
        )
    if offerings is not None:
        enterprise.offerings.all().delete()
        for position, offering in enumerate(offerings):
            Offering(enterprise=enterprise, position=position, **offering).save()


# --- Structured data ------------------------------------------------------------------------
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> block that no text inside can close early.

    A data block is not executed, so the Content-Security-Policy does not need to allow it.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def organization_json_ld(enterprise: Enterprise, request) -> dict:
    """schema.org Organization of a public profile (never the managers' contacts)."""
    url = request.build_absolute_uri(
        reverse("directory:enterprise-detail", kwargs={"slug": enterprise.slug})
    )
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": url,
        "url": url,
        "name": enterprise.name,
        "legalName": enterprise.name,
    }
    if enterprise.other_names_list:
        data["alternateName"] = enterprise.other_names_list
    if enterprise.neq:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "NEQ",
            "value": enterprise.neq,
        }
    if enterprise.mission or enterprise.description:
        data["description"] = enterprise.mission or enterprise.description
    if enterprise.website:
        data["sameAs"] = [enterprise.website]
    if enterprise.email:
        data["email"] = enterprise.email
    if enterprise.phone:
        data["telephone"] = enterprise.phone
    if enterprise.logo:
        data["logo"] = request.build_absolute_uri(enterprise.logo.url)
    address = {"@type": "PostalAddress", "addressCountry": "CA"}
    if enterprise.address:
        address["streetAddress"] = enterprise.address
    if enterprise.municipality_id:
        address["addressLocality"] = enterprise.municipality.name
    if enterprise.region_id:
        address["addressRegion"] = enterprise.region.name
    if enterprise.postal_code:
        address["postalCode"] = enterprise.postal_code
    data["address"] = address
    served = [region.name for region in enterprise.regions_served.all()]
    if served:
        data["areaServed"] = [{"@type": "AdministrativeArea", "name": name} for name in served]
    if enterprise.employees is not None:
        data["numberOfEmployees"] = {"@type": "QuantitativeValue", "value": enterprise.employees}
    offerings = [
        {
            "@type": "Offer",
            "itemOffered": {
                "@type": "Service",
                "name": offering.name,
                "category": offering.category.name,
                **({"description": offering.description} if offering.description else {}),
            },
        }
        for offering in enterprise.offerings.all()
    ]
    if offerings:
        data["makesOffer"] = offerings
    if enterprise.certifications_list:
        data["award"] = enterprise.certifications_list
    return data
