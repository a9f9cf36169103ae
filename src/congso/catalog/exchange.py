"""Import and export files of the catalogue: JSON and Excel, one content model.

JSON (``docs``: the format is the dict below, UTF-8)::

    {"format": "congso.catalog", "format_version": 1,
     "sectors": [{"code": "HT", "name": "Hộ tịch"}, …],
     "procedures": [{"code": "1.001193", "name": "…", "sector": "HT", "level": "commune",
                     "online_mode": "fully_online", "is_active": true, "units": [],
                     "version": {…content, see ``content.py``…}}, …]}

Excel: one workbook, a header row on every sheet, one row per item; a sheet's rows refer to their
procedure by its code. Sheets: “Lĩnh vực” (optional), “Thủ tục”, “Thời hạn và phí”, “Thành phần
hồ sơ”, “Quy trình”. Choice cells take the code (``commune``) or the Vietnamese label
(``Cấp xã``); yes/no cells take ``Có``/``Không``; dates ``dd/mm/yyyy``; page tiers of a fee
``1:2000; 3:1000`` (from page: đồng per page); lists are separated by ``;`` or new lines.

Parsing checks the shape of the file and converts cells; it never touches the database. Every
problem is reported with where it is: JSON by procedure and field, Excel by sheet, row and column.
"""

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts.choices import Role
from congso.core import spreadsheets
from congso.core.text import fold

from .fees import format_tiers, parse_tiers
from .models import Channel, CopyKind, Level, OnlineMode, StepUnit, TimeUnit

FORMAT = "congso.catalog"
FORMAT_VERSION = 1

FEE_KINDS = {
    "free": gettext_lazy("Miễn phí"),
    "fixed": gettext_lazy("Theo trường hợp"),
    "per_copy": gettext_lazy("Theo bản"),
    "per_page": gettext_lazy("Theo trang"),
}


class ImportFailed(ValidationError):
    """The file cannot be imported; ``messages`` say where and why, in Vietnamese."""


@dataclass
class Entry:
    """One procedure of the file, as plain data, and how to say where a field of it is."""

    procedure: dict
    version: dict
    locate: Callable[[str], str]


@dataclass
class Parsed:
    sectors: list[tuple[dict, Callable[[str], str]]] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse(raw: bytes, filename: str = "") -> Parsed:
    """Pick the format by the file's content (an .xlsx file is a ZIP archive)."""
    if raw[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        return parse_xlsx(raw)
    return parse_json(raw)


# --- JSON ------------------------------------------------------------------------------------


def _json_locator(index: int, code) -> Callable[[str], str]:
    def locate(key: str) -> str:
        where = _("Thủ tục thứ %(n)s (mã %(code)s)") % {"n": index + 1, "code": code or "?"}
        return _("%(where)s, trường “%(key)s”") % {"where": where, "key": key} if key else where

    return locate


def parse_json(raw: bytes) -> Parsed:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where = _(" (dòng %(line)s)") % {"line": line} if line else ""
        raise ImportFailed(
            [_("Tệp JSON không đọc được%(where)s: %(error)s") % {"where": where, "error": exc}]
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFailed(
            [_("Tệp JSON không đúng định dạng danh mục Công Sở (thiếu “format”: “%s”).") % FORMAT]
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportFailed(
            [_("Phiên bản định dạng %(v)s không được hỗ trợ.") % {"v": data.get("format_version")}]
        )
    parsed = Parsed()
    sectors, procedures = data.get("sectors", []), data.get("procedures")
    if not isinstance(sectors, list):
        parsed.errors.append(_("Trường “sectors” phải là một danh sách."))
        sectors = []
    for index, sector in enumerate(sectors):
        parsed.sectors.append(
            (
                sector,
                lambda key, i=index: (
                    _("Lĩnh vực thứ %(n)s, trường “%(key)s”")
                    % {
                        "n": i + 1,
                        "key": key,
                    }
                ),
            )
        )
    if not isinstance(procedures, list):
        raise ImportFailed([_("Trường “procedures” phải là một danh sách thủ tục.")])
    for index, item in enumerate(procedures):
        if not isinstance(item, dict):
            parsed.errors.append(_("Thủ tục thứ %(n)s phải là một đối tượng.") % {"n": index + 1})
            continue
        procedure = {k: v for k, v in item.items() if k != "version"}
        version = item.get("version")
        parsed.entries.append(
            Entry(procedure, version, _json_locator(index, procedure.get("code")))
        )
    return parsed


def _json_default(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default).encode()


# --- Excel -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True


SECTOR_SHEET = "Lĩnh vực"
PROCEDURE_SHEET = "Thủ tục"
CHANNEL_SHEET = "Thời hạn và phí"
DOCUMENT_SHEET = "Thành phần hồ sơ"
STEP_SHEET = "Quy trình"

SHEETS: dict[str, list[Column]] = {
    SECTOR_SHEET: [Column("code", "Mã lĩnh vực"), Column("name", "Tên lĩnh vực")],
    PROCEDURE_SHEET: [
        Column("code", "Mã thủ tục"),
        Column("name", "Tên thủ tục"),
        Column("sector", "Mã lĩnh vực"),
        Column("level", "Cấp thực hiện"),
        Column("online_mode", "Mức độ trực tuyến"),
        Column("is_active", "Đang áp dụng", False),
        Column("units", "Đơn vị thực hiện riêng", False),
        Column("valid_from", "Áp dụng từ ngày"),
        Column("applicants", "Đối tượng thực hiện", False),
        Column("deciding_agency", "Cơ quan có thẩm quyền quyết định"),
        Column("coordinating_agencies", "Cơ quan phối hợp", False),
        Column("where_to_file", "Nơi tiếp nhận hồ sơ", False),
        Column("result", "Kết quả thực hiện"),
        Column("conditions", "Yêu cầu, điều kiện", False),
        Column("legal_basis", "Căn cứ pháp lý", False),
        Column("change_note", "Nội dung thay đổi", False),
        Column("result_signed_by_leader", "Lãnh đạo ký cá nhân kết quả", False),
        Column("form_schema", "Biểu mẫu tờ khai (JSON Schema)", False),
    ],
    CHANNEL_SHEET: [
        Column("code", "Mã thủ tục"),
        Column("channel", "Cách thức nộp"),
        Column("time_amount", "Thời hạn giải quyết"),
        Column("time_unit", "Đơn vị thời hạn"),
        Column("time_note", "Ghi chú thời hạn", False),
        Column("fee_kind", "Loại phí"),
        Column("fee_amount", "Mức phí (đồng)", False),
        Column("fee_tiers", "Bậc phí theo trang", False),
        Column("fee_max_per_copy", "Tối đa mỗi bản (đồng)", False),
        Column("fee_exemptions", "Trường hợp miễn phí", False),
        Column("fee_note", "Ghi chú phí", False),
        Column("fee_free_within_days", "Miễn phí khi nộp trong hạn (JSON)", False),
    ],
    DOCUMENT_SHEET: [
        Column("code", "Mã thủ tục"),
        Column("name", "Tên giấy tờ"),
        Column("copy_kind", "Bản chính/bản sao"),
        Column("count", "Số lượng"),
        Column("mandatory", "Bắt buộc", False),
        Column("template", "Mẫu đơn, tờ khai", False),
        Column("is_declaration", "Là tờ khai của thủ tục", False),
    ],
    STEP_SHEET: [
        Column("code", "Mã thủ tục"),
        Column("name", "Tên bước"),
        Column("role", "Vai trò thực hiện"),
        Column("responsible", "Đơn vị thực hiện"),
        Column("amount", "Thời gian"),
        Column("unit", "Đơn vị thời gian"),
    ],
}
#: Which column a content error points at, by the last part of its field path.
ERROR_COLUMNS = {"fee": "fee_kind", "channels": "channel"}

CHOICES = {
    "level": Level,
    "online_mode": OnlineMode,
    "channel": Channel,
    "time_unit": TimeUnit,
    "copy_kind": CopyKind,
    "role": Role,
    "unit": StepUnit,
}


class CellError(Exception):
    pass


def _choice(value, choices) -> str:
    text = str(value).strip()
    for code, label in choices.choices:
        if fold(text) in (fold(code), fold(str(label))):
            return code
    raise CellError(
        _("“%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
        % {"value": text, "allowed": ", ".join(str(label) for _c, label in choices.choices)}
    )


def _fee_kind(value) -> str:
    text = fold(str(value))
    for code, label in FEE_KINDS.items():
        if text in (fold(code), fold(str(label))):
            return code
    raise CellError(
        _("Loại phí “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
        % {"value": value, "allowed": ", ".join(str(v) for v in FEE_KINDS.values())}
    )


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(str(value))
    if text in ("co", "x", "1", "true", "yes"):
        return True
    if text in ("khong", "0", "false", "no"):
        return False
    raise CellError(_("“%(value)s” không hợp lệ; ghi Có hoặc Không.") % {"value": value})


def _money(value) -> int:
    if isinstance(value, bool):
        raise CellError(_("Phải là số tiền (đồng)."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
    text = text.removesuffix("đ").removesuffix("d")
    if not text.isdigit():
        raise CellError(_("“%(value)s” không phải số tiền (đồng).") % {"value": value})
    return int(text)


def _whole(value) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise CellError(_("“%(value)s” không phải số nguyên.") % {"value": value})


def _decimal(value) -> str:
    text = str(value).strip().replace(",", ".")
    try:
        Decimal(text)
    except ArithmeticError as exc:
        raise CellError(_("“%(value)s” không phải là số.") % {"value": value}) from exc
    return text


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” không phải ngày dạng dd/mm/yyyy.") % {"value": value})


def _list(value) -> list[str]:
    text = str(value).replace("\r", "")
    parts = [p.strip() for chunk in text.split("\n") for p in chunk.split(";")]
    return [p for p in parts if p]


def _tiers(value) -> list[dict]:
    try:
        return parse_tiers(str(value))
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


def _schema(value) -> dict:
    try:
        schema = json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise CellError(_("Biểu mẫu không phải JSON hợp lệ: %(error)s") % {"error": exc}) from exc
    if not isinstance(schema, dict):
        raise CellError(_("Biểu mẫu phải là một đối tượng JSON."))
    return schema


def _free_within(value) -> dict:
    """``{"date_field": …, "days": …, "basis": …}`` (see ``fees.validate_fee_rule``)."""
    try:
        rule = json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise CellError(_("Miễn phí khi nộp trong hạn phải là JSON hợp lệ.")) from exc
    if not isinstance(rule, dict):
        raise CellError(_("Miễn phí khi nộp trong hạn phải là một đối tượng JSON."))
    return rule


CONVERTERS: dict[str, Callable] = {
    **{key: (lambda v, c=choices: _choice(v, c)) for key, choices in CHOICES.items()},
    "is_active": _boolean,
    "result_signed_by_leader": _boolean,
    "mandatory": _boolean,
    "is_declaration": _boolean,
    "units": _list,
    "valid_from": _date,
    "form_schema": _schema,
    "time_amount": _whole,
    "count": _whole,
    "amount": _decimal,
    "fee_kind": _fee_kind,
    "fee_amount": _money,
    "fee_max_per_copy": _money,
    "fee_tiers": _tiers,
    "fee_exemptions": _list,
    "fee_free_within_days": _free_within,
}


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


@dataclass
class Row:
    sheet: str
    number: int
    values: dict


def _read_sheet(
    workbook, sheet: str, missing: list[str], errors: list[str], *, optional: bool = False
) -> list[Row]:
    """The sheet's non-empty rows with converted values; a missing sheet or required column goes
    to ``missing`` (the file cannot be read further), a bad cell to ``errors``."""
    if sheet not in workbook.sheetnames:
        if not optional:
            missing.append(_("Thiếu trang “%(sheet)s”.") % {"sheet": sheet})
        return []
    rows = workbook[sheet].iter_rows(values_only=True)
    header = [fold(str(h)) if h is not None else "" for h in next(rows, ())]
    positions = {}
    for column in SHEETS[sheet]:
        if fold(column.header) in header:
            positions[column] = header.index(fold(column.header))
        elif column.required:
            missing.append(
                _("Trang “%(sheet)s”: thiếu cột “%(column)s”.")
                % {"sheet": sheet, "column": column.header}
            )
    found = []
    for number, cells in enumerate(rows, start=2):
        raw = {c: _cell(cells[i]) if i < len(cells) else None for c, i in positions.items()}
        if all(v is None for v in raw.values()):
            continue
        values = {}
        for column, value in raw.items():
            if value is None:
                if column.required:
                    errors.append(_located(sheet, number, column.header, _("chưa nhập.")))
                continue
            try:
                values[column.key] = CONVERTERS.get(column.key, str)(value)
            except CellError as exc:
                errors.append(_located(sheet, number, column.header, str(exc)))
        found.append(Row(sheet, number, values))
    return found


def _located(sheet: str, row: int, column: str | None, message: str) -> str:
    if column:
        return _("Trang “%(sheet)s”, dòng %(row)s, cột “%(column)s”: %(message)s") % {
            "sheet": sheet,
            "row": row,
            "column": column,
            "message": message,
        }
    return _("Trang “%(sheet)s”, dòng %(row)s: %(message)s") % {
        "sheet": sheet,
        "row": row,
        "message": message,
    }


def _header_of(sheet: str, key: str | None) -> str | None:
    key = ERROR_COLUMNS.get(key, key)
    return next((c.header for c in SHEETS[sheet] if c.key == key), None)


def _xlsx_locator(places: dict[str, Row]) -> Callable[[str], str]:
    """Field path (``version.documents.1.count``) → sheet, row and column of that cell."""

    def locate(key: str) -> str:
        prefix = max(
            (p for p in places if key == p or key.startswith(p + ".") or p == ""),
            key=len,
        )
        row = places[prefix]
        rest = key[len(prefix) :].lstrip(".").split(".")
        name = rest[-1] if rest and rest[-1] else None
        return _located(row.sheet, row.number, _header_of(row.sheet, name), "").rstrip(": ")

    return locate


def _channel(values: dict) -> dict:
    fee = {"kind": values.get("fee_kind")}
    for source, target in (
        ("fee_amount", "amount"),
        ("fee_tiers", "tiers"),
        ("fee_max_per_copy", "max_per_copy"),
        ("fee_exemptions", "exemptions"),
        ("fee_note", "note"),
        ("fee_free_within_days", "free_within_days"),
    ):
        if values.get(source) is not None:
            fee[target] = values[source]
    return {
        "time_amount": values.get("time_amount"),
        "time_unit": values.get("time_unit"),
        "time_note": values.get("time_note", ""),
        "fee": fee,
    }


PROCEDURE_KEYS = ("code", "name", "sector", "level", "online_mode", "is_active", "units")


def parse_xlsx(raw: bytes) -> Parsed:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFailed([_("Tệp Excel không đọc được: %(error)s") % {"error": exc}]) from exc
    parsed, missing = Parsed(), []
    sheets = {
        sheet: _read_sheet(workbook, sheet, missing, parsed.errors, optional=sheet == SECTOR_SHEET)
        for sheet in SHEETS
    }
    workbook.close()
    if missing:
        raise ImportFailed(missing)
    for row in sheets[SECTOR_SHEET]:
        parsed.sectors.append(
            (
                row.values,
                lambda key, r=row: _located(r.sheet, r.number, _header_of(r.sheet, key), ""),
            )
        )
    by_code: dict[str, tuple[Entry, dict]] = {}
    for row in sheets[PROCEDURE_SHEET]:
        code = row.values.get("code")
        if code in by_code:
            parsed.errors.append(
                _located(row.sheet, row.number, _header_of(row.sheet, "code"), _("mã bị trùng."))
            )
            continue
        procedure = {k: row.values[k] for k in PROCEDURE_KEYS if k in row.values}
        version = {k: v for k, v in row.values.items() if k not in PROCEDURE_KEYS}
        version.update(channels={}, documents=[], steps=[])
        places = {"": row, "version": row}
        entry = Entry(procedure, version, _xlsx_locator(places))
        parsed.entries.append(entry)
        if code:
            by_code[code] = (entry, places)
    for sheet, attach in (
        (CHANNEL_SHEET, _attach_channel),
        (DOCUMENT_SHEET, _attach_item("documents")),
        (STEP_SHEET, _attach_item("steps")),
    ):
        for row in sheets[sheet]:
            code = row.values.get("code")
            if code not in by_code:
                if code:
                    parsed.errors.append(
                        _located(
                            sheet,
                            row.number,
                            _header_of(sheet, "code"),
                            _("không có thủ tục mã “%(code)s” trong trang “%(sheet)s”.")
                            % {"code": code, "sheet": PROCEDURE_SHEET},
                        )
                    )
                continue
            entry, places = by_code[code]
            error = attach(entry, places, row)
            if error:
                parsed.errors.append(error)
    return parsed


def _attach_channel(entry: Entry, places: dict, row: Row) -> str | None:
    channel = row.values.get("channel")
    if channel is None:
        return None
    if channel in entry.version["channels"]:
        return _located(
            row.sheet, row.number, _header_of(row.sheet, "channel"), _("cách thức nộp bị trùng.")
        )
    entry.version["channels"][channel] = _channel(row.values)
    places[f"version.channels.{channel}"] = row
    return None


def _attach_item(key: str):
    def attach(entry: Entry, places: dict, row: Row) -> None:
        item = {k: v for k, v in row.values.items() if k != "code"}
        places[f"version.{key}.{len(entry.version[key])}"] = row
        entry.version[key].append(item)

    return attach


def to_xlsx(data: dict) -> bytes:
    """The exchange data as a workbook with the sheets and headers ``parse_xlsx`` reads."""
    workbook = spreadsheets.new_book(empty=True)
    rows: dict[str, list[list]] = {sheet: [] for sheet in SHEETS}
    for sector in data["sectors"]:
        rows[SECTOR_SHEET].append([sector["code"], sector["name"]])
    for procedure in data["procedures"]:
        _procedure_rows(procedure, rows)
    for sheet, columns in SHEETS.items():
        widths = [40 if column.key in ("name", "result") else 18 for column in columns]
        headings = [c.header for c in columns]
        spreadsheets.table(workbook.create_sheet(sheet), [], headings, rows[sheet], widths)
    return spreadsheets.to_bytes(workbook)


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def _yes(value: bool) -> str:
    return str(_("Có") if value else _("Không"))


def _procedure_rows(procedure: dict, rows: dict[str, list[list]]) -> None:
    version = procedure["version"]
    code = procedure["code"]
    rows[PROCEDURE_SHEET].append(
        [
            code,
            procedure["name"],
            procedure["sector"],
            _label(Level, procedure["level"]),
            _label(OnlineMode, procedure["online_mode"]),
            _yes(procedure["is_active"]),
            "; ".join(procedure["units"]),
            version["valid_from"].strftime("%d/%m/%Y"),
            version["applicants"],
            version["deciding_agency"],
            version["coordinating_agencies"],
            version["where_to_file"],
            version["result"],
            version["conditions"],
            version["legal_basis"],
            version["change_note"],
            _yes(version.get("result_signed_by_leader", False)),
            json.dumps(version["form_schema"], ensure_ascii=False)
            if version["form_schema"]
            else "",
        ]
    )
    for channel, terms in version["channels"].items():
        fee = terms["fee"]
        rows[CHANNEL_SHEET].append(
            [
                code,
                _label(Channel, channel),
                terms["time_amount"],
                _label(TimeUnit, terms["time_unit"]),
                terms["time_note"],
                str(FEE_KINDS[fee["kind"]]),
                fee.get("amount"),
                format_tiers(fee.get("tiers", [])),
                fee.get("max_per_copy"),
                "\n".join(fee.get("exemptions", [])),
                fee.get("note", ""),
                json.dumps(fee["free_within_days"], ensure_ascii=False)
                if fee.get("free_within_days")
                else "",
            ]
        )
    for document in version["documents"]:
        rows[DOCUMENT_SHEET].append(
            [
                code,
                document["name"],
                _label(CopyKind, document["copy_kind"]),
                document["count"],
                _yes(document["mandatory"]),
                document["template"],
                _yes(document["is_declaration"]),
            ]
        )
    for step in version["steps"]:
        rows[STEP_SHEET].append(
            [
                code,
                step["name"],
                _label(Role, step["role"]),
                step["responsible"],
                float(step["amount"]),
                _label(StepUnit, step["unit"]),
            ]
        )
