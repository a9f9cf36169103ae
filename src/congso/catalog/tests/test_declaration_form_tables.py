"""The web rendering of a declaration: tables (arrays of objects) line by line, dates typed
dd/mm/yyyy, and the back office's read-only sections."""

import datetime as dt

from django.http import QueryDict

from congso.catalog import declaration_form as df

SCHEMA = {
    "type": "object",
    "required": ["documents"],
    "properties": {
        "documents": {
            "type": "array",
            "title": "Giấy tờ",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "required": ["name", "pages"],
                "properties": {
                    "name": {"type": "string", "title": "Tên"},
                    "pages": {"type": "integer", "title": "Số trang", "minimum": 1},
                },
            },
        },
        "signed_on": {"type": "string", "format": "date", "title": "Ngày ký"},
    },
}


def _post(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key.replace("__", ".")] = value
    return data


def test_a_table_is_its_own_page_with_one_blank_line_to_add():
    table = df.groups(SCHEMA, {"documents": [{"name": "A", "pages": 2}]})[0]
    assert table.names == ["documents"]
    paths = [f.path for f in table.fields]
    assert "documents.0.name" in paths and "documents.1.name" in paths
    assert "documents.2.name" not in paths
    assert table.fields[0].row == "Giấy tờ — dòng 1"


def test_no_more_lines_than_max_items():
    full = {"documents": [{"name": str(n), "pages": 1} for n in range(3)]}
    paths = [f.path for f in df.groups(SCHEMA, full)[0].fields]
    assert "documents.3.name" not in paths


def test_lines_are_read_as_a_list_and_blank_lines_dropped():
    page = df.groups(SCHEMA, {})[0]
    posted = _post(documents__0__name="Sổ đỏ", documents__0__pages="12")
    answers = df.read_group(SCHEMA, page, posted, {})
    assert answers == {"documents": [{"name": "Sổ đỏ", "pages": 12}]}
    assert df.errors_for(SCHEMA, answers, ["documents"]) == {}


def test_an_empty_required_table_is_refused_in_vietnamese():
    page = df.groups(SCHEMA, {})[0]
    answers = df.read_group(SCHEMA, page, _post(), {})
    assert df.errors_for(SCHEMA, answers, ["documents"]) == {
        "documents": ["Nhập ít nhất 1 dòng: giấy tờ."]
    }


def test_an_error_in_a_line_is_keyed_by_the_lines_field():
    answers = {"documents": [{"name": "A", "pages": 0}]}
    errors = df.errors_for(SCHEMA, answers)
    assert errors == {"documents.0.pages": ["Số trang phải từ 1 trở lên."]}


def test_dates_are_typed_dd_mm_yyyy_and_stored_iso():
    page = df.groups(SCHEMA, {})[1]
    answers = df.read_group(SCHEMA, page, _post(signed_on="05/03/2026"), {})
    assert answers["signed_on"] == "2026-03-05"
    shown = df.groups(SCHEMA, answers)[1].fields[0]
    assert shown.input_value == "05/03/2026"


def test_a_date_that_does_not_exist_is_refused():
    page = df.groups(SCHEMA, {})[1]
    answers = df.read_group(SCHEMA, page, _post(signed_on="31/02/2026"), {})
    assert df.errors_for(SCHEMA, answers, ["signed_on"]) == {
        "signed_on": ["Ngày ký không đúng định dạng."]
    }


def test_parse_date_accepts_both_forms_only():
    assert df.parse_date("5/3/2026") == dt.date(2026, 3, 5)
    assert df.parse_date("2026-03-05") == dt.date(2026, 3, 5)
    assert df.parse_date("03-05-2026") is None


def test_sections_read_a_filed_declaration():
    data = {"documents": [{"name": "Sổ đỏ", "pages": 12}], "signed_on": "2026-03-05"}
    found = df.sections(SCHEMA, data)
    assert [s.title for s in found] == ["Giấy tờ", "Ngày ký"]
    assert found[0].rows == [
        ("Giấy tờ — dòng 1: Tên", "Sổ đỏ"),
        ("Giấy tờ — dòng 1: Số trang", "12"),
    ]
    assert found[1].rows == [("Ngày ký", "05/03/2026")]


def test_changes_name_what_a_correction_changed():
    before = {"documents": [{"name": "Sổ đỏ", "pages": 12}]}
    after = {"documents": [{"name": "Sổ đỏ", "pages": 10}]}
    assert df.changes(SCHEMA, before, after) == [("Giấy tờ — dòng 1: Số trang", "12", "10")]
