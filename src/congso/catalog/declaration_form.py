"""The declaration form (JSON Schema) as web pages: question groups, fields, answers, errors.

The schema stays the single source: each top-level object is one page (GOV.UK's "one thing per
page"), consecutive plain questions share a page. Answers are parsed from the POST into the JSON
the schema describes, and every error is worded in Vietnamese and keyed by the field's path, so
the page can show it at the field and in the summary at the top.

The portal asks it one page at a time; the desk enters or corrects a walk-in applicant's
declaration with all pages on one screen; the back office reads it as labelled sections
(``sections``). All three are this module, so the schema is the single source of all of them.
"""

import ast
import datetime as dt
from dataclasses import dataclass, field, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from congso.catalog.declaration import SCHEMA_DRAFT
from congso.core import formatting

#: A date is typed dd/mm/yyyy whatever the browser's language (a text input, not
#: ``type=date``, whose format follows the browser); ISO (yyyy-mm-dd) is also understood.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_date(raw) -> dt.date | None:
    """``20/11/2026`` or ``2026-11-20`` → the date; anything else → ``None``."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(raw).strip(), fmt).date()
        except ValueError:
            continue
    return None


def format_date(value) -> str:
    """A stored answer (ISO) as dd/mm/yyyy; an answer that is not a date is shown as it is."""
    day = parse_date(value)
    return formatting.date(day) if day else str(value)


@dataclass
class Field:
    path: str  # "child.full_name"
    label: str
    kind: str  # text | textarea | choice | checkbox | date | number | email
    required: bool = False
    hint: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    value: object = ""
    errors: list[str] = field(default_factory=list)
    #: For a line of a table (an array of objects): "Giấy tờ … — dòng 2"; empty otherwise.
    row: str = ""

    @property
    def html_id(self) -> str:
        return "f-" + self.path.replace(".", "-")

    @property
    def input_value(self) -> str:
        """The value as typed in the input: dates as dd/mm/yyyy."""
        if self.kind == "date" and self.value not in ("", None):
            return format_date(self.value)
        return "" if self.value is None else str(self.value)


@dataclass
class Group:
    index: int
    title: str
    names: list[str]
    fields: list[Field]


def properties(schema: dict) -> list[tuple[str, dict]]:
    """The questions in an order that does not depend on storage. PostgreSQL's jsonb does not
    keep the order of an object's keys, so the schema's own order cannot be trusted: ``x-order``
    when the schema gives it; else the required questions in the order of ``required`` (a list,
    which keeps its order), then the optional sections and questions by name, and a commitment
    to tick (``const: true``) always last."""
    props = schema.get("properties", {})
    required = [n for n in schema.get("required", []) if n in props]

    def key(name: str):
        prop = props[name]
        commitment = prop.get("type") == "boolean" and prop.get("const") is True
        if name in required:
            rest = (0, required.index(name), "")
        else:
            rest = (1, 0 if prop.get("type") == "object" else 1, name)
        return (commitment, prop.get("x-order", 0), rest)

    return [(n, props[n]) for n in sorted(props, key=key)]


def _label(schema: dict, name: str) -> str:
    return str(schema.get("title") or name)


def _options(prop: dict) -> list[tuple[str, str]]:
    if "oneOf" in prop:
        return [
            (str(o.get("const", "")), str(o.get("title", o.get("const", ""))))
            for o in prop["oneOf"]
        ]
    if "enum" in prop:
        return [(str(v), str(v)) for v in prop["enum"]]
    return []


def _kind(prop: dict) -> str:
    if _options(prop):
        return "choice"
    kind = prop.get("type")
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return "number"
    if prop.get("format") in ("date", "email"):
        return prop["format"]
    if prop.get("maxLength", 0) > 300 or prop.get("x-multiline"):
        return "textarea"
    return "text"


def is_table(prop: dict) -> bool:
    """An array of objects: a table whose lines the citizen fills (documents, business lines)."""
    return prop.get("type") == "array" and prop.get("items", {}).get("type") == "object"


def _row_count(prop: dict, rows: list, blank_row: bool = True) -> int:
    """The lines a table shows: those filled, one blank line to add another, at least
    ``minItems`` (and one), at most ``maxItems``. Read only (``blank_row=False``): those filled."""
    if not blank_row:
        return len(rows)
    wanted = max(len(rows) + 1, int(prop.get("minItems", 0)), 1)
    limit = prop.get("maxItems")
    return min(wanted, int(limit)) if limit else wanted


def _table_fields(prop: dict, name: str, path: str, value, blank_row: bool = True) -> list[Field]:
    rows = value if isinstance(value, list) else []
    result: list[Field] = []
    for index in range(_row_count(prop, rows, blank_row)):
        row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
        title = _("%(table)s — dòng %(n)s") % {"table": _label(prop, name), "n": index + 1}
        for item in _fields(prop["items"], f"{path}.{index}.", row, blank_row):
            item.row = item.row or title
            result.append(item)
    return result


def _fields(schema: dict, prefix: str, answers: dict, blank_row: bool = True) -> list[Field]:
    required = set(schema.get("required", []))
    result: list[Field] = []
    for name, prop in properties(schema):
        path = f"{prefix}{name}"
        value = answers.get(name, "") if isinstance(answers, dict) else ""
        if prop.get("type") == "object":
            result.extend(
                _fields(prop, path + ".", value if isinstance(value, dict) else {}, blank_row)
            )
        elif is_table(prop):
            result.extend(_table_fields(prop, name, path, value, blank_row))
        elif prop.get("type") == "array":
            continue  # a list of plain values has no web rendering yet; none is required
        else:
            result.append(
                Field(
                    path=path,
                    label=_label(prop, name),
                    kind=_kind(prop),
                    required=name in required,
                    hint=str(prop.get("description", "")),
                    options=_options(prop),
                    value=value if value != "" else prop.get("default", ""),
                )
            )
    return result


def groups(schema: dict, answers: dict | None = None, *, blank_row: bool = True) -> list[Group]:
    """The pages of the form, in the order of the schema's properties (``blank_row``: each table
    offers one more line to fill)."""
    answers = answers or {}
    pages: list[Group] = []
    loose: list[str] = []

    def flush():
        if loose:
            sub = {"properties": {n: schema["properties"][n] for n in loose}}
            sub["required"] = [n for n in schema.get("required", []) if n in loose]
            title = (
                _label(schema["properties"][loose[0]], loose[0])
                if len(loose) == 1
                else _("Thông tin khác")
            )
            fields = _fields(sub, "", answers, blank_row)
            pages.append(Group(len(pages), title, list(loose), fields))
            loose.clear()

    for name, prop in properties(schema):
        if prop.get("type") == "object":
            flush()
            fields = _fields(prop, name + ".", answers.get(name) or {}, blank_row)
            pages.append(Group(len(pages), _label(prop, name), [name], fields))
        elif is_table(prop):
            flush()
            fields = _table_fields(prop, name, name, answers.get(name), blank_row)
            pages.append(Group(len(pages), _label(prop, name), [name], fields))
        elif prop.get("type") != "array":
            loose.append(name)
    flush()
    return pages


def _convert(kind: str, raw: str, prop: dict):
    if kind == "checkbox":
        return raw in ("on", "true", "1")
    if kind == "date":
        day = parse_date(raw)
        return day.isoformat() if day else raw  # not a date: the schema refuses it
    if kind == "number":
        try:
            return int(raw) if prop.get("type") == "integer" else float(raw.replace(",", "."))
        except ValueError:
            return raw  # left as text: the schema refuses it with a Vietnamese message
    return raw


def _prop_at(schema: dict, path: str) -> dict:
    node = schema
    for part in path.split("."):
        # a number is a line of a table
        node = node.get("items", {}) if part.isdigit() else node.get("properties", {}).get(part, {})
    return node


def _tables_as_lists(prop: dict, value):
    """Lines of tables are read keyed by their number (``documents.0.name``); the schema wants
    lists. Lines left blank (or holding only the pre-filled defaults) are dropped."""
    if is_table(prop) and isinstance(value, dict):
        lines = [value[k] for k in sorted(value, key=int)]
        return [
            _tables_as_lists(prop["items"], line)
            for line in lines
            if line and not _only_defaults(prop["items"], line)
        ]
    if prop.get("type") == "object" and isinstance(value, dict):
        props = prop.get("properties", {})
        return {k: _tables_as_lists(props.get(k, {}), v) for k, v in value.items()}
    return value


def _only_defaults(prop: dict, value) -> bool:
    """Is this section empty but for the values the page pre-filled from the schema?"""
    if not isinstance(value, dict):
        return False
    defaults = {n: p.get("default") for n, p in prop.get("properties", {}).items()}
    return all(defaults.get(k) == v for k, v in value.items())


def read_group(schema: dict, group: Group, post, answers: dict) -> dict:
    """``answers`` with this page's values replaced by what was posted (empty means absent)."""
    merged = {k: v for k, v in answers.items() if k not in group.names}
    for name in group.names:
        if schema["properties"][name].get("type") == "object" or is_table(
            schema["properties"][name]
        ):
            merged[name] = {}
    for item in group.fields:
        raw = (post.get(item.path) or "").strip()
        if raw == "":
            continue
        value = _convert(item.kind, raw, _prop_at(schema, item.path))
        parts = item.path.split(".")
        target = merged
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    required = set(schema.get("required", []))
    for name in group.names:
        prop = schema["properties"][name]
        if name in merged:
            merged[name] = _tables_as_lists(prop, merged[name])
        empty = merged.get(name) == [] or _only_defaults(prop, merged.get(name))
        if name not in required and empty:
            del merged[name]  # an optional section left blank is absent, not half-filled
    return merged


def _message(error, schema: dict) -> tuple[str, str]:
    path = [str(p) for p in error.path]
    validator, value = error.validator, error.validator_value
    if validator == "required":
        path.append(ast.literal_eval(error.message.split(" is a required property")[0]))
    prop = _prop_at(schema, ".".join(path)) if path else schema
    label = _label(prop, path[-1]) if path else _("Tờ khai")
    messages = {
        "required": _("Chọn %(lower)s.") if _kind(prop) == "choice" else _("Nhập %(lower)s."),
        "minLength": _("%(label)s phải có ít nhất %(n)s ký tự."),
        "maxLength": _("%(label)s chỉ được tối đa %(n)s ký tự."),
        "pattern": _("%(label)s không đúng định dạng."),
        "format": _("%(label)s không đúng định dạng."),
        "minimum": _("%(label)s phải từ %(n)s trở lên."),
        "minItems": _("Nhập ít nhất %(n)s dòng: %(lower)s."),
        "maxItems": _("%(label)s chỉ được tối đa %(n)s dòng."),
        "maximum": _("%(label)s không được lớn hơn %(n)s."),
        "type": _("%(label)s phải là một số.")
        if prop.get("type") in ("integer", "number")
        else _("%(label)s không hợp lệ."),
        "const": _("Cần đánh dấu xác nhận: %(label)s")
        if prop.get("type") == "boolean"
        else _("%(label)s không hợp lệ."),
        "enum": _("Chọn một giá trị trong danh sách cho %(label)s."),
        "oneOf": _("Chọn một giá trị trong danh sách cho %(label)s."),
    }
    text = messages.get(validator, _("%(label)s không hợp lệ."))
    n = value if isinstance(value, int | float) else ""
    if validator == "required" and _kind(prop) == "checkbox":
        text = _("Cần đánh dấu xác nhận: %(label)s")
    lower = label[:1].lower() + label[1:]
    return ".".join(path) or "__all__", text % {"label": label, "n": n, "lower": lower}


def errors_for(
    schema: dict, answers: dict, names: list[str] | None = None, *, today: dt.date | None = None
) -> dict[str, list]:
    """Vietnamese errors of ``answers`` by field path; only those of ``names`` when given. The
    dates' own rules (``date_problems``) are checked once the schema accepts the date."""
    validator = SCHEMA_DRAFT(schema, format_checker=SCHEMA_DRAFT.FORMAT_CHECKER)
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(answers):
        key, text = _message(error, schema)
        if names is None or key.split(".")[0] in names:
            errors.setdefault(key, []).append(text)
    for key, text in date_problems(schema, answers, today or timezone.localdate()):
        if key not in errors and (names is None or key.split(".")[0] in names):
            errors[key] = [text]
    return errors


def age_on(born: dt.date, day: dt.date) -> int:
    """Full years of age on ``day`` (a person born on 29 February comes of age on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _dates(schema: dict, answers, prefix: str = ""):
    """(path, name, sub-schema, value) of every date answered, tables included."""
    answers = answers if isinstance(answers, dict) else {}
    for name, prop in schema.get("properties", {}).items():
        value = answers.get(name)
        if prop.get("type") == "object":
            yield from _dates(prop, value, f"{prefix}{name}.")
        elif is_table(prop) and isinstance(value, list):
            for index, line in enumerate(value):
                yield from _dates(prop["items"], line, f"{prefix}{name}.{index}.")
        elif prop.get("format") == "date" and isinstance(value, str):
            yield f"{prefix}{name}", name, prop, value


def date_problems(schema: dict, answers, today: dt.date) -> list[tuple[str, str]]:
    """Dates the calendar refuses, whatever the schema's type says:

    - nobody is born in the future (every ``date_of_birth``, or a date marked ``x-not-future``);
    - a minimum age on the filing day, ``x-min-age`` (years): the Law on Marriage and Family
      2014, art. 8(1)(a), lets a man marry from full 20 years of age and a woman from full 18.
    """
    found = []
    for path, name, prop, value in _dates(schema, answers):
        day = parse_date(value)
        if day is None:
            continue
        label = _label(prop, name)
        if (name == "date_of_birth" or prop.get("x-not-future")) and day > today:
            found.append((path, _("%(label)s không được sau ngày hôm nay.") % {"label": label}))
        elif prop.get("x-min-age") and age_on(day, today) < int(prop["x-min-age"]):
            found.append(
                (
                    path,
                    _("Chưa đủ %(years)s tuổi theo quy định (%(label)s: %(day)s).")
                    % {"years": prop["x-min-age"], "label": label, "day": format_date(value)},
                )
            )
    return found


def attach_errors(group: Group, errors: dict[str, list]) -> None:
    for item in group.fields:
        item.errors = errors.get(item.path, [])


# --- Reading a filed declaration ------------------------------------------------------------


@dataclass
class Section:
    """One section of a filed declaration as the back office reads it: labelled values."""

    title: str
    rows: list[tuple[str, str]]


def display_value(item: Field) -> str:
    """The answer as a person reads it: the option's title, Có/Không, a date as dd/mm/yyyy."""
    value = item.value
    if value in ("", None):
        return ""
    if item.kind == "choice":
        return str(dict(item.options).get(str(value), value))
    if item.kind == "checkbox":
        return _("Có") if value is True else _("Không")
    if item.kind == "date":
        return format_date(value)
    return str(value)


def sections(schema: dict, data: dict) -> list[Section]:
    """The declaration ``data`` section by section, as filed (no blank table line, no default
    standing in for an answer not given)."""
    found = []
    for group in groups(schema or {}, data or {}, blank_row=False):
        rows = []
        for item in group.fields:
            answered = _answer_at(data or {}, item.path)
            label = f"{item.row}: {item.label}" if item.row else item.label
            rows.append((label, display_value(replace(item, value=answered))))
        found.append(Section(group.title, rows))
    return found


def _answer_at(data, path: str):
    node = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part, "")
        else:
            return ""
    return node


def changes(schema: dict, before: dict, after: dict) -> list[tuple[str, str, str]]:
    """What a correction changed, as ``(label, before, after)`` in reading form."""
    old = {label: value for s in sections(schema, before) for label, value in s.rows}
    new = {label: value for s in sections(schema, after) for label, value in s.rows}
    labels = list(old) + [label for label in new if label not in old]
    return [(lb, old.get(lb, ""), new.get(lb, "")) for lb in labels if old.get(lb) != new.get(lb)]


def read_all(schema: dict, post, answers: dict) -> dict:
    """Every page of the form posted at once (the desk's rendering): ``answers`` updated."""
    for index in range(len(groups(schema, answers))):
        answers = read_group(schema, groups(schema, answers)[index], post, answers)
    return answers


#: The answers an identity can give, by the field name the forms use.
IDENTITY_FIELDS = ("full_name", "id_kind", "id_number", "date_of_birth", "sex", "residence")
CONTACT_FIELDS = ("phone", "email")


def prefill(schema: dict, identity: dict) -> dict:
    """The declaration started with what the state already holds (Decree 45/2020/NĐ-CP: data the
    state holds is not asked for again): the applicant's section — the first section asking a
    full name and an ID number — filled from ``identity`` (name, ID, birth date, sex, residence,
    phone, e-mail). Only the fields the form has, only values given; the citizen can change any."""
    for name, prop in properties(schema):
        fields = prop.get("properties", {}) if prop.get("type") == "object" else {}
        if "full_name" in fields and "id_number" in fields:
            section = {
                key: identity[key]
                for key in IDENTITY_FIELDS + CONTACT_FIELDS
                if key in fields and identity.get(key) not in (None, "")
            }
            if identity.get("id_number") and "id_kind" in fields:
                section.setdefault("id_kind", "citizen_id")
            return {name: section} if section else {}
    return {}
