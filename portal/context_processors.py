from portal.accounts.roles import roles_for


def roles(request):
    """Expose the signed-in user's roles to templates (navigation per role)."""
    return {"roles": roles_for(getattr(request, "user", None))}
