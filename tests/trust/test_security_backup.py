"""The `manage.py` export of SECURITY.md: dumpdata with natural keys, then loaddata into an
emptied database, gives back every record, its audit history and the API tokens."""

import pytest
from django.apps import apps
from django.core.management import call_command

from directory.models import FacetTally
from directory.search import refresh_search_document, stale_facet_keys
from directory.tally import facet_tally_differences
from procurement.models import Award
from tests.factories import (
    AwardFactory,
    ManagerContactFactory,
    MembershipFactory,
    OfferingFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Derived or disposable data: rebuilt by migrate, or not worth restoring (SECURITY.md).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "admin.logentry",
    "sessions",
    "axes",
    "directory.facettally",
]


def counts() -> dict[str, int]:
    skipped = {"contenttypes", "auth", "admin", "sessions", "axes"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skipped and model is not FacetTally
    }


def test_a_dump_restores_every_record_and_its_history_into_an_empty_database(tmp_path):
    award = AwardFactory()
    ManagerContactFactory(enterprise=award.enterprise, email="direction@coop.example")
    MembershipFactory(organization=award.organization)
    OfferingFactory(enterprise=award.enterprise)  # a facet key (PostgreSQL) to rebuild
    # Sectors are a many-to-many relation whose changes the history records.
    award.enterprise.sectors.add(SectorFactory())
    refresh_search_document(award.enterprise)
    award.amount = 12345
    award.save()
    before = counts()
    before_enterprise_history = award.enterprise.history.count()
    dump = tmp_path / "portal.json"

    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=False,
        exclude=EXCLUDED,
        output=str(dump),
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)
    assert Award.objects.count() == 0
    call_command("loaddata", str(dump), verbosity=0)
    call_command("refresh_directory_search", verbosity=0)

    assert counts() == before
    # What the search derives from the enterprises (PostgreSQL) is rebuilt, not restored.
    assert stale_facet_keys() == []
    assert facet_tally_differences() == []
    restored = Award.objects.get(pk=award.pk)
    assert restored.amount == 12345
    assert restored.history.count() == 2
    # The enterprise's links and history come back as they were: loading them records no
    # new change of their own.
    enterprise = restored.enterprise
    assert list(enterprise.sectors.values_list("code", flat=True)) == ["72"]
    assert enterprise.history.count() == before_enterprise_history
    assert list(enterprise.history.first().sectors.values_list("sector_id", flat=True)) == ["72"]
