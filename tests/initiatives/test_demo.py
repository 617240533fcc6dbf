import pytest
from django.core.management import call_command

from portal.demo import load_demo_data
from portal.initiatives import demo
from portal.initiatives.models import Call, Cohort, Initiative

pytestmark = pytest.mark.django_db


def test_the_demo_initiative_has_a_cohort_with_an_open_call_and_the_seeds_criteria():
    call_command("load_reference_data")
    context = load_demo_data()

    demo.load(context)
    demo.load(context)  # idempotent

    initiative = Initiative.objects.get(name="L'économie sociale, j'achète!")
    cohort = Cohort.objects.get(initiative=initiative)
    call = Call.objects.get(cohort=cohort)
    assert call.accepts_applications
    assert [c.weight for c in call.criteria.all()] == [3, 2, 2]
    assert len(cohort.organization_ids()) == 2
