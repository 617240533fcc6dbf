"""Factories and small helpers for the members' side of the directory."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from directory.models import Enterprise, Shortlist, ShortlistEntry
from tests.factories import (
    EnterpriseFactory,
    MunicipalityFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
)


class DraftEnterpriseFactory(EnterpriseFactory):
    """A registration in progress: not submitted, not published."""

    status = Enterprise.Status.NOT_SUBMITTED
    is_published = False
    publication_consent_at = None


class PendingEnterpriseFactory(DraftEnterpriseFactory):
    status = Enterprise.Status.PENDING
    submitted_at = factory.LazyFunction(timezone.now)


class ShortlistFactory(DjangoModelFactory):
    class Meta:
        model = Shortlist

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Traiteurs {n}")


class ShortlistEntryFactory(DjangoModelFactory):
    class Meta:
        model = ShortlistEntry

    shortlist = factory.SubFactory(ShortlistFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    note = ""


def complete_enterprise(enterprise: Enterprise) -> Enterprise:
    """Give an enterprise what a coordinator needs before verifying it."""
    enterprise.municipality = MunicipalityFactory(region=RegionFactory())
    enterprise.region = enterprise.municipality.region
    enterprise.email = enterprise.email or "info@coop.example"
    enterprise.save()
    enterprise.sectors.add(SectorFactory())
    return enterprise


def image_upload(kind: str = "PNG", name: str = "logo.png", size=(40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 93, 59)).save(buffer, format=kind)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(
        kind, "application/octet-stream"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
