"""Searchable enterprises for the public directory's tests, with real reference names."""

from directory.models import EnterpriseImpact
from directory.search import refresh_search_document
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    MunicipalityFactory,
    OfferingFactory,
    RegionFactory,
    SectorFactory,
)

REGIONS = {
    "04": "Mauricie",
    "06": "Montréal",
    "16": "Montérégie",
}
MUNICIPALITIES = {
    "58227": ("Longueuil", "16"),
    "56083": ("Saint-Jean-sur-Richelieu", "16"),
    "66023": ("Montréal", "06"),
    "37067": ("Trois-Rivières", "04"),
}
CATEGORIES = {
    # slug: (parent, French name, English name)
    "alimentation": (None, "Alimentation et restauration", "Food and catering"),
    "traiteur": ("alimentation", "Service de traiteur", "Catering"),
    "boites-repas": ("alimentation", "Boîtes-repas et plats préparés", "Meal boxes"),
    "impression": (None, "Impression et communications", "Printing and communications"),
    "imprimerie": ("impression", "Imprimerie", "Printing"),
    "entretien": (None, "Entretien et propreté", "Cleaning and maintenance"),
    "entretien-menager": ("entretien", "Entretien ménager", "Janitorial services"),
}
SECTORS = {
    # code: (parent, French name, English name)
    "72": (None, "Services d'hébergement et de restauration", "Accommodation and food services"),
    "722": ("72", "Services de restauration et débits de boissons", "Food services"),
    "31-33": (None, "Fabrication", "Manufacturing"),
    "323": ("31-33", "Impression et activités connexes de soutien", "Printing"),
    "56": (None, "Services administratifs et de soutien", "Administrative and support"),
}


def region(code: str = "16"):
    return RegionFactory(code=code, name=REGIONS[code])


def municipality(code: str = "58227"):
    name, region_code = MUNICIPALITIES[code]
    return MunicipalityFactory(code=code, name=name, region=region(region_code))


def category(slug: str):
    parent, name_fr, name_en = CATEGORIES[slug]
    return CategoryFactory(
        slug=slug,
        name_fr=name_fr,
        name_en=name_en,
        parent=category(parent) if parent else None,
    )


def sector(code: str):
    parent, name_fr, name_en = SECTORS[code]
    return SectorFactory(
        code=code,
        level="subsector" if parent else "sector",
        name_fr=name_fr,
        name_en=name_en,
        parent=sector(parent) if parent else None,
    )


def searchable_enterprise(
    name: str,
    *,
    offerings=(),
    municipality_code: str | None = "58227",
    region_code: str | None = None,
    sectors=(),
    impacts=(),
    regions_served=(),
    **fields,
):
    """A verified, published EÉS (unless told otherwise) with its search document built.

    `offerings` are (category slug, name) or (category slug, name, keywords) tuples.
    """
    place = {}
    if municipality_code:
        place["municipality"] = municipality(municipality_code)
        place["region"] = place["municipality"].region
    elif region_code:
        place["region"] = region(region_code)
    enterprise = EnterpriseFactory(name=name, **place, **fields)
    for position, (slug, offering_name, *keywords) in enumerate(offerings):
        OfferingFactory(
            enterprise=enterprise,
            name=offering_name,
            category=category(slug),
            keywords=keywords[0] if keywords else "",
            position=position,
        )
    if sectors:
        enterprise.sectors.set([sector(code) for code in sectors])
    if regions_served:
        enterprise.regions_served.set([region(code) for code in regions_served])
    for impact in impacts:
        EnterpriseImpact.objects.create(enterprise=enterprise, impact=impact)
    refresh_search_document(enterprise)
    return enterprise
