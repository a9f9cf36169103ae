"""Fee rules: pure computation (tiers, cap, copies, exemption), checks and wording."""

import pytest
from django.core.exceptions import ValidationError

from congso.catalog import services
from congso.catalog.fees import (
    describe_fee,
    fee_amount,
    format_tiers,
    parse_tiers,
    validate_fee_rule,
)
from congso.catalog.tests.factories import ProcedureFactory, version_content

CERTIFIED_COPY = {
    "kind": "per_page",
    "tiers": [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}],
    "max_per_copy": 200000,
}


@pytest.mark.parametrize(
    ("pages", "expected"),
    [(1, 2000), (2, 4000), (3, 5000), (5, 7000), (196, 198000), (197, 199000), (198, 200000)],
)
def test_certified_copy_tiers(pages, expected):
    assert fee_amount(CERTIFIED_COPY, pages=pages) == expected


def test_cap_applies_per_copy_then_copies_multiply():
    assert fee_amount(CERTIFIED_COPY, pages=300) == 200000
    assert fee_amount(CERTIFIED_COPY, pages=300, copies=3) == 600000
    assert fee_amount(CERTIFIED_COPY, pages=5, copies=2) == 14000


def test_three_tiers_without_cap():
    rule = {
        "kind": "per_page",
        "tiers": [
            {"from_page": 10, "amount": 100},
            {"from_page": 1, "amount": 500},
            {"from_page": 4, "amount": 300},
        ],
    }
    # pages 1-3 at 500, 4-9 at 300, 10-12 at 100 (tiers given out of order)
    assert fee_amount(rule, pages=12) == 3 * 500 + 6 * 300 + 3 * 100


def test_fixed_per_copy_free_and_exempt():
    assert fee_amount({"kind": "fixed", "amount": 10000}, copies=4) == 10000
    assert fee_amount({"kind": "per_copy", "amount": 8000}, copies=3) == 24000
    assert fee_amount({"kind": "free"}, copies=3) == 0
    assert fee_amount({}, copies=1) == 0
    assert fee_amount({"kind": "per_copy", "amount": 8000}, copies=3, exempt=True) == 0
    assert fee_amount(CERTIFIED_COPY, pages=50, exempt=True) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"copies": 0}, "Số bản"),
        ({"copies": 1, "pages": -1}, "Số trang"),
        ({"copies": 1, "pages": 0}, "cần cho biết số trang"),
    ],
)
def test_bad_quantities_are_refused_in_vietnamese(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        fee_amount(CERTIFIED_COPY, **kwargs)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("8000", "đối tượng JSON"),
        ({"kind": "weekly"}, "không hợp lệ"),
        ({"kind": "fixed"}, "số nguyên không âm"),
        ({"kind": "fixed", "amount": -5}, "số nguyên không âm"),
        ({"kind": "fixed", "amount": 1.5}, "số nguyên không âm"),
        ({"kind": "per_page", "tiers": []}, "ít nhất một bậc"),
        ({"kind": "per_page", "tiers": [{"from_page": 2, "amount": 1}]}, "bắt đầu từ trang 1"),
        (
            {
                "kind": "per_page",
                "tiers": [{"from_page": 1, "amount": 1}, {"from_page": 1, "amount": 2}],
            },
            "cùng một trang",
        ),
        ({"kind": "free", "colour": "red"}, "không hợp lệ: colour"),
        ({"kind": "free", "exemptions": "trẻ em"}, "danh sách"),
    ],
)
def test_invalid_rules(rule, message):
    with pytest.raises(ValidationError, match=message):
        validate_fee_rule(rule)


def test_descriptions_use_vietnamese_money_format():
    assert describe_fee({"kind": "per_copy", "amount": 8000}) == "8.000 đ/bản"
    assert describe_fee({"kind": "fixed", "amount": 100000}) == "100.000 đ/trường hợp"
    assert describe_fee({"kind": "free"}) == "Không thu phí, lệ phí"
    assert describe_fee(CERTIFIED_COPY) == (
        "2.000 đ/trang; từ trang thứ 3 trở lên: 1.000 đ/trang; tối đa 200.000 đ/bản"
    )
    assert describe_fee({"kind": "free", "note": "miễn"}) == "Không thu phí, lệ phí (miễn)"


def test_tier_text_round_trip():
    tiers = parse_tiers("1:2.000; 3:1000đ")
    assert tiers == CERTIFIED_COPY["tiers"]
    assert format_tiers(tiers) == "1:2000; 3:1000"
    with pytest.raises(ValidationError, match="trang:số tiền"):
        parse_tiers("1-2000")


@pytest.mark.django_db
def test_compute_fee_reads_the_channel_of_the_version():
    channels = {
        "desk": {"time_amount": 0, "time_unit": "same_day", "fee": CERTIFIED_COPY},
        "online": {"time_amount": 0, "time_unit": "same_day", "fee": {"kind": "free"}},
    }
    procedure = ProcedureFactory(version=version_content(channels=channels))
    version = services.version_in_force(procedure)
    assert services.compute_fee(version, "desk", copies=2, pages=5) == 14000
    assert services.compute_fee(version, "online", copies=2, pages=5) == 0
    with pytest.raises(version.channels.model.DoesNotExist):
        services.compute_fee(version, "post")
