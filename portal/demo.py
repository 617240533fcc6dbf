"""Demo data for `make run`: clearly fictional organizations, people and records.

Each app contributes its part through a `demo.py` module with a `load(context)` function;
this module creates the shared actors first. Everything is idempotent (get-or-create on
natural keys), so `make run` can load it on every start.
"""

import importlib
import importlib.util
from dataclasses import dataclass, field

from django.db import transaction

from portal.accounts.models import Membership, Organization, User

DEMO_PASSWORD = "demo-portail-2026"  # documented in the README; demo accounts only


@dataclass
class DemoContext:
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


DEMO_ORGANIZATIONS = [
    # key, name, kind, region, municipality code (MAMH code_geo)
    ("ville-a", "Ville fictive de Belle-Rive", Organization.Kind.MUNICIPAL, "16", "58227"),
    (
        "css-b",
        "Centre de services scolaire fictif du Fleuve",
        Organization.Kind.EDUCATION,
        "06",
        "66023",
    ),
    ("cisss-c", "CISSS fictif de la Vallée", Organization.Kind.HEALTH, "04", "37067"),
]

DEMO_USERS = [
    # key, e-mail, name, coordinator, organization key, role
    ("coordinator", "coordination@demo.example", "Camille Coordination", True, None, None),
    ("officer", "agent@demo.example", "Olivier Agent", False, "ville-a", Membership.Role.OFFICER),
    (
        "buyer",
        "acheteuse@demo.example",
        "Béatrice Acheteuse",
        False,
        "ville-a",
        Membership.Role.BUYER,
    ),
    (
        "manager",
        "gestion@demo.example",
        "Mathieu Gestion",
        False,
        "ville-a",
        Membership.Role.MANAGER,
    ),
    (
        "officer-b",
        "agent.css@demo.example",
        "Sophie Agente",
        False,
        "css-b",
        Membership.Role.OFFICER,
    ),
]

APP_DEMO_MODULES = [
    "directory.demo",
    "procurement.demo",
    "portal.initiatives.demo",
    "indicators.demo",
]


@transaction.atomic
def load_demo_data() -> DemoContext:
    context = DemoContext()
    for key, name, kind, region, municipality in DEMO_ORGANIZATIONS:
        organization, _ = Organization.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "region_id": region, "municipality_id": municipality},
        )
        context.organizations[key] = organization
    for key, email, full_name, coordinator, org_key, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, full_name=full_name, is_coordinator=coordinator
            )
        if org_key:
            Membership.objects.get_or_create(
                user=user, organization=context.organizations[org_key], defaults={"role": role}
            )
        context.users[key] = user
    for module_name in APP_DEMO_MODULES:
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name).load(context)
    return context
