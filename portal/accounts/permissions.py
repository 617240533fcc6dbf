"""DRF permission classes built on portal.accounts.roles."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from portal.accounts.roles import roles_for


class IsCoordinator(BasePermission):
    def has_permission(self, request, view):
        return roles_for(request.user).coordinator


class IsCoordinatorOrReadOnly(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or roles_for(request.user).coordinator


class OrganizationRecordPermission(BasePermission):
    """Records owned by a buying organization: members read, officers and coordinators write.

    The view's queryset is already limited by `visible_to(user)`; this class guards writes.
    A view names the organization of a new record through `get_target_organization_id()`.
    """

    def has_permission(self, request, view):
        roles = roles_for(request.user)
        if not roles.authenticated:
            return False
        if request.method in SAFE_METHODS:
            return True
        return roles.coordinator or bool(roles.organizations_with(("officer",)))

    def has_object_permission(self, request, view, obj):
        roles = roles_for(request.user)
        organization_id = view.organization_id_of(obj)
        if request.method in SAFE_METHODS:
            return roles.can_read(organization_id)
        return roles.can_write(organization_id)
