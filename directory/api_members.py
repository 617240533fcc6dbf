def register(router) -> None:
    """Supplier-file registrations and members' endpoints."""
