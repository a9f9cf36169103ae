"""Fees counted on the documents a declaration lists (certified copies)."""

import pytest
from django.core.exceptions import ValidationError

from congso.catalog.fees import declared_items, declares_fee_items, fee_for_items

PER_PAGE = {
    "kind": "per_page",
    "tiers": [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}],
    "max_per_copy": 200000,
}
SCHEMA = {
    "type": "object",
    "properties": {
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "pages": {"type": "integer"},
                    "copies": {"type": "integer"},
                },
            },
        }
    },
}


def test_a_table_with_pages_and_copies_declares_the_fee_items():
    assert declares_fee_items(SCHEMA)
    assert not declares_fee_items({"type": "object", "properties": {"n": {"type": "string"}}})


def test_items_are_read_from_the_lines_with_both_figures():
    answers = {"documents": [{"pages": 12, "copies": 3}, {"pages": "x", "copies": 1}, "junk"]}
    assert declared_items(SCHEMA, answers) == [(12, 3)]


def test_twelve_pages_three_copies_is_42000():
    # pages 1-2 at 2.000 đ, pages 3-12 at 1.000 đ: 14.000 đ a copy, three copies
    assert fee_for_items(PER_PAGE, [(12, 3)]) == 42000


def test_each_document_is_priced_on_its_own_pages():
    assert fee_for_items(PER_PAGE, [(1, 1), (3, 2)]) == 2000 + 2 * 5000


def test_a_fixed_fee_is_owed_once_whatever_the_number_of_documents():
    assert fee_for_items({"kind": "fixed", "amount": 10000}, [(1, 1), (5, 2)]) == 10000


def test_an_exemption_decided_by_an_official_makes_it_zero():
    assert fee_for_items(PER_PAGE, [(12, 3)], exempt=True) == 0


def test_no_line_is_refused_in_vietnamese():
    with pytest.raises(ValidationError, match="ít nhất một giấy tờ"):
        fee_for_items(PER_PAGE, [])
