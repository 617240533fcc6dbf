"""Turns an unreachable database into a clean, translated 503 page instead of a stack trace."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if isinstance(exception, DatabaseError) and "locked" in str(exception).lower():
            return None
        logger.error("Database unavailable: %s", exception)
        if request.path.startswith("/api/"):
            return HttpResponse(
                b'{"detail": "Service temporarily unavailable."}',
                status=503,
                content_type="application/json",
                headers={"Retry-After": "30"},
            )
        body = render_to_string("503.html", request=None)
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
