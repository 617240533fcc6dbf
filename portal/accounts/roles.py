"""Who may do what: the one place where roles are decided.

Views, API permission classes and QuerySet `visible_to(user)` methods ask these functions;
none of them inspects memberships on its own.
"""

from dataclasses import dataclass, field

from portal.accounts.models import Membership

READ_ROLES = (Membership.Role.BUYER, Membership.Role.OFFICER, Membership.Role.MANAGER)
WRITE_ROLES = (Membership.Role.OFFICER,)
MANAGE_ROLES = (Membership.Role.MANAGER,)


@dataclass(frozen=True)
class Roles:
    """The roles of one user, computed once per request."""

    authenticated: bool = False
    coordinator: bool = False
    memberships: dict[int, str] = field(default_factory=dict)  # organization id -> role
    enterprise_ids: frozenset[int] = frozenset()

    @property
    def organization_ids(self) -> set[int]:
        return set(self.memberships)

    @property
    def is_org_staff(self) -> bool:
        return bool(self.memberships)

    @property
    def is_representative(self) -> bool:
        return bool(self.enterprise_ids)

    @property
    def sees_contacts(self) -> bool:
        """Managers' contacts of enterprises are for signed-in buyers' staff and coordinators."""
        return self.coordinator or self.is_org_staff

    def role_in(self, organization_id: int) -> str | None:
        return self.memberships.get(organization_id)

    def can_read(self, organization_id: int) -> bool:
        return self.coordinator or organization_id in self.memberships

    def can_write(self, organization_id: int) -> bool:
        return self.coordinator or self.memberships.get(organization_id) in WRITE_ROLES

    def can_manage(self, organization_id: int) -> bool:
        return self.coordinator or self.memberships.get(organization_id) in MANAGE_ROLES

    def organizations_with(self, roles: tuple[str, ...]) -> set[int]:
        return {org for org, role in self.memberships.items() if role in roles}


ANONYMOUS = Roles()


def roles_for(user) -> Roles:
    """Roles of a user, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    memberships = dict(
        Membership.objects.filter(user=user, organization__is_active=True).values_list(
            "organization_id", "role"
        )
    )
    roles = Roles(
        authenticated=True,
        coordinator=bool(user.is_coordinator),
        memberships=memberships,
        enterprise_ids=frozenset(_represented_enterprise_ids(user)),
    )
    user._portal_roles = roles
    return roles


def _represented_enterprise_ids(user) -> list[int]:
    # The directory app owns representatives; accounts must not import it at module load.
    from django.apps import apps

    if not apps.is_installed("directory"):
        return []
    try:
        Representative = apps.get_model("directory", "Representative")
    except LookupError:
        return []
    return list(
        Representative.objects.filter(user=user, is_approved=True).values_list(
            "enterprise_id", flat=True
        )
    )
