"""Pure checks of a procedure version's content, shared by the service, the manage forms and the
importers, so a rule is written once and every entry path reports the same Vietnamese message.

Content is plain data (what the JSON exchange format holds under ``"version"``)::

    {"valid_from": date, "applicants": str, "deciding_agency": str, "coordinating_agencies": str,
     "where_to_file": str, "result": str, "conditions": str, "legal_basis": str,
     "change_note": str, "supplement_restarts_clock": bool (default false: resume),
     "result_signed_by_leader": bool (default false: the organisation's seal only),
     "form_schema": {...},
     "channels": {"desk": {"time_amount": 0, "time_unit": "same_day", "time_note": "",
                           "fee": {...}}, "online": {...}, "post": {...}},
     "documents": [{"name", "copy_kind", "count", "mandatory", "template", "is_declaration"}],
     "steps": [{"name", "role", "responsible", "amount", "unit"}]}

Errors are raised as ``ValidationError`` keyed by the path of the field (``channels.desk.fee``,
``documents.2.count``) so importers can point at the sheet, row and column.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.accounts.choices import Role

from .declaration import validate_form_schema
from .fees import validate_fee_rule
from .models import CODE_VALIDATOR, Channel, CopyKind, Level, OnlineMode, StepUnit, TimeUnit

TEXT_FIELDS = (
    "applicants",
    "deciding_agency",
    "coordinating_agencies",
    "where_to_file",
    "result",
    "conditions",
    "legal_basis",
    "change_note",
)
REQUIRED_TEXT = {"deciding_agency": _("cơ quan có thẩm quyền quyết định"), "result": _("kết quả")}
#: The yes/no rules of a version (false unless the procedure's law says otherwise).
FLAGS = ("supplement_restarts_clock", "result_signed_by_leader")


def _error(key: str, message: str) -> ValidationError:
    return ValidationError({key: [message]})


def _merge(errors: dict, exc: ValidationError, prefix: str) -> None:
    if hasattr(exc, "error_dict"):
        for key, items in exc.message_dict.items():
            errors.setdefault(f"{prefix}{key}".rstrip("."), []).extend(items)
    else:
        errors.setdefault(prefix.rstrip("."), []).extend(exc.messages)


def _choice(value, choices, key: str, label: str) -> str:
    if value not in choices.values:
        raise _error(
            key,
            _("%(label)s “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
            % {"label": label, "value": value, "allowed": ", ".join(choices.values)},
        )
    return value


def _integer(value, key: str, label: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _error(
            key,
            _("%(label)s phải là số nguyên từ %(min)s.") % {"label": label, "min": minimum},
        )
    return value


def _text(value, key: str, label: str, *, required: bool = False, limit: int = 0) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _error(key, _("%(label)s phải là văn bản.") % {"label": label})
    value = value.strip()
    if required and not value:
        raise _error(key, _("Chưa nhập %(label)s.") % {"label": label})
    if limit and len(value) > limit:
        raise _error(
            key, _("%(label)s dài quá %(limit)s ký tự.") % {"label": label, "limit": limit}
        )
    return value


def _boolean(value, key: str, label: str) -> bool:
    if not isinstance(value, bool):
        raise _error(key, _("%(label)s phải là có hoặc không.") % {"label": label})
    return value


def _collect(checks: dict) -> dict:
    """Run every field check; raise all their errors together, keyed by field."""
    errors: dict[str, list[str]] = {}
    clean = {}
    for key, check in checks.items():
        try:
            clean[key] = check()
        except ValidationError as exc:
            _merge(errors, exc, "")
    if errors:
        raise ValidationError(errors)
    return clean


def _time_amount(data: dict) -> int:
    amount = _integer(data.get("time_amount", 0), "time_amount", _("Thời hạn"))
    if data.get("time_unit") == TimeUnit.SAME_DAY:
        return 0
    if amount < 1:
        raise _error("time_amount", _("Thời hạn phải từ 1 trở lên (trừ loại “trong ngày”)."))
    return amount


def _fee(value) -> dict:
    try:
        return validate_fee_rule(value)
    except ValidationError as exc:
        raise ValidationError({"fee": exc.messages}) from exc


def clean_channel(data) -> dict:
    if not isinstance(data, dict):
        raise _error("", _("Thời hạn và phí của một cách thức nộp phải là một đối tượng."))
    return _collect(
        {
            "time_amount": lambda: _time_amount(data),
            "time_unit": lambda: _choice(
                data.get("time_unit"), TimeUnit, "time_unit", _("Đơn vị thời hạn")
            ),
            "time_note": lambda: _text(
                data.get("time_note"), "time_note", _("Ghi chú thời hạn"), limit=500
            ),
            "fee": lambda: _fee(data.get("fee")),
        }
    )


def clean_document(data) -> dict:
    if not isinstance(data, dict):
        raise _error("", _("Mỗi thành phần hồ sơ phải là một đối tượng."))
    return _collect(
        {
            "name": lambda: _text(
                data.get("name"), "name", _("tên giấy tờ"), required=True, limit=1000
            ),
            "copy_kind": lambda: _choice(
                data.get("copy_kind", CopyKind.ORIGINAL), CopyKind, "copy_kind", _("Loại bản")
            ),
            "count": lambda: _integer(data.get("count", 1), "count", _("Số lượng"), minimum=1),
            "mandatory": lambda: _boolean(data.get("mandatory", True), "mandatory", _("Bắt buộc")),
            "template": lambda: _text(
                data.get("template"), "template", _("Mẫu đơn, tờ khai"), limit=300
            ),
            "is_declaration": lambda: _boolean(
                data.get("is_declaration", False), "is_declaration", _("Là tờ khai")
            ),
        }
    )


def _step_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.1")):
        raise _error("amount", _("Thời gian của bước phải là số dương (tối đa một chữ số lẻ)."))
    return amount


def clean_step(data) -> dict:
    if not isinstance(data, dict):
        raise _error("", _("Mỗi bước xử lý phải là một đối tượng."))
    return _collect(
        {
            "name": lambda: _text(
                data.get("name"), "name", _("tên bước"), required=True, limit=500
            ),
            "role": lambda: _choice(data.get("role"), Role, "role", _("Vai trò")),
            "responsible": lambda: _text(
                data.get("responsible"),
                "responsible",
                _("đơn vị thực hiện"),
                required=True,
                limit=30,
            ),
            "amount": lambda: _step_amount(data.get("amount")),
            "unit": lambda: _choice(data.get("unit"), StepUnit, "unit", _("Đơn vị thời gian")),
        }
    )


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    raise _error("valid_from", _("Ngày áp dụng phải có dạng dd/mm/yyyy."))


def _list(values, key: str, clean, errors: dict) -> list[dict]:
    if values is None:
        return []
    if not isinstance(values, list):
        errors.setdefault(key, []).append(_("Phải là một danh sách."))
        return []
    cleaned = []
    for index, item in enumerate(values):
        try:
            cleaned.append(clean(item))
        except ValidationError as exc:
            _merge(errors, exc, f"{key}.{index}.")
    return cleaned


def clean_version(data, *, online_mode: str | None = None) -> dict:
    """The whole content, checked; every problem at once, keyed by field path."""
    if not isinstance(data, dict):
        raise ValidationError(_("Nội dung phiên bản phải là một đối tượng."))
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    try:
        clean["valid_from"] = _date(data.get("valid_from"))
    except ValidationError as exc:
        _merge(errors, exc, "")
    for name in TEXT_FIELDS:
        try:
            label = REQUIRED_TEXT.get(name, name)
            limit = 500 if name in ("deciding_agency", "change_note") else 0
            clean[name] = _text(
                data.get(name), name, label, required=name in REQUIRED_TEXT, limit=limit
            )
        except ValidationError as exc:
            _merge(errors, exc, "")
    for flag in FLAGS:
        value = data.get(flag, False)
        if isinstance(value, bool):
            clean[flag] = value
        else:
            errors.setdefault(flag, []).append(
                _("%(field)s phải là true hoặc false.") % {"field": flag}
            )
    try:
        clean["form_schema"] = validate_form_schema(data.get("form_schema"))
    except ValidationError as exc:
        errors.setdefault("form_schema", []).extend(exc.messages)
    clean["channels"] = {}
    channels = data.get("channels")
    if not isinstance(channels, dict) or not channels:
        errors.setdefault("channels", []).append(
            _(
                "Cần thời hạn và phí cho ít nhất một cách thức nộp (trực tiếp, trực tuyến, bưu chính)."
            )
        )
        channels = {}
    for channel, terms in channels.items():
        if channel not in Channel.values:
            errors.setdefault(f"channels.{channel}", []).append(
                _("Cách thức nộp “%(channel)s” không hợp lệ.") % {"channel": channel}
            )
            continue
        try:
            clean["channels"][channel] = clean_channel(terms)
        except ValidationError as exc:
            _merge(errors, exc, f"channels.{channel}.")
    if online_mode == OnlineMode.INFORMATION and Channel.ONLINE in clean["channels"]:
        errors.setdefault("channels.online", []).append(
            _("Thủ tục chỉ cung cấp thông tin thì không nhận hồ sơ trực tuyến.")
        )
    clean["documents"] = _list(data.get("documents"), "documents", clean_document, errors)
    clean["steps"] = _list(data.get("steps"), "steps", clean_step, errors)
    if any(d["is_declaration"] for d in clean["documents"]) and not clean.get("form_schema"):
        errors.setdefault("form_schema", []).append(
            _("Có thành phần hồ sơ là tờ khai nhưng chưa có biểu mẫu tờ khai.")
        )
    if errors:
        raise ValidationError(errors)
    return clean


def comparable(content: dict) -> dict:
    """Content without its date, in a form where equal rules compare equal."""
    same = {k: v for k, v in content.items() if k != "valid_from"}
    same["steps"] = [
        {**s, "amount": str(Decimal(s["amount"]).quantize(Decimal("0.1")))} for s in same["steps"]
    ]
    return same


def clean_procedure(data) -> dict:
    """The identity of a procedure (not versioned): code, name, sector code, level, online mode,
    whether it is in use, and the agency IDs of units that offer it besides its level."""
    if not isinstance(data, dict):
        raise ValidationError(_("Thủ tục phải là một đối tượng."))
    return _collect(
        {
            "code": lambda: _code(data.get("code")),
            "name": lambda: _text(
                data.get("name"), "name", _("tên thủ tục"), required=True, limit=500
            ),
            "sector": lambda: _text(
                data.get("sector"), "sector", _("mã lĩnh vực"), required=True, limit=30
            ),
            "level": lambda: _choice(data.get("level"), Level, "level", _("Cấp thực hiện")),
            "online_mode": lambda: _choice(
                data.get("online_mode") or OnlineMode.INFORMATION,
                OnlineMode,
                "online_mode",
                _("Mức độ trực tuyến"),
            ),
            "is_active": lambda: _boolean(
                True if data.get("is_active") is None else data["is_active"],
                "is_active",
                _("Đang áp dụng"),
            ),
            "units": lambda: _agency_ids(data.get("units")),
        }
    )


def _code(value) -> str:
    code = _text(value, "code", _("mã thủ tục"), required=True, limit=30)
    try:
        CODE_VALIDATOR(code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc
    return code


def _agency_ids(value) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _error("units", _("Đơn vị thực hiện riêng là danh sách mã định danh đơn vị."))
    return sorted({v.strip() for v in value})
