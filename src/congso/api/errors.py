"""One error format for the whole API, with Vietnamese messages:

``{"error": {"code": "...", "message": "...", "fields": {"field": ["..."]}}}``
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


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
        return None
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
    return Response(error_body(message, code=code, fields=fields), status=status_code)


def error_body(message: str, *, code: str = "invalid", fields: dict | None = None) -> dict:
    """The body of every API error, also for answers given before a view runs (middleware)."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
