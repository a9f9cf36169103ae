"""The one error format: Django's exceptions from the services keep their Vietnamese reason."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from congso.api.errors import exception_handler


def _error(exc) -> tuple[int, dict]:
    response = exception_handler(exc, {})
    return response.status_code, response.data["error"]


def test_a_services_refusal_keeps_its_reason():
    status, error = _error(PermissionDenied("Chỉ lãnh đạo đơn vị được duyệt hồ sơ."))
    assert status == 403
    assert error["message"] == "Chỉ lãnh đạo đơn vị được duyệt hồ sơ."


def test_a_bare_refusal_gets_the_generic_reason():
    status, error = _error(PermissionDenied())
    assert (status, error["message"]) == (403, "Bạn không có quyền thực hiện thao tác này.")


def test_validation_errors_name_their_fields():
    status, error = _error(ValidationError({"code": ["Mã không hợp lệ."]}))
    assert status == 400
    assert error["fields"] == {"code": ["Mã không hợp lệ."]}
    assert error["message"] == "Dữ liệu không hợp lệ: Mã không hợp lệ."


def test_not_found_is_said_in_vietnamese():
    status, error = _error(Http404("internal detail"))
    assert (status, error["message"]) == (404, "Không tìm thấy đối tượng yêu cầu.")
