"""One error format for the whole API, with Vietnamese messages:

``{"error": {"code": "...", "message": "...", "fields": {"field": ["..."]}}}``

Also for what DRF does not handle: an unexpected exception in an API view becomes a logged 500 in
this format, and the project's error handlers (``congso.views``) answer any /api/ path in it too, so
an API client never has to parse an HTML error page.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("django.request")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def server_error_message() -> str:
    return _("Hệ thống gặp sự cố; vui lòng thử lại sau.")


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy("Mã lỗi máy đọc được, ví dụ invalid, not_found.")
    )
    message = serializers.CharField(
        help_text=gettext_lazy("Thông báo cho người dùng, bằng tiếng Việt.")
    )
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy(
            "Lỗi của từng trường dữ liệu (rỗng nếu lỗi không thuộc trường nào)."
        ),
    )


class ErrorSerializer(serializers.Serializer):
    """The one error format, as the API schema documents it for every error answer."""

    error = ErrorBodySerializer()


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    out[f"{key}.{sub}"] = messages
            elif isinstance(value, list):
                out[key] = [
                    str(v) if not isinstance(v, dict) else str(next(iter(v.values()), ""))
                    for v in value
                ]
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy đối tượng yêu cầu."))
    elif isinstance(exc, PermissionDenied):
        # The services say why in Vietnamese; keep their reason, fall back to the generic one.
        exc = exceptions.PermissionDenied(
            str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        request = context.get("request")
        logger.error(
            "Internal Server Error: %s",
            getattr(request, "path", ""),
            exc_info=exc,
            extra={"status_code": 500, "request": getattr(request, "_request", request)},
        )
        set_rollback()
        return Response(
            error_body("server_error", server_error_message()),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()), [""])[0]
        body = {
            "code": "invalid",
            "message": _("Dữ liệu không hợp lệ: %(first)s") % {"first": first},
            "fields": fields,
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "code": code if isinstance(code, str) else "error",
            "message": str(detail),
            "fields": {},
        }
    response.data = {"error": body}
    return response


def error_response(
    message: str,
    *,
    code: str = "invalid",
    fields: dict | None = None,
    status_code: int = status.HTTP_400_BAD_REQUEST,
) -> Response:
    return Response(error_body(code, message, fields), status=status_code)
