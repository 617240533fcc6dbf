"""Loading the reference data shipped in portal/reference/data/ (idempotent)."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from portal.reference.models import Category, Municipality, Region, Sector

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    regions: int = 0
    municipalities: int = 0
    sectors: int = 0
    categories: int = 0


def _rows(name: str):
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    for row in _rows("regions.csv"):
        Region.objects.update_or_create(code=row["code"], defaults={"name": row["nom"]})
        report.regions += 1

    existing = set(Municipality.objects.values_list("code", flat=True))
    batch_new, batch_old = [], []
    for row in _rows("municipalities.csv"):
        municipality = Municipality(
            code=row["code_geo"],
            name=row["nom"],
            designation=row["designation"],
            region_id=row["region_code"],
            mrc_code=row["mrc_code"],
            mrc_name=row["mrc_nom"],
            population=int(row["population"]) if row["population"] else None,
        )
        (batch_old if municipality.code in existing else batch_new).append(municipality)
    Municipality.objects.bulk_create(batch_new)
    Municipality.objects.bulk_update(
        batch_old, ["name", "designation", "region", "mrc_code", "mrc_name", "population"]
    )
    report.municipalities = len(batch_new) + len(batch_old)

    for row in _rows("scian-2022-sectors.csv"):
        Sector.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": row["level"],
                "parent_id": row["parent"] or None,
                "name_fr": row["title_fr"],
                "name_en": row["title_en"],
            },
        )
        report.sectors += 1

    for position, row in enumerate(_rows("categories.csv")):
        parent = Category.objects.get(slug=row["parent"]) if row["parent"] else None
        Category.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "parent": parent,
                "name_fr": row["name_fr"],
                "name_en": row["name_en"],
                "unspsc": row["unspsc"],
                "position": position,
            },
        )
        report.categories += 1
    return report
