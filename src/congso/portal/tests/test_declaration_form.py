"""The declaration schema as pages: grouping, reading posted answers, Vietnamese errors."""

from congso.portal import declaration_form as df

SCHEMA = {
    "type": "object",
    "title": "Tờ khai",
    "required": ["person", "agree"],
    "properties": {
        "person": {
            "type": "object",
            "title": "Người khai",
            "required": ["name", "born"],
            "properties": {
                "name": {"type": "string", "title": "Họ tên", "minLength": 2},
                "born": {"type": "string", "format": "date", "title": "Ngày sinh"},
                "kind": {"type": "string", "title": "Loại", "enum": ["a", "b"]},
            },
        },
        "spouse": {
            "type": "object",
            "title": "Vợ/chồng",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "title": "Họ tên"},
                "nationality": {"type": "string", "title": "Quốc tịch", "default": "Việt Nam"},
            },
        },
        "copies": {"type": "integer", "title": "Số bản", "minimum": 0, "maximum": 5},
        "agree": {"type": "boolean", "title": "Tôi cam đoan", "const": True},
    },
}


def test_objects_are_pages_and_loose_questions_share_one():
    pages = df.groups(SCHEMA)
    assert [p.title for p in pages] == ["Người khai", "Vợ/chồng", "Thông tin khác"]
    assert [f.path for f in pages[0].fields] == ["person.name", "person.born", "person.kind"]
    assert [f.kind for f in pages[2].fields] == ["number", "checkbox"]
    assert pages[1].fields[1].value == "Việt Nam"  # the schema's default pre-fills the field


def test_blank_optional_section_is_absent_even_with_prefilled_defaults():
    page = df.groups(SCHEMA)[1]
    answers = df.read_group(SCHEMA, page, {"spouse.nationality": "Việt Nam"}, {"copies": 1})
    assert answers == {"copies": 1}
    assert df.errors_for(SCHEMA, answers, page.names) == {}
    filled = df.read_group(SCHEMA, page, {"spouse.nationality": "Lào"}, {})
    assert df.errors_for(SCHEMA, filled, page.names) == {"spouse.name": ["Nhập họ tên."]}


def test_numbers_and_checkboxes_are_converted():
    page = df.groups(SCHEMA)[2]
    answers = df.read_group(SCHEMA, page, {"copies": "3", "agree": "on"}, {})
    assert answers == {"copies": 3, "agree": True}
    bad = df.read_group(SCHEMA, page, {"copies": "ba"}, {})
    errors = df.errors_for(SCHEMA, bad, page.names)
    assert errors == {
        "copies": ["Số bản phải là một số."],
        "agree": ["Cần đánh dấu xác nhận: Tôi cam đoan"],
    }


def test_every_error_is_vietnamese_and_keyed_by_path():
    answers = {"person": {"name": "A", "born": "31/12/2000", "kind": "z"}, "copies": 9}
    errors = df.errors_for(SCHEMA, answers)
    assert errors == {
        "person.name": ["Họ tên phải có ít nhất 2 ký tự."],
        "person.born": ["Ngày sinh không đúng định dạng."],
        "person.kind": ["Chọn một giá trị trong danh sách cho Loại."],
        "copies": ["Số bản không được lớn hơn 5."],
        "agree": ["Cần đánh dấu xác nhận: Tôi cam đoan"],
    }


def test_order_does_not_depend_on_how_the_keys_were_stored():
    """PostgreSQL's jsonb sorts an object's keys; the pages must come out the same."""
    shuffled = {**SCHEMA, "properties": dict(sorted(SCHEMA["properties"].items()))}
    assert [g.names for g in df.groups(shuffled)] == [g.names for g in df.groups(SCHEMA)]
    assert [name for name, _prop in df.properties(shuffled)] == [
        "person",
        "spouse",
        "copies",
        "agree",
    ]
