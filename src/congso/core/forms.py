"""Forms helpers shared by every app."""

from django.core.exceptions import PermissionDenied, ValidationError


def add_service_errors(form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form, the one way every page does it: each message at its
    field when the form has that field, above the form otherwise. Services raise
    ``ValidationError`` keyed by field names (or without keys) and ``PermissionDenied`` with the
    reason in Vietnamese."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)
