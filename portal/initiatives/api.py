def register(router) -> None:
    """Initiatives' viewsets on the portal's one router."""
