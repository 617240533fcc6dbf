from decimal import Decimal

from django.db import migrations

# Québec municipal thresholds (domain.md). Dated, editable data: coordinators add the next
# ministerial order's value in the admin rather than changing code.
THRESHOLDS = [
    ("invitation", "25000.00", "2000-01-01", "Loi sur les cités et villes, art. 573.1"),
    ("cumulative_supplier", "25000.00", "2000-01-01", "Loi sur les cités et villes, art. 477.6"),
    ("public_tender", "101100.00", "2019-01-01", "Arrêté ministériel (2019)"),
    ("public_tender", "105700.00", "2022-01-01", "Arrêté ministériel (janvier 2022)"),
    ("public_tender", "121200.00", "2022-10-07", "Arrêté ministériel (octobre 2022)"),
    ("public_tender", "133800.00", "2024-01-01", "Arrêté ministériel du 4 décembre 2023 (2024-2025)"),
]


def seed(apps, schema_editor):
    Threshold = apps.get_model("procurement", "Threshold")
    for kind, amount, effective_from, source in THRESHOLDS:
        Threshold.objects.get_or_create(
            kind=kind,
            effective_from=effective_from,
            defaults={"amount": Decimal(amount), "source": source},
        )


def unseed(apps, schema_editor):
    Threshold = apps.get_model("procurement", "Threshold")
    for kind, _amount, effective_from, _source in THRESHOLDS:
        Threshold.objects.filter(kind=kind, effective_from=effective_from).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
