"""The facet tally (PostgreSQL): the counts of the published directory, kept by triggers,
read by the landing page and the plain list instead of counting every enterprise."""

import psycopg
import pytest
from django.db import connection
from django.http import QueryDict

from directory import services
from directory.filters import EnterpriseFilterSet
from directory.models import Enterprise, FacetTally
from directory.tally import compact_facet_tally, facet_tally_differences, rebuild_facet_tally
from tests.directory.factories_public import region, searchable_enterprise
from tests.factories import SupplierRegistrationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def filterset(query: str = "", user=None) -> EnterpriseFilterSet:
    request = type("Request", (), {"user": user})()
    return EnterpriseFilterSet(QueryDict(query), request=request)


def counted_the_long_way(query: str = "", user=None) -> EnterpriseFilterSet:
    fs = filterset(query, user)
    fs._counts_the_published_directory = False
    return fs


def tally(facet: str, key: str) -> int:
    return sum(FacetTally.objects.filter(facet=facet, key=key).values_list("n", flat=True))


@pytest.fixture
def caterer():
    return searchable_enterprise(
        "Traiteur La Cigale",
        offerings=[("traiteur", "Buffets")],
        sectors=["722"],
        regions_served=["06"],
        impacts=["integration"],
        municipality_code="58227",
    )


@pytest.fixture
def printer():
    return searchable_enterprise(
        "Imprimerie du Fleuve",
        offerings=[("imprimerie", "Affiches")],
        sectors=["323"],
        municipality_code="37067",
        legal_form=Enterprise.LegalForm.NONPROFIT,
    )


def test_a_published_enterprise_counts_once_for_each_of_its_keys(caterer):
    assert tally("*", "") == 1
    assert tally("region", "16") == 1  # located in Montérégie
    assert tally("region", "06") == 1  # serves Montréal
    assert tally("sector", "72") == tally("sector", "722") == 1  # the sector and its parent
    assert tally("municipality", "58227") == 1
    assert tally("impact", "integration") == 1
    assert facet_tally_differences() == []


def test_every_kind_of_write_keeps_the_tally_exact(caterer, printer, coordinator):
    services.update_enterprise_profile(
        enterprise=caterer,
        by=coordinator,
        changes={"regions_served": [region("04")], "impacts": ["environment"]},
    )
    assert facet_tally_differences() == []
    assert (tally("region", "06"), tally("region", "04")) == (0, 2)  # the printer is there

    services.withdraw_publication_consent(enterprise=printer, by=coordinator)
    assert facet_tally_differences() == []
    assert tally("*", "") == 1

    services.revoke_enterprise(enterprise=caterer, by=coordinator, reason="Plus une EÉS")
    assert facet_tally_differences() == []
    assert tally("*", "") == 0

    services.record_publication_consent(enterprise=printer, by=coordinator)
    assert tally("legal_form", "nonprofit") == 1
    printer.delete()
    assert facet_tally_differences() == []
    assert tally("legal_form", "nonprofit") == 0


def test_a_write_that_changes_no_count_adds_no_row(caterer):
    rows = FacetTally.objects.count()

    Enterprise.objects.filter(pk=caterer.pk).update(description="Buffets chauds et froids")

    assert FacetTally.objects.count() == rows


def test_the_landing_facets_are_the_tally_and_the_same_as_counting(caterer, printer):
    assert filterset().facets() == counted_the_long_way().facets()
    assert filterset().total_count == 2

    FacetTally.objects.create(facet="region", key="16", n=5)  # read, not recounted

    counts = {value.value: value.count for value in filterset().facets()["region"]}
    assert counts["16"] == 6  # the caterer and the five rows added
    assert filterset("region=16").total_count == 1  # a filter counts the long way


def test_the_api_list_reads_the_tally_too(client, caterer, printer):
    FacetTally.objects.create(facet="*", key="", n=1)

    response = client.get("/api/enterprises/")

    assert response.status_code == 200
    assert response.data["count"] == 3  # the tally's, not a count


def test_coordinators_count_every_enterprise_the_long_way(caterer, printer, coordinator):
    Enterprise.objects.filter(pk=printer.pk).update(is_published=False)
    FacetTally.objects.create(facet="*", key="", n=10)

    assert filterset(user=coordinator).total_count == 2  # unpublished included
    assert filterset().total_count == 11


def test_members_get_their_supplier_file_count_with_the_tally(
    caterer, printer, buyer, organization
):
    SupplierRegistrationFactory(enterprise=caterer, organization=organization)

    facets = filterset(user=buyer).facets()

    assert facets == counted_the_long_way(user=buyer).facets()
    assert [(value.value, value.count) for value in facets["registered"]] == [("true", 1)]


def test_compacting_leaves_one_row_per_key_and_the_same_counts(caterer, printer, coordinator):
    services.update_enterprise_profile(
        enterprise=caterer, by=coordinator, changes={"regions_served": [region("04")]}
    )
    before = filterset().facets()
    keys = list(FacetTally.objects.values_list("facet", "key"))
    assert len(keys) > len(set(keys))  # each write added rows beside the first ones

    compact_facet_tally()

    keys = list(FacetTally.objects.values_list("facet", "key"))
    assert len(keys) == len(set(keys))
    assert not FacetTally.objects.filter(n=0).exists()
    assert filterset().facets() == before
    assert facet_tally_differences() == []


def test_writes_that_skip_triggers_are_counted_again_by_a_rebuild(caterer):
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # as the data set generator
        cursor.execute("UPDATE directory_enterprise SET is_published = false")
        cursor.execute("SET session_replication_role = origin")
    assert facet_tally_differences() != []

    rebuild_facet_tally()

    assert facet_tally_differences() == []
    assert tally("*", "") == 0


@pytest.mark.django_db(transaction=True)
def test_two_writers_do_not_wait_for_each_other(caterer, printer):
    Enterprise.objects.update(is_published=False)
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
    )
    try:
        with other.cursor() as cursor:  # a transaction left open
            cursor.execute(
                "UPDATE directory_enterprise SET is_published = true WHERE id = %s", [caterer.pk]
            )
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting would fail the test
            cursor.execute(
                "UPDATE directory_enterprise SET is_published = true WHERE id = %s", [printer.pk]
            )
            cursor.execute("RESET lock_timeout")
        assert filterset().total_count == 1  # the open transaction is not seen
        other.commit()
    finally:
        other.close()

    assert filterset().total_count == 2
    assert facet_tally_differences() == []


def test_the_beat_compacts_the_tally_every_ten_minutes(caterer, settings):
    from celery import current_app

    from directory import tasks

    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "directory.tasks.compact_facet_tally"
    )
    assert entry["task"] in current_app.tasks
    assert entry["schedule"].total_seconds() == 600

    left = tasks.compact_facet_tally()

    keys = list(FacetTally.objects.values_list("facet", "key"))
    assert left == len(keys) == len(set(keys))
    assert facet_tally_differences() == []
