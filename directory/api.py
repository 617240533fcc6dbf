def register(router) -> None:
    """Add this app's viewsets to the portal's one router."""
