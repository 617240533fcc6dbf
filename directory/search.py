"""Full-text search over enterprises.

`refresh_search_document()` rebuilds the denormalized text that search reads. It is called by
every service that changes what an enterprise is found by (profile, offerings, import).
"""

from directory.models import Enterprise


def build_search_document(enterprise: Enterprise) -> str:
    parts = [enterprise.name, enterprise.other_names]
    for offering in enterprise.offerings.select_related("category"):
        parts += [offering.name, offering.keywords, offering.description, offering.category.name_fr]
    parts += [enterprise.mission, enterprise.description]
    if enterprise.municipality_id:
        parts.append(enterprise.municipality.name)
    return "\n".join(part for part in parts if part)


def refresh_search_document(enterprise: Enterprise) -> None:
    document = build_search_document(enterprise)
    Enterprise.objects.filter(pk=enterprise.pk).update(search_document=document)
    enterprise.search_document = document
