"""The declaration form (tờ khai) of a procedure: a JSON Schema, checked, laid out and printed.

The schema is the single source of the form: the online submission validates a citizen's answers
against it, and the printable PDF for the desk is generated from it (WeasyPrint, Liberation Serif,
which has the metrics of Times New Roman used by official forms) — no binary templates shipped.
"""

import ast
import functools
import json
from dataclasses import dataclass, field

import jsonschema
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

SCHEMA_DRAFT = jsonschema.Draft202012Validator


def validate_form_schema(schema) -> dict:
    """Return ``schema`` if it is a usable form (or empty: no form); raise in Vietnamese if not."""
    if schema in (None, {}, ""):
        return {}
    if not isinstance(schema, dict):
        raise ValidationError(_("Biểu mẫu phải là một đối tượng JSON Schema."))
    problem = _metaschema_problem(json.dumps(schema, sort_keys=True, ensure_ascii=False))
    if problem is not None:
        where, message = problem
        raise ValidationError(
            _("Biểu mẫu không phải JSON Schema hợp lệ (tại %(where)s): %(message)s")
            % {"where": where or _("gốc"), "message": message}
        )
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        raise ValidationError(_("Biểu mẫu phải có “type”: “object” và danh sách “properties”."))
    if not schema["properties"]:
        raise ValidationError(_("Biểu mẫu phải có ít nhất một trường."))
    if not str(schema.get("title", "")).strip():
        raise ValidationError(_("Biểu mẫu phải có tiêu đề (“title”)."))
    return schema


@functools.lru_cache(maxsize=512)
def _metaschema_problem(text: str) -> tuple[str, str] | None:
    """Checking against the 2020-12 metaschema is slow (tens of ms); the same form is checked
    again on every import, so the answer is remembered by the schema's text."""
    try:
        SCHEMA_DRAFT.check_schema(json.loads(text))
    except jsonschema.SchemaError as exc:
        return "/".join(str(p) for p in exc.path), exc.message
    return None


def _label(schema: dict, name: str) -> str:
    return str(schema.get("title") or name)


def _node_at(schema: dict, path) -> tuple[dict, str]:
    """The sub-schema and label of the field at ``path`` (names and list indexes)."""
    node, label = schema, _("Tờ khai")
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part, {})
            label = _label(node, part)
    return node, label


def _message(error, schema: dict) -> tuple[str, str]:
    path = list(error.path)
    if error.validator == "required":
        missing = ast.literal_eval(error.message.split(" is a required property")[0])
        path.append(missing)
        _node, label = _node_at(schema, path)
        text = _("%(label)s: bắt buộc nhập.") % {"label": label}
    else:
        _node, label = _node_at(schema, path)
        if error.validator == "format":
            text = _("%(label)s: không đúng định dạng.") % {"label": label}
        elif error.validator in ("enum", "oneOf", "const"):
            text = _("%(label)s: giá trị không nằm trong danh sách cho phép.") % {"label": label}
        else:
            text = _("%(label)s: không hợp lệ (%(detail)s).") % {
                "label": label,
                "detail": error.message,
            }
    return ".".join(str(p) for p in path) or "__all__", text


def validate_declaration(schema: dict, answers: dict) -> dict:
    """Check a citizen's answers against the form. Errors are keyed by field path (``child.name``)
    and name the field by its Vietnamese label."""
    validator = SCHEMA_DRAFT(schema, format_checker=SCHEMA_DRAFT.FORMAT_CHECKER)
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(answers):
        key, text = _message(error, schema)
        errors.setdefault(key, []).append(text)
    if errors:
        raise ValidationError(errors)
    return answers


@dataclass
class Item:
    """One printable line of the form: a heading, a blank to fill, choices or a table."""

    kind: str  # heading | line | date | choice | table | paragraph
    label: str
    depth: int = 0
    required: bool = False
    hint: str = ""
    options: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)


def _options(schema: dict) -> list[str]:
    if "oneOf" in schema:
        return [str(o.get("title", o.get("const", ""))) for o in schema["oneOf"]]
    if "enum" in schema:
        return [str(v) for v in schema["enum"]]
    if schema.get("type") == "boolean":
        return [_("Có"), _("Không")]
    items = schema.get("items", {})
    if schema.get("type") == "array" and ("enum" in items or "oneOf" in items):
        return _options(items)
    return []


def layout(schema: dict, *, depth: int = 0) -> list[Item]:
    """The form as printable items, in the order of its properties."""
    required = set(schema.get("required", []))
    items: list[Item] = []
    for name, prop in schema.get("properties", {}).items():
        label = _label(prop, name)
        hint = str(prop.get("description", ""))
        kind = prop.get("type")
        if kind == "object":
            items.append(Item("heading", label, depth, name in required, hint))
            items.extend(layout(prop, depth=depth + 1))
        elif kind == "array" and prop.get("items", {}).get("type") == "object":
            columns = [_label(p, n) for n, p in prop["items"].get("properties", {}).items()]
            rows = list(range(1, max(3, int(prop.get("minItems", 0))) + 1))
            items.append(
                Item(
                    "table", label, depth, name in required, hint, columns=columns, blank_rows=rows
                )
            )
        elif _options(prop):
            items.append(Item("choice", label, depth, name in required, hint, _options(prop)))
        elif prop.get("format") == "date":
            items.append(Item("date", label, depth, name in required, hint))
        elif prop.get("maxLength", 0) > 200 or prop.get("x-multiline"):
            items.append(Item("paragraph", label, depth, name in required, hint))
        else:
            items.append(Item("line", label, depth, name in required, hint))
    return items


def render_pdf(procedure, version) -> bytes:
    """The printable declaration form of ``version`` as PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(
        "catalog/form_pdf.html",
        {
            "procedure": procedure,
            "version": version,
            "title": version.form_schema.get("title", procedure.name),
            "intro": version.form_schema.get("description", ""),
            "items": layout(version.form_schema),
        },
    )
    return HTML(string=html).write_pdf()
