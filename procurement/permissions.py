"""Who may read and write procurement records through the API (built on accounts.roles).

Reading is decided by the viewsets' querysets (`visible_to(user)`, plus an EÉS
representative's own invitations, bids and awards); these classes guard writes: officers of
the record's organization and coordinators write, buyers, managers and representatives read.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from portal.accounts.roles import WRITE_ROLES, roles_for


def require_write(user, organization_id: int) -> None:
    """Refuse (403) a write in an organization where the user is neither officer nor coordinator."""
    if not roles_for(user).can_write(organization_id):
        raise PermissionDenied(
            _("Only this organization's procurement officers and coordinators record this.")
        )


def may_write_somewhere(user) -> bool:
    roles = roles_for(user)
    return roles.coordinator or bool(roles.organizations_with(WRITE_ROLES))


class ProcurementRecordPermission(BasePermission):
    """Signed-in users read what their queryset shows; officers and coordinators write.

    The view names a record's organization through `organization_id_of(obj)`.
    """

    message = gettext_lazy(
        "Only procurement officers and coordinators may change procurement records."
    )
    allow_anonymous_reads = False

    def has_permission(self, request, view):
        roles = roles_for(request.user)
        if request.method in SAFE_METHODS:
            return roles.authenticated or self.allow_anonymous_reads
        return roles.authenticated and may_write_somewhere(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return roles_for(request.user).can_write(view.organization_id_of(obj))


class ActivityPermission(ProcurementRecordPermission):
    """Activities are not an organization's own: the view checks who was present.

    They are read by organizations' staff and coordinators only, as in the pages: they list
    which organizations and enterprises were present.
    """

    def has_permission(self, request, view):
        roles = roles_for(request.user)
        if request.method in SAFE_METHODS and not (roles.coordinator or roles.is_org_staff):
            return False
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        return True


class PublicReadRecordPermission(ProcurementRecordPermission):
    """Published annual needs are public: anyone reads what the queryset shows."""

    allow_anonymous_reads = True


class StaffReadCoordinatorWrite(BasePermission):
    """Thresholds: organizations' staff and coordinators read; coordinators edit."""

    message = gettext_lazy("Only coordinators may edit thresholds.")

    def has_permission(self, request, view):
        roles = roles_for(request.user)
        if request.method in SAFE_METHODS:
            return roles.coordinator or roles.is_org_staff
        return roles.coordinator


class OrganizationStaffOnly(BasePermission):
    """Audit trails and reports: staff of an organization and coordinators only."""

    def has_permission(self, request, view):
        roles = roles_for(request.user)
        return roles.coordinator or roles.is_org_staff
