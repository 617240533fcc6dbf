"""The data generator of issue #6 at a tiny size, on SQLite and on PostgreSQL."""

import re
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.http import QueryDict

from directory.filters import EnterpriseFilterSet
from directory.models import Enterprise, FacetTally, SupplierRegistration
from directory.search import stale_facet_keys
from directory.tally import facet_tally_differences
from portal.accounts.models import Membership, Organization, User
from portal.dataset import SEARCH_WORDS, Generator, generated_models
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
)

TODAY = date(2026, 6, 30)
TINY = {"enterprises": 120, "organizations": 4, "awards": 400, "seed": 3, "today": TODAY}


GENERATED_APPS = ("accounts", "directory", "procurement")
REFERENCE_TABLES = [
    "reference_category",
    "reference_sector",
    "reference_municipality",
    "reference_region",
]


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    """Reference data and one tiny data set, committed once for the module, then removed."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", stdout=StringIO())
        report = Generator(**TINY).run()
        yield report
        with transaction.atomic():
            delete_generated_rows()
            with connection.cursor() as cursor:
                for table in REFERENCE_TABLES:
                    cursor.execute(f"DELETE FROM {table}")


@pytest.fixture
def empty(dataset, db):
    """Reference data only (the generated rows are deleted inside the test's transaction)."""
    delete_generated_rows()


def all_models():
    for app_label in GENERATED_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            if not model.__name__.startswith("Historical"):
                yield model


def snapshot() -> dict:
    """Every generated row, as plain values, by table."""
    return {
        model._meta.db_table: list(model.objects.order_by("pk").values_list())
        for model in generated_models()
    }


def test_it_makes_what_was_asked(dataset, db):
    assert Enterprise.objects.count() == 120
    assert Organization.objects.count() == 4
    assert Award.objects.count() == 400
    assert dataset.counts["awards"] == 400
    assert Membership.objects.filter(role=Membership.Role.OFFICER).count() == 4
    assert User.objects.filter(is_coordinator=True).count() == 1


def test_every_foreign_key_points_at_a_row(dataset, db):
    broken = {}
    for model in all_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            target = field.related_model
            dangling = (
                model.objects.exclude(**{f"{field.attname}__isnull": True})
                .exclude(**{f"{field.attname}__in": target.objects.values("pk")})
                .count()
            )
            if dangling:
                broken[f"{model._meta.db_table}.{field.attname}"] = dangling
    assert broken == {}


def test_the_models_constraints_and_invariants_hold(dataset, db):
    for model in generated_models():
        for instance in model.objects.order_by("pk")[:20]:
            instance.validate_constraints()
    neqs = list(Enterprise.objects.values_list("neq", flat=True))
    assert all(re.fullmatch(r"\d{10}", neq) for neq in neqs)
    assert len(set(neqs)) == len(neqs)
    assert not Award.objects.exclude(organization=models.F("process__organization")).exists()
    assert not Enterprise.objects.filter(is_published=True, publication_consent_at=None).exists()
    assert not Enterprise.objects.exclude(municipality__region=models.F("region")).exists()
    assert not Bid.objects.exclude(process__method__in=["open", "invitation"]).exists()
    assert not Award.objects.filter(awarded_on__gt=TODAY).exists()
    assert not SupplierRegistration.objects.filter(withdrawn_on__lt=models.F("registered_on"))
    for enterprise in Enterprise.objects.order_by("pk")[:20]:
        enterprise.full_clean(exclude=["slug"])


def test_it_covers_regions_methods_statuses_and_three_years(dataset, db):
    assert Enterprise.objects.values("region").distinct().count() == 17
    assert set(ProcurementProcess.objects.values_list("method", flat=True)) == set(Method.values)
    statuses = set(Enterprise.objects.values_list("status", flat=True))
    assert {"verified", "not_submitted"} <= statuses
    assert Award.objects.filter(enterprise__status="verified").exists()
    assert Award.objects.exclude(enterprise__status="verified").exists()
    years = set(Award.objects.values_list("awarded_on__year", flat=True))
    assert len(years) >= 3
    assert set(Activity.objects.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert Invitation.objects.exists()
    assert AnnualNeed.objects.exists()
    assert BusinessContact.objects.filter(activity__kind="matchmaking").exists()
    assert SupplierRegistration.objects.exists()


def delete_generated_rows():
    with connection.cursor() as cursor:
        for model in reversed(list(generated_models())):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
        cursor.execute("DELETE FROM directory_searchterm")


def test_the_same_seed_gives_the_same_rows(dataset, db):
    first = snapshot()
    delete_generated_rows()
    Generator(**TINY).run()
    assert snapshot() == first


def test_search_finds_a_generated_enterprise_by_a_word_of_its_name(dataset, db):
    enterprise = Enterprise.objects.published().filter(name__icontains="traiteur").first()
    assert enterprise is not None
    data = QueryDict(mutable=True)
    data["q"] = "traiteurs"
    found = list(EnterpriseFilterSet(data).qs.values_list("pk", flat=True))
    assert enterprise.pk in found
    assert "traiteur" in SEARCH_WORDS


def test_the_facet_keys_it_writes_are_those_of_the_links(dataset, db):
    if connection.vendor != "postgresql":
        pytest.skip("facet keys are kept in the rows on PostgreSQL only")
    assert Enterprise.objects.exists()
    assert stale_facet_keys() == []


def test_the_facet_tally_counts_what_it_wrote_without_triggers(dataset, db):
    if connection.vendor != "postgresql":
        pytest.skip("the facet tally is kept on PostgreSQL only")
    published = Enterprise.objects.published().count()
    assert published > 0
    assert sum(FacetTally.objects.filter(facet="*").values_list("n", flat=True)) == published
    assert facet_tally_differences() == []


def test_it_refuses_a_database_that_already_has_data(dataset, db):
    with pytest.raises(CommandError, match="only fills an empty database"):
        call_command(
            "generate_dataset", enterprises=5, organizations=1, awards=5, stdout=StringIO()
        )
    assert Enterprise.objects.count() == 120


def test_the_command_prints_what_it_made(empty):
    out = StringIO()
    call_command("generate_dataset", enterprises=30, organizations=2, awards=40, seed=1, stdout=out)
    assert re.search(r"\b30 enterprises", out.getvalue())
    assert "Data set generated in" in out.getvalue()
