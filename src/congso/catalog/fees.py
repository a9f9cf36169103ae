"""Fee rules as plain data, and the pure functions that check, compute and describe them.

A rule is a small JSON object stored per channel of a procedure version:

- ``{"kind": "free"}`` — no fee;
- ``{"kind": "fixed", "amount": 10000}`` — per case, whatever the number of copies;
- ``{"kind": "per_copy", "amount": 8000}`` — per copy issued;
- ``{"kind": "per_page", "tiers": [{"from_page": 1, "amount": 2000}, {"from_page": 3,
  "amount": 1000}], "max_per_copy": 200000}`` — per page of each copy, by tiers, with an optional
  cap per copy (certified copies, Circular 226/2016/TT-BTC).

Any rule may add ``"exemptions"`` (who pays nothing, as text shown to citizens) and ``"note"``,
and ``"free_within_days"`` — an exemption the declaration itself proves, e.g. birth registration
on time: ``{"date_field": "child.date_of_birth", "days": 60, "basis": "Luật Hộ tịch 2014, Điều
11"}`` (the fee is zero when the dossier is filed within that many days of that date). Any other
exemption is an official's recorded decision, never the applicant's own tick. Amounts are whole
đồng.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.core.formatting import money

KINDS = ("free", "fixed", "per_copy", "per_page")
FREE = {"kind": "free"}


def _whole(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            _("Phí: %(label)s phải là số nguyên không âm (đồng).") % {"label": label}
        )
    return value


def _texts(value, label: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(_("Phí: %(label)s phải là danh sách nội dung.") % {"label": label})
    return [v.strip() for v in value]


def _tiers(value) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Phí theo trang cần ít nhất một bậc (từ trang, số tiền)."))
    tiers = []
    for tier in value:
        if not isinstance(tier, dict):
            raise ValidationError(_("Phí theo trang: mỗi bậc gồm từ trang và số tiền."))
        start = tier.get("from_page")
        if isinstance(start, bool) or not isinstance(start, int) or start < 1:
            raise ValidationError(_("Phí theo trang: “từ trang” phải là số nguyên từ 1."))
        tiers.append({"from_page": start, "amount": _whole(tier.get("amount"), _("số tiền"))})
    tiers.sort(key=lambda t: t["from_page"])
    if tiers[0]["from_page"] != 1:
        raise ValidationError(_("Phí theo trang: bậc đầu tiên phải bắt đầu từ trang 1."))
    if len({t["from_page"] for t in tiers}) != len(tiers):
        raise ValidationError(_("Phí theo trang: hai bậc không được bắt đầu cùng một trang."))
    return tiers


def _within_days(value) -> dict:
    if not isinstance(value, dict) or not str(value.get("date_field", "")).strip():
        raise ValidationError(_("Phí: miễn theo thời hạn cần trường ngày (“date_field”)."))
    days = value.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValidationError(_("Phí: số ngày được miễn phải là số nguyên không âm."))
    return {
        "date_field": str(value["date_field"]).strip(),
        "days": days,
        "basis": str(value.get("basis", "")).strip(),
    }


def validate_fee_rule(rule) -> dict:
    """Return the rule in canonical form, or raise ``ValidationError`` in Vietnamese."""
    if rule in (None, {}):
        return dict(FREE)
    if not isinstance(rule, dict):
        raise ValidationError(_("Phí phải là một đối tượng JSON có trường “kind”."))
    kind = rule.get("kind")
    if kind not in KINDS:
        raise ValidationError(
            _("Loại phí “%(kind)s” không hợp lệ; chọn một trong: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(KINDS)}
        )
    unknown = set(rule) - {
        "kind",
        "amount",
        "tiers",
        "max_per_copy",
        "exemptions",
        "note",
        "free_within_days",
    }
    if unknown:
        raise ValidationError(
            _("Phí có trường không hợp lệ: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    clean: dict = {"kind": kind}
    if kind in ("fixed", "per_copy"):
        clean["amount"] = _whole(rule.get("amount"), _("số tiền"))
    elif kind == "per_page":
        clean["tiers"] = _tiers(rule.get("tiers"))
        if rule.get("max_per_copy") is not None:
            clean["max_per_copy"] = _whole(rule["max_per_copy"], _("mức tối đa mỗi bản"))
    exemptions = _texts(rule.get("exemptions"), _("các trường hợp miễn"))
    if exemptions:
        clean["exemptions"] = exemptions
    if rule.get("free_within_days") is not None:
        clean["free_within_days"] = _within_days(rule["free_within_days"])
    note = rule.get("note")
    if note:
        if not isinstance(note, str):
            raise ValidationError(_("Phí: ghi chú phải là văn bản."))
        clean["note"] = note.strip()
    return clean


def _price_of_copy(tiers: list[dict], pages: int, cap: int | None) -> int:
    total = 0
    for index, tier in enumerate(tiers):
        end = tiers[index + 1]["from_page"] - 1 if index + 1 < len(tiers) else pages
        counted = max(0, min(end, pages) - tier["from_page"] + 1)
        total += counted * tier["amount"]
    return min(total, cap) if cap is not None else total


def fee_amount(rule: dict, *, copies: int = 1, pages: int = 0, exempt: bool = False) -> int:
    """The fee in đồng for ``copies`` copies of ``pages`` pages each.

    ``exempt`` means the caller has established the applicant falls under an exemption of the rule
    (or of the law, e.g. on-time birth registration): the fee is then zero.
    """
    rule = validate_fee_rule(rule)
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        raise ValidationError(_("Số bản phải là số nguyên từ 1."))
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
        raise ValidationError(_("Số trang phải là số nguyên không âm."))
    kind = rule["kind"]
    if exempt or kind == "free":
        return 0
    if kind == "fixed":
        return rule["amount"]
    if kind == "per_copy":
        return rule["amount"] * copies
    if pages < 1:
        raise ValidationError(_("Phí tính theo trang: cần cho biết số trang của mỗi bản."))
    return _price_of_copy(rule["tiers"], pages, rule.get("max_per_copy")) * copies


def describe_fee(rule: dict) -> str:
    """The rule in one Vietnamese sentence, e.g. ``8.000 đ/bản``."""
    rule = validate_fee_rule(rule)
    kind = rule["kind"]
    if kind == "free":
        text = _("Không thu phí, lệ phí")
    elif kind == "fixed":
        text = (
            _("%(amount)s/trường hợp") % {"amount": money(rule["amount"])}
            if rule["amount"]
            else _("Không thu phí, lệ phí")
        )
    elif kind == "per_copy":
        text = _("%(amount)s/bản") % {"amount": money(rule["amount"])}
    else:
        parts = []
        for index, tier in enumerate(rule["tiers"]):
            if index == 0:
                parts.append(_("%(amount)s/trang") % {"amount": money(tier["amount"])})
            else:
                parts.append(
                    _("từ trang thứ %(page)s trở lên: %(amount)s/trang")
                    % {"page": tier["from_page"], "amount": money(tier["amount"])}
                )
        if "max_per_copy" in rule:
            parts.append(_("tối đa %(amount)s/bản") % {"amount": money(rule["max_per_copy"])})
        text = "; ".join(parts)
    if rule.get("note"):
        text = f"{text} ({rule['note']})"
    return text


def parse_tiers(text: str) -> list[dict]:
    """``"1:2000; 3:1000"`` (from page: đồng per page) → tiers; thousands dots are allowed."""
    tiers = []
    for part in (p.strip() for p in (text or "").replace("\n", ";").split(";")):
        if not part:
            continue
        start, sep, amount = part.partition(":")
        start = start.strip()
        amount = amount.strip().replace(".", "").replace(" ", "").removesuffix("đ")
        if not sep or not start.isdigit() or not amount.isdigit():
            raise ValidationError(
                _("Bậc phí “%(part)s” phải có dạng trang:số tiền, ví dụ 1:2000; 3:1000.")
                % {"part": part}
            )
        tiers.append({"from_page": int(start), "amount": int(amount)})
    return tiers


def format_tiers(tiers: list[dict]) -> str:
    return "; ".join(f"{t['from_page']}:{t['amount']}" for t in tiers)


def _is_fee_table(prop: dict) -> bool:
    items = prop.get("items", {}) if prop.get("type") == "array" else {}
    lines = items.get("properties", {})
    return all(lines.get(n, {}).get("type") == "integer" for n in ("pages", "copies"))


def declares_fee_items(schema: dict) -> bool:
    """Does the declaration list the documents to be priced, each with its ``pages`` and
    ``copies`` (as the request for certified copies does, form of Circular 01/2020/TT-BTP)? Then
    the fee is counted from those lines and the applicant is not asked the figures twice."""
    for prop in (schema or {}).get("properties", {}).values():
        if _is_fee_table(prop) or (prop.get("type") == "object" and declares_fee_items(prop)):
            return True
    return False


def declared_items(schema: dict, answers) -> list[tuple[int, int]]:
    """``(pages, copies)`` of each document line of the declaration (see ``declares_fee_items``);
    lines without both whole numbers are left out (the declaration's own check reports them)."""
    found: list[tuple[int, int]] = []
    answers = answers if isinstance(answers, dict) else {}
    for name, prop in (schema or {}).get("properties", {}).items():
        value = answers.get(name)
        if _is_fee_table(prop) and isinstance(value, list):
            for line in value:
                pages = line.get("pages") if isinstance(line, dict) else None
                copies = line.get("copies") if isinstance(line, dict) else None
                if all(isinstance(n, int) and not isinstance(n, bool) for n in (pages, copies)):
                    found.append((pages, copies))
        elif prop.get("type") == "object":
            found.extend(declared_items(prop, value))
    return found


def fee_for_items(rule: dict, items: list[tuple[int, int]], *, exempt: bool = False) -> int:
    """The fee for several documents, each ``(pages, copies)``.

    Per-page and per-copy fees are owed per document: each document's copies are priced on its
    own page count (Circular 226/2016/TT-BTC art. 4: certifying a copy costs 2.000 đ/page for
    the first two pages, 1.000 đ/page from the third, at most 200.000 đ per copy). A fixed fee
    is owed once per case, whatever the number of documents.
    """
    rule = validate_fee_rule(rule)
    if not items:
        raise ValidationError(_("Cần kê khai ít nhất một giấy tờ (số trang, số bản)."))
    if rule["kind"] in ("per_page", "per_copy"):
        return sum(fee_amount(rule, copies=c, pages=p, exempt=exempt) for p, c in items)
    return fee_amount(rule, exempt=exempt)


def _date_at(data, path: str) -> dt.date | None:
    node = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    try:
        return dt.date.fromisoformat(node) if isinstance(node, str) else None
    except ValueError:
        return None


def exemption_by_rule(rule: dict, form_data, filed_on: dt.date) -> str | None:
    """The legal ground on which the declaration itself exempts the dossier, or ``None``.

    Law on Civil Status 2014, Art. 11(1)(b): registering a birth or a death on time (birth within
    60 days, Art. 15) is free; the rule's ``free_within_days`` names the declared date and the
    number of days. A date in the future proves nothing (the declaration's check refuses it).
    """
    rule = validate_fee_rule(rule)
    within = rule.get("free_within_days")
    if not within:
        return None
    day = _date_at(form_data or {}, within["date_field"])
    if day is None or day > filed_on or (filed_on - day).days > within["days"]:
        return None
    return within["basis"] or _("Miễn theo quy định của thủ tục")
