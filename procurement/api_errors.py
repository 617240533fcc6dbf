"""Django ValidationError -> HTTP 400, so a refused service call reads like a serializer error.

Services raise django.core.exceptions.ValidationError (they serve the HTML views and the
importer too); DRF only knows its own ValidationError and would answer 500. To use it for the
whole API, set REST_FRAMEWORK["EXCEPTION_HANDLER"] = "procurement.api_errors.exception_handler";
meanwhile the procurement viewsets use it through DjangoValidationErrorMixin.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return serializers.ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_error(exc)
    return drf_exception_handler(exc, context)


class DjangoValidationErrorMixin:
    """Use this module's handler in a view until it is the API-wide setting."""

    def get_exception_handler(self):
        return exception_handler
