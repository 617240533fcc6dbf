import pytest
from django.core.management import call_command

from portal.reference.models import Category, Municipality, Region, Sector

pytestmark = pytest.mark.django_db


def test_load_reference_data_gives_17_regions_and_1281_municipalities():
    call_command("load_reference_data")

    assert Region.objects.count() == 17
    assert Municipality.objects.count() == 1281
    assert Region.objects.get(code="16").name == "Montérégie"
    assert Municipality.objects.get(name="Longueuil").region_id == "16"


def test_loading_twice_creates_no_duplicates():
    call_command("load_reference_data")
    counts = [Region.objects.count(), Municipality.objects.count(), Sector.objects.count()]
    call_command("load_reference_data")

    assert [Region.objects.count(), Municipality.objects.count(), Sector.objects.count()] == counts
    assert Category.objects.count() == Category.objects.values("slug").distinct().count()


def test_sectors_are_scian_2022_sectors_and_subsectors_in_both_languages():
    call_command("load_reference_data")

    assert Sector.objects.filter(level="sector").count() == 20
    assert Sector.objects.filter(level="subsector").count() == 99
    food = Sector.objects.get(code="722")
    assert food.parent_id == "72"
    assert food.name_fr
    assert food.name_en
    assert not Sector.objects.filter(name_fr="").exists()


def test_categories_form_a_bilingual_tree_with_unspsc_codes():
    call_command("load_reference_data")

    catering = Category.objects.get(slug="traiteur")
    assert catering.parent.slug == "alimentation"
    assert catering.name_fr == "Service de traiteur"
    assert catering.name_en == "Catering"
    assert catering.unspsc_codes == ["90101600"]
    top_level = set(Category.objects.filter(parent=None).values_list("slug", flat=True))
    for expected in [
        "alimentation",
        "entretien",
        "impression",
        "recuperation",
        "informatique",
        "amenagement",
        "demenagement",
        "formation",
        "evenements",
        "mobilier",
        "textiles",
    ]:
        assert expected in top_level


def test_category_name_follows_the_active_language():
    from django.utils import translation

    call_command("load_reference_data")
    catering = Category.objects.get(slug="traiteur")
    with translation.override("en"):
        assert catering.name == "Catering"
    with translation.override("fr-ca"):
        assert catering.name == "Service de traiteur"
