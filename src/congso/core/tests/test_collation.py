"""Vietnamese alphabetical order (issue 17: communes sorted "Nghi Long" before "Nghi Lâm")."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congso.core.collation import by_vietnamese, sort_key
from congso.org.models import Unit
from congso.org.tests.factories import UnitFactory

EXPECTED = ["Ánh", "Bình", "Dương", "Đông", "Em", "mà", "mả", "mã", "má", "mạ", "Nghi Lâm",
            "Nghi Long", "Nghi Lộc", "Nghi Lợi", "Ư", "Yên"]  # fmt: skip


def test_python_key_follows_the_alphabet_then_tones():
    shuffled = list(reversed(EXPECTED))
    assert sorted(shuffled, key=sort_key) == EXPECTED
    assert sorted(["Nghi Long", "Nghi Lâm"]) == ["Nghi Long", "Nghi Lâm"]  # byte order is wrong


def test_d_with_stroke_is_its_own_letter_after_d():
    assert sort_key("Dz") < sort_key("Đa") < sort_key("Ea")


def test_case_is_compared_after_tones():
    assert sorted(["mà", "MA", "ma", "Ma"], key=sort_key) == ["ma", "Ma", "MA", "mà"]


@pytest.mark.django_db
def test_database_orders_the_same_way():
    for name in reversed(EXPECTED):
        UnitFactory(name=name)
    names = Unit.objects.filter(name__in=EXPECTED).order_by(by_vietnamese("name"))
    assert list(names.values_list("name", flat=True)) == EXPECTED
    descending = Unit.objects.filter(name__in=EXPECTED).order_by(by_vietnamese("name", True))
    assert list(descending.values_list("name", flat=True)) == EXPECTED[::-1]


_VIETNAMESE = st.text(alphabet="aăâdđeêoôơuưy ÀÁẢÃẠàáảãạĐNghLâmlong", max_size=8)


@pytest.mark.django_db
@given(st.lists(_VIETNAMESE, min_size=2, max_size=6, unique=True))
def test_database_and_python_agree_on_any_names(names):
    from django.db import connection

    with connection.cursor() as cursor:
        values = " UNION ALL ".join(["SELECT %s AS n"] * len(names))
        cursor.execute(f'SELECT n FROM ({values}) AS t ORDER BY n COLLATE "vi-x-icu"', names)
        ordered = [row[0] for row in cursor.fetchall()]
    assert [sort_key(n) for n in ordered] == sorted(sort_key(n) for n in names)
