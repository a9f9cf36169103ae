"""Number and notation rules (Decree 30 appendix I) and the gap-free counter per issuer, year and
series."""

import pytest
from django.db import transaction

from congso.documents import numbering


@pytest.mark.parametrize(
    ("number", "doc_type", "issuer", "drafting", "expected"),
    [
        (12, "QĐ", "UBND", "VP", "12/QĐ-UBND"),
        (3, "QĐ", "UBND", "", "03/QĐ-UBND"),
        (123, "CV", "UBND", "VP", "123/UBND-VP"),
        (7, "CV", "UBND", "", "07/UBND"),
        (45, "TB", "", "", "45/TB-UBND"),
        (1, "KH", "UBND", "TP", "01/KH-UBND"),
    ],
)
def test_notation(number, doc_type, issuer, drafting, expected):
    assert numbering.notation(number, doc_type, issuer, drafting) == expected


@pytest.mark.django_db
def test_series_are_separate_per_issuer_year_and_type():
    with transaction.atomic():
        assert [numbering.next_outgoing(1, 2026, "QĐ") for _ in range(3)] == [1, 2, 3]
        assert numbering.next_outgoing(1, 2026, "CV") == 1
        assert numbering.next_outgoing(2, 2026, "QĐ") == 1
        assert numbering.next_outgoing(1, 2027, "QĐ") == 1
        assert numbering.next_arrival(1, 2026) == 1
        assert numbering.next_arrival(1, 2026) == 2


@pytest.mark.django_db
def test_a_rolled_back_issue_gives_its_number_back():
    try:
        with transaction.atomic():
            numbering.next_outgoing(1, 2026, "QĐ")
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        assert numbering.next_outgoing(1, 2026, "QĐ") == 1
