"""The declaration form: a real JSON Schema, answers checked in Vietnamese, a printable PDF."""

import json
import subprocess

import pytest
from django.core.exceptions import ValidationError

from congso.catalog import services
from congso.catalog.declaration import (
    layout,
    render_pdf,
    validate_declaration,
    validate_form_schema,
)
from congso.catalog.tests.factories import ProcedureFactory, version_content
from congso.demo import catalog as demo

FORM = {
    "title": "Tờ khai thử",
    "type": "object",
    "required": ["person", "sex", "documents"],
    "properties": {
        "person": {
            "type": "object",
            "title": "Người yêu cầu",
            "required": ["full_name", "date_of_birth"],
            "properties": {
                "full_name": {"type": "string", "title": "Họ và tên"},
                "date_of_birth": {"type": "string", "format": "date", "title": "Ngày sinh"},
                "email": {"type": "string", "format": "email", "title": "Thư điện tử"},
            },
        },
        "sex": {
            "type": "string",
            "title": "Giới tính",
            "oneOf": [{"const": "male", "title": "Nam"}, {"const": "female", "title": "Nữ"}],
        },
        "documents": {
            "type": "array",
            "title": "Giấy tờ",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["pages"],
                "properties": {
                    "name": {"type": "string", "title": "Tên giấy tờ"},
                    "pages": {"type": "integer", "minimum": 1, "title": "Số trang"},
                },
            },
        },
        "agree": {"type": "boolean", "title": "Cam đoan"},
    },
}


def test_a_valid_schema_passes_and_empty_means_no_form():
    assert validate_form_schema(FORM) is FORM
    assert validate_form_schema({}) == {}
    assert validate_form_schema(None) == {}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([1, 2], "đối tượng JSON Schema"),
        ({"type": "objekt", "properties": {}, "title": "T"}, "không phải JSON Schema hợp lệ"),
        ({"type": "object", "properties": {"a": {"minLength": -1}}, "title": "T"}, "properties/a"),
        ({"type": "string", "title": "T"}, "“type”: “object”"),
        ({"type": "object", "properties": {}, "title": "T"}, "ít nhất một trường"),
        ({"type": "object", "properties": {"a": {"type": "string"}}}, "tiêu đề"),
    ],
)
def test_invalid_schemas_are_refused_in_vietnamese(schema, message):
    with pytest.raises(ValidationError, match=message):
        validate_form_schema(schema)


def test_demo_forms_are_valid_schemas():
    data = json.loads(demo.DATA_FILE.read_text())
    forms = {p["code"]: p["version"]["form_schema"] for p in data["procedures"]}
    for code in ("1.001193", "1.000894", "2.000815", "1.001612", "1.013225"):
        schema = validate_form_schema(forms[code])
        assert len(schema["properties"]) >= 3 and schema["required"], code


def test_answers_are_checked_with_field_labels():
    answers = {
        "person": {"full_name": "Lê Văn A", "date_of_birth": "31/12/1990", "email": "không"},
        "sex": "other",
        "documents": [{"name": "Bằng", "pages": 0}],
    }
    with pytest.raises(ValidationError) as caught:
        validate_declaration(FORM, answers)
    errors = caught.value.message_dict
    assert errors["person.date_of_birth"] == ["Ngày sinh: không đúng định dạng."]
    assert errors["person.email"] == ["Thư điện tử: không đúng định dạng."]
    assert errors["sex"] == ["Giới tính: giá trị không nằm trong danh sách cho phép."]
    assert errors["documents.0.pages"][0].startswith("Số trang: không hợp lệ")


def test_missing_required_fields_are_named():
    with pytest.raises(ValidationError) as caught:
        validate_declaration(FORM, {"person": {"full_name": "A"}})
    errors = caught.value.message_dict
    assert errors["person.date_of_birth"] == ["Ngày sinh: bắt buộc nhập."]
    assert errors["sex"] == ["Giới tính: bắt buộc nhập."]
    assert errors["documents"] == ["Giấy tờ: bắt buộc nhập."]


def test_good_answers_pass():
    answers = {
        "person": {"full_name": "Lê Văn A", "date_of_birth": "1990-12-31"},
        "sex": "female",
        "documents": [{"name": "Bằng", "pages": 2}],
    }
    assert validate_declaration(FORM, answers) == answers


def test_layout_follows_the_schema():
    items = layout(FORM)
    kinds = [(i.kind, i.label, i.depth) for i in items]
    assert kinds == [
        ("heading", "Người yêu cầu", 0),
        ("line", "Họ và tên", 1),
        ("date", "Ngày sinh", 1),
        ("line", "Thư điện tử", 1),
        ("choice", "Giới tính", 0),
        ("table", "Giấy tờ", 0),
        ("choice", "Cam đoan", 0),
    ]
    assert items[4].options == ["Nam", "Nữ"] and items[4].required
    assert items[5].columns == ["Tên giấy tờ", "Số trang"] and items[5].blank_rows == [1, 2, 3]
    assert items[6].options == ["Có", "Không"] and not items[6].required


@pytest.mark.django_db
def test_pdf_is_printed_with_liberation_serif(tmp_path):
    procedure = ProcedureFactory(version=None)
    version = services.publish_version(procedure, version_content(form_schema=FORM))
    pdf = render_pdf(procedure, version)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "TỜ KHAI THỬ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Họ và tên" in text and "Số trang" in text
    assert "Kính gửi: Ủy ban nhân dân cấp xã" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Liberation-Serif" in fonts
