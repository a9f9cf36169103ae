"""The published API schema documents every error answer, in the one error format.

drf-spectacular documents only the success answers unless a view says otherwise; a client (and
the schemathesis run in ``tests/api``) must also know that any operation may refuse a request
with 400, 401, 403 or 404, one that reads a body with 415, a throttled one with 429, each with the body of
:class:`congso.api.errors.ErrorSerializer`.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse

from .errors import ErrorSerializer

ERRORS = {
    "400": _("Dữ liệu gửi lên không hợp lệ."),
    "401": _("Chưa đăng nhập hoặc mã truy cập (token) không hợp lệ."),
    "403": _("Không có quyền thực hiện thao tác này."),
    "404": _("Không tìm thấy đối tượng yêu cầu."),
}
THROTTLED = {"429": _("Gửi quá nhiều yêu cầu; hãy thử lại sau.")}
WITH_BODY = {"415": _("Kiểu nội dung (Content-Type) không được hỗ trợ.")}


#: The tag of each area's operations (the app that serves them), so clients and the API pages
#: group operations by area.
AREAS = {
    "accounts": "accounts",
    "api": "partners",
    "catalog": "catalog",
    "dashboard": "dashboard",
    "documents": "documents",
    "feedback": "feedback",
    "formats": "formats",
    "ict": "ict",
    "inbox": "inbox",
    "meetings": "meetings",
    "onestop": "dossiers",
    "org": "organisation",
    "payments": "payments",
    "portal": "portal",
    "signing": "signing",
    "skills": "skills",
    "notify": "notify",
    "core": "core",
    "worktime": "worktime",
}


class AutoSchema(SpectacularAutoSchema):
    def get_tags(self) -> list[str]:
        """The operation's area (its app), unless the view names its own tags."""
        parts = type(self.view).__module__.split(".")
        if len(parts) > 2 and parts[0] == "congso" and parts[1] in AREAS:
            return [AREAS[parts[1]]]
        return super().get_tags()

    def _get_response_bodies(self, direction="response"):
        """The view's own answers, then the error answers it does not describe itself; an error
        the view describes without a body (a 409 with a description) gets the error body."""
        responses = super()._get_response_bodies(direction)
        errors = {
            **ERRORS,
            **(WITH_BODY if self.has_request_body() else {}),
            **(THROTTLED if self.view.get_throttles() else {}),
        }
        errors.update(
            {
                code: response["description"]
                for code, response in responses.items()
                if code[0] == "4"
            }
        )
        for code, description in errors.items():
            if "content" not in responses.get(code, {}):
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description),
                    code,
                    direction=direction,
                )
        return responses

    def has_request_body(self) -> bool:
        """Whether the operation reads a body, which DRF refuses in a media type it cannot parse."""
        return self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None
