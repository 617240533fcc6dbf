"""factory-boy factories shared by every test module."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from portal.accounts.models import Membership, Organization, User
from portal.reference.models import Category, Municipality, Region, Sector


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "16"
    name = "Montérégie"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Municipalité {n}")
    region = factory.SubFactory(RegionFactory)


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["code"]

    code = "72"
    level = Sector.Level.SECTOR
    name_fr = "Services d'hébergement et de restauration"
    name_en = "Accommodation and food services"


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"categorie-{n}")
    name_fr = factory.Sequence(lambda n: f"Catégorie {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="fr_CA")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Ville de Test {n}")
    kind = Organization.Kind.MUNICIPAL
    region = factory.SubFactory(RegionFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.OFFICER


# --- directory -------------------------------------------------------------------------
from directory.models import (  # noqa: E402
    Enterprise,
    ManagerContact,
    Offering,
    Representative,
    SupplierRegistration,
)


class EnterpriseFactory(DjangoModelFactory):
    """A verified, published EÉS unless told otherwise."""

    class Meta:
        model = Enterprise
        django_get_or_create = ["neq"]

    name = factory.Sequence(lambda n: f"Coopérative de test {n}")
    neq = factory.Sequence(lambda n: f"{1140000000 + n}")
    legal_form = Enterprise.LegalForm.COOP_WORKERS
    status = Enterprise.Status.VERIFIED
    is_published = True
    publication_consent_at = factory.LazyFunction(timezone.now)
    region = factory.SubFactory(RegionFactory)
    description = "Entreprise d'économie sociale fictive pour les tests."

    class Params:
        supplier_only = factory.Trait(
            status=Enterprise.Status.NOT_SUBMITTED,
            is_published=False,
            publication_consent_at=None,
        )


class OfferingFactory(DjangoModelFactory):
    class Meta:
        model = Offering

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    category = factory.SubFactory(CategoryFactory)


class ManagerContactFactory(DjangoModelFactory):
    class Meta:
        model = ManagerContact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "Josée Directrice"
    title = "Directrice générale"
    email = factory.Sequence(lambda n: f"direction{n}@coop.example")
    phone = "514-555-0100"


class RepresentativeFactory(DjangoModelFactory):
    class Meta:
        model = Representative

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    is_approved = True


class SupplierRegistrationFactory(DjangoModelFactory):
    class Meta:
        model = SupplierRegistration

    enterprise = factory.SubFactory(EnterpriseFactory)
    organization = factory.SubFactory(OrganizationFactory)
    registered_on = factory.LazyFunction(timezone.localdate)


# --- procurement -----------------------------------------------------------------------
import datetime as _dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from procurement.models import (  # noqa: E402
    Activity,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    Method,
    ProcurementProcess,
)


class ProcessFactory(DjangoModelFactory):
    class Meta:
        model = ProcurementProcess

    organization = factory.SubFactory(OrganizationFactory)
    reference = factory.Sequence(lambda n: f"AO-2025-{n:04d}")
    title = factory.Sequence(lambda n: f"Services de traiteur {n}")
    method = Method.INVITATION
    estimated_value = Decimal("50000.00")
    published_on = _dt.date(2025, 1, 15)
    status = ProcurementProcess.Status.OPEN


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    process = factory.SubFactory(ProcessFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    invited_on = _dt.date(2025, 2, 1)


class BidFactory(DjangoModelFactory):
    class Meta:
        model = Bid

    process = factory.SubFactory(ProcessFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    submitted_on = _dt.date(2025, 2, 15)
    amount = Decimal("30000.00")


class AwardFactory(DjangoModelFactory):
    """An active award; `organization` follows the process."""

    class Meta:
        model = Award

    process = factory.SubFactory(ProcessFactory)
    organization = factory.SelfAttribute("process.organization")
    enterprise = factory.SubFactory(EnterpriseFactory)
    awarded_on = _dt.date(2025, 3, 1)
    amount = Decimal("30000.00")
    status = Award.Status.ACTIVE


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.MATCHMAKING
    date = _dt.date(2025, 1, 20)
    title = factory.Sequence(lambda n: f"Activité de maillage {n}")
    participants = 40


class BusinessContactFactory(DjangoModelFactory):
    class Meta:
        model = BusinessContact

    organization = factory.SubFactory(OrganizationFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    date = _dt.date(2025, 1, 20)
