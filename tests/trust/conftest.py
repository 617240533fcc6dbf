"""One shared world for the trust tests: organization X and Y, enterprises A and B, every role.

Records under test belong to X (the buyer side) and A (the supplier side); Y and B are the
"other" side that must never see them. The world is built once per module inside a
transaction that is rolled back at the end; every test runs in a savepoint of it, so a test
that deletes or changes a record leaves the next one the same world.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from directory.models import Representative
from indicators.services import refresh_snapshot
from portal.accounts.models import Membership
from procurement.models import ProcurementProcess
from tests.directory.factories_members import (
    PendingEnterpriseFactory,
    ShortlistEntryFactory,
    ShortlistFactory,
)
from tests.factories import (
    ActivityFactory,
    AwardFactory,
    BidFactory,
    BusinessContactFactory,
    EnterpriseFactory,
    InvitationFactory,
    ManagerContactFactory,
    MembershipFactory,
    OrganizationFactory,
    ProcessFactory,
    RegionFactory,
    RepresentativeFactory,
    SupplierRegistrationFactory,
    UserFactory,
)
from tests.initiatives.factories import (
    ApplicationFactory,
    CallFactory,
    CohortFactory,
    CohortOrganizationFactory,
    CriterionFactory,
    InitiativeFactory,
    TrainingModuleFactory,
)
from tests.procurement.factories_data import ThresholdFactory
from tests.procurement.factories_pages import AnnualNeedFactory, ToolkitEntryFactory

ROLES = ("visitor", "rep_a", "rep_b", "buyer", "officer", "manager", "officer_y", "coordinator")

# Strings that only X's and A's private records carry: none may reach the other side.
SECRET = {
    "process": "Secret traiteur X",
    "draft_need": "Besoin confidentiel X",
    "bid_amount": "31337",
    "award_amount": "27182",
    "contact_note": "Rencontre confidentielle X",
    "manager_email": "direction.secrete@coop-a.example",
    "manager_phone": "514-555-0199",
    "shortlist": "Liste privée de Bob",
    "unpublished": "Coopérative fantôme",
    "registration_note": "Note interne du fichier X",
}


@dataclass
class World:
    users: dict
    objects: dict
    sessions: dict = field(default_factory=dict)

    def user(self, role):
        return self.users.get(role)

    def client(self, role) -> Client:
        """A client signed in as `role` through the session opened once for the module."""
        client = Client(raise_request_exception=False)
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def open_sessions(self) -> None:
        for role, user in self.users.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value


def build_world() -> World:
    x = OrganizationFactory(name="Ville de X (matrice)", slug="ville-x-matrice")
    y = OrganizationFactory(name="Ville de Y (matrice)", slug="ville-y-matrice")
    a = EnterpriseFactory(name="Coopérative A (matrice)", neq="1199000001")
    b = EnterpriseFactory(name="Coopérative B (matrice)", neq="1199000002")
    ManagerContactFactory(
        enterprise=a, email=SECRET["manager_email"], phone=SECRET["manager_phone"]
    )
    # In a region of its own, so that a facet counting it would show.
    unpublished = PendingEnterpriseFactory(
        name=SECRET["unpublished"],
        neq="1199000003",
        region=RegionFactory(code="10", name="Nord-du-Québec"),
    )
    # rep_a also has a registration in progress (unpublished, theirs to edit).
    users = {
        "visitor": None,
        "rep_a": RepresentativeFactory(user__email="rep.a@matrice.example", enterprise=a).user,
        "rep_b": RepresentativeFactory(user__email="rep.b@matrice.example", enterprise=b).user,
        "coordinator": UserFactory(email="coord@matrice.example", is_coordinator=True),
    }
    RepresentativeFactory(user=users["rep_a"], enterprise=unpublished)
    for role, org, name in (
        ("buyer", x, Membership.Role.BUYER),
        ("officer", x, Membership.Role.OFFICER),
        ("manager", x, Membership.Role.MANAGER),
        ("officer_y", y, Membership.Role.OFFICER),
    ):
        users[role] = MembershipFactory(
            organization=org, role=name, user__email=f"{role}@matrice.example"
        ).user
    joiner = UserFactory(email="joiner@matrice.example")
    join_request = Representative.objects.create(user=joiner, enterprise=a, is_approved=False)

    process = ProcessFactory(organization=x, title=SECRET["process"], reference="X-MAT-1")
    invitation = InvitationFactory(process=process, enterprise=a)
    bid = BidFactory(process=process, enterprise=a, amount=Decimal(SECRET["bid_amount"]))
    award = AwardFactory(
        process=process, enterprise=a, bid=bid, amount=Decimal(SECRET["award_amount"])
    )
    closed = ProcessFactory(
        organization=x, status=ProcurementProcess.Status.CLOSED, reference="X-MAT-2"
    )
    closed_bid = BidFactory(process=closed, enterprise=a)
    activity = ActivityFactory(created_by=users["officer"], title="Maillage X (matrice)")
    activity.organizations.add(x)
    activity.enterprises.add(a)
    contact = BusinessContactFactory(
        organization=x, enterprise=a, activity=activity, notes=SECRET["contact_note"]
    )
    need = AnnualNeedFactory(organization=x, title="Besoin public X")
    draft_need = AnnualNeedFactory(
        organization=x, title=SECRET["draft_need"], is_published=False, published_at=None
    )
    registration = SupplierRegistrationFactory(
        organization=x, enterprise=a, notes=SECRET["registration_note"]
    )
    shortlist = ShortlistFactory(owner=users["buyer"], organization=x, name=SECRET["shortlist"])
    entry = ShortlistEntryFactory(shortlist=shortlist, enterprise=a)

    initiative = InitiativeFactory(name="Initiative matrice")
    cohort = CohortFactory(initiative=initiative, name="Cohorte matrice")
    CohortOrganizationFactory(cohort=cohort, organization=x)
    call = CallFactory(cohort=cohort)
    CriterionFactory(call=call)
    application = ApplicationFactory(call=call, enterprise=a, submitted_by=users["rep_a"])
    module = TrainingModuleFactory(slug="module-matrice")
    # Our own, not the migrations' seeds: a transactional test flushes those.
    toolkit = ToolkitEntryFactory(slug="fiche-matrice")
    # Dashboards and exports read a snapshot instead of computing live for every request.
    refresh_snapshot(trigger="schedule")
    return World(
        users=users,
        objects={
            "x": x,
            "y": y,
            "a": a,
            "b": b,
            "unpublished": unpublished,
            "join_request": join_request,
            "process": process,
            "closed": closed,
            "closed_bid": closed_bid,
            "invitation": invitation,
            "bid": bid,
            "award": award,
            "activity": activity,
            "contact": contact,
            "need": need,
            "draft_need": draft_need,
            "registration": registration,
            "shortlist": shortlist,
            "entry": entry,
            "initiative": initiative,
            "cohort": cohort,
            "call": call,
            "application": application,
            "module": module,
            "toolkit": toolkit,
            "threshold": ThresholdFactory(),
            "today": timezone.localdate(),
            "date": dt.date(2025, 3, 1),
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.open_sessions()
        yield world
        transaction.set_rollback(True)
