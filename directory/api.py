from directory import api_members


def register(router) -> None:
    """Add the directory's viewsets to the portal's one router."""
    api_members.register(router)
