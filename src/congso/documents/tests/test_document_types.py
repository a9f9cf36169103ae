"""Decree 30/2020, appendix III: 29 types of administrative documents, each with its notation
abbreviation; Đ and D differ (ĐA is a scheme, DA a project), and công văn and thư công carry none."""

from congso.documents import numbering
from congso.documents.models import DocumentType


def test_the_29_types_with_their_abbreviations():
    assert len(DocumentType.choices) == 29
    assert len(set(DocumentType.values)) == 29
    labels = dict(DocumentType.choices)
    assert labels["ĐA"] == "Đề án" and labels["DA"] == "Dự án"
    assert labels["QĐ"] == "Quyết định" and labels["CĐ"] == "Công điện"
    for value in ("TC", "BGN", "BTT", "GNP", "PG", "PC", "PB", "THC"):
        assert value in labels


def test_notations_keep_d_and_dj_apart_and_letters_have_no_type():
    assert numbering.notation(3, "ĐA", "UBND") == "03/ĐA-UBND"
    assert numbering.notation(3, "DA", "UBND") == "03/DA-UBND"
    assert numbering.notation(12, "CĐ", "UBND") == "12/CĐ-UBND"
    assert numbering.notation(5, "THC", "UBND", "VP") == "05/UBND-VP"
