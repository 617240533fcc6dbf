"""The facet keys kept in each enterprise row (PostgreSQL) follow its links, whoever writes
them: the profile services, the representative's form, the admin, the importer, the demo
data and the data set generator (tests/benchmarks/test_dataset.py)."""

import pytest
from django.contrib.admin.helpers import AdminForm
from django.db import connection
from django.db.models import Model, QuerySet
from django.forms import SplitDateTimeField

from directory import profile, services
from directory.filters import EnterpriseFilterSet
from directory.search import FACET_KEY_COLUMNS, refresh_facet_keys, stale_facet_keys
from tests.directory.factories_public import category, region, searchable_enterprise, sector

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="facet keys are kept on PostgreSQL only"
    ),
]


def keys_of(enterprise) -> dict:
    columns = ", ".join(FACET_KEY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM directory_enterprise WHERE id = %s", [enterprise.pk])  # noqa: S608
        return dict(zip(FACET_KEY_COLUMNS, cursor.fetchone(), strict=True))


@pytest.fixture
def caterer():
    return searchable_enterprise(
        "Traiteur La Cigale",
        offerings=[("traiteur", "Buffets chauds")],
        sectors=["722"],
        regions_served=["06"],
        impacts=["integration"],
        region_code="16",
    )


def test_the_keys_hold_the_links_and_their_parents(caterer):
    traiteur = category("traiteur")

    keys = keys_of(caterer)

    assert keys["facet_categories"] == sorted([traiteur.pk, traiteur.parent_id])
    assert keys["facet_sectors"] == ["72", "722"]
    assert keys["facet_regions"] == ["06"]
    assert keys["facet_impacts"] == ["integration"]
    assert stale_facet_keys() == []


def test_the_profile_services_keep_the_keys(caterer, coordinator):
    profile.update_enterprise(
        enterprise=caterer,
        by=coordinator,
        fields={},
        relations={"sectors": [sector("323")], "regions_served": [region("04")], "impacts": []},
    )

    assert keys_of(caterer)["facet_regions"] == ["04"]
    assert keys_of(caterer)["facet_sectors"] == ["31-33", "323"]
    assert stale_facet_keys() == []


def test_a_profile_change_of_links_keeps_the_keys(caterer, coordinator):
    services.update_enterprise_profile(
        enterprise=caterer,
        by=coordinator,
        changes={"regions_served": [region("04"), region("16")], "impacts": ["environment"]},
    )

    assert keys_of(caterer)["facet_regions"] == ["04", "16"]
    assert keys_of(caterer)["facet_impacts"] == ["environment"]
    assert stale_facet_keys() == []


def _admin_post_data(response) -> dict:
    """What the admin change page would post back unchanged: its form and inline forms."""

    def plain(value):
        if isinstance(value, Model):
            return value.pk
        if isinstance(value, QuerySet | list | tuple):
            return [plain(item) for item in value]
        return "" if value is None else value

    data = {}
    adminform: AdminForm = response.context["adminform"]
    for name, field in adminform.form.fields.items():
        value = adminform.form.initial.get(name)
        if isinstance(field, SplitDateTimeField) and value is not None:
            data[f"{name}_0"], data[f"{name}_1"] = value.date(), value.time()
        elif value is not None:
            data[name] = plain(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            for name in form.fields:
                value = form.instance.pk if name == "id" else form.initial.get(name)
                if value is not None:
                    data[form.add_prefix(name)] = plain(value)
    return {name: value for name, value in data.items() if value not in ([], "")}


def test_an_edit_in_the_admin_keeps_the_keys(client, caterer, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x")
    client.force_login(admin)
    url = f"/admin/directory/enterprise/{caterer.pk}/change/"
    data = _admin_post_data(client.get(url))
    data["regions_served"] = [region("04").pk]
    data["impacts-0-impact"] = "environment"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and [
        (f.prefix, f.errors)
        for i in response.context["inline_admin_formsets"]
        for f in i.formset.forms
        if f.errors
    ] + [response.context["adminform"].form.errors]
    assert keys_of(caterer)["facet_regions"] == ["04"]
    assert keys_of(caterer)["facet_impacts"] == ["environment"]
    assert stale_facet_keys() == []


def test_refreshing_rewrites_keys_that_drifted(caterer):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_enterprise SET facet_regions = '{}' WHERE id = %s", [caterer.pk]
        )
    assert stale_facet_keys() == [caterer.pk]

    refresh_facet_keys([caterer.pk])

    assert stale_facet_keys() == []


def test_filters_read_the_keys(caterer):
    def found(**params) -> list[int]:
        return list(EnterpriseFilterSet(params).qs.values_list("pk", flat=True))

    assert found(region=["06"]) == [caterer.pk]  # served
    assert found(region=["16"]) == [caterer.pk]  # located
    assert found(sector=["72"]) == [caterer.pk]  # the parent of its subsector
    assert found(category=[category("traiteur").parent.slug]) == [caterer.pk]
    assert found(impact=["integration"]) == [caterer.pk]
    region("04")
    assert found(region=["04"]) == []
    assert found(impact=["environment"]) == []
