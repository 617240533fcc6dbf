import pytest

from tests.factories import EnterpriseFactory, RepresentativeFactory
from tests.initiatives.factories import CallFactory, CriterionFactory


@pytest.fixture
def call(db):
    """An open call with the seeds' three criteria (weights 3, 2, 2; scale 0–5)."""
    call = CallFactory(cohort__name="Cohorte 2025")
    CriterionFactory(call=call, label_fr="Volonté de développer les marchés", weight=3)
    CriterionFactory(call=call, label_fr="Adéquation de l'offre", weight=2)
    CriterionFactory(call=call, label_fr="Capacité à répondre", weight=2)
    return call


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="Coopérative Traiteur Solidaire")


@pytest.fixture
def representative(enterprise):
    """An approved representative of a verified EÉS."""
    return RepresentativeFactory(user__email="rep@coop.example", enterprise=enterprise).user


@pytest.fixture
def other_enterprise(db):
    return EnterpriseFactory(name="Entretien Ménager Coop")


@pytest.fixture
def other_representative(other_enterprise):
    return RepresentativeFactory(user__email="rep@menage.example", enterprise=other_enterprise).user
