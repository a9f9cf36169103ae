"""Search on whichever database the run uses (SQLite by default, PostgreSQL with DATABASE_URL):
the same examples, ranking and typo tolerance must hold on both."""

import pytest
from django.db import connection

from congso.catalog import search, services
from congso.catalog.tests.factories import ProcedureFactory, SectorFactory, version_content

pytestmark = pytest.mark.django_db

CERTIFICATION = {"2.000815", "2.000884", "2.000942", "2.001008"}


def codes(query, filters=None, **options):
    return [p.code for p in search.search(query, filters, **options)]


@pytest.mark.parametrize(
    "query",
    ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "  đăng   ký khai sinh "],
)
def test_birth_registration_first_with_or_without_diacritics(catalog_data, query):
    assert codes(query)[0] == "1.001193"


def test_certification_finds_the_certification_procedures_first(catalog_data):
    found = codes("chứng thực")
    assert set(found[:4]) == CERTIFICATION
    assert set(codes("chung thuc")[:4]) == CERTIFICATION


@pytest.mark.parametrize("query", ["khai snh", "dang ky khai snh", "đăng kí khai sinh"])
def test_typos_still_find_birth_registration(catalog_data, query):
    assert codes(query)[0] == "1.001193"


def test_typo_only_query_finds_candidates(catalog_data):
    assert "1.001612" in codes("kinh doanhh")[:5]


def test_code_search(catalog_data):
    assert codes("1.001612")[0] == "1.001612"
    assert set(codes("2.0008")[:3]) == {"2.000806", "2.000815", "2.000884"}


def test_name_match_beats_code_match_beats_other_text():
    sector = SectorFactory(name="Lĩnh vực chung")
    in_name = ProcedureFactory(code="3.000001", name="Cấp giấy mẫu 7.77", sector=sector)
    in_code = ProcedureFactory(code="7.770001", name="Cấp giấy khác", sector=sector)
    in_text = ProcedureFactory(
        code="3.000002",
        name="Xác nhận khác",
        sector=sector,
        version=version_content(result="Văn bản theo mẫu 7.77"),
    )
    assert codes("7.77") == [in_name.code, in_code.code, in_text.code]


def test_all_tokens_present_rank_above_some():
    sector = SectorFactory(name="Việc làm")
    some = ProcedureFactory(name="Cấp giấy phép xây dựng nhà ở", sector=sector)
    every = ProcedureFactory(
        name="Xác nhận hợp đồng lao động",
        sector=sector,
        version=version_content(documents=[{"name": "Bản sao giấy phép kinh doanh"}]),
    )
    assert codes("giay phep lao dong") == [every.code, some.code]


def test_shorter_name_wins_a_tie():
    long = ProcedureFactory(name="Đăng ký khai sinh có yếu tố nước ngoài ở khu vực biên giới")
    short = ProcedureFactory(name="Đăng ký khai sinh")
    assert codes("dang ky khai sinh") == [short.code, long.code]


def test_results_carry_a_score_and_are_sorted(catalog_data):
    results = list(search.search("ho kinh doanh"))
    scores = [p.score for p in results]
    assert scores == sorted(scores, reverse=True)
    assert all(hasattr(p, "sector") for p in results)


def test_filters_and_empty_query(catalog_data):
    everything = codes("")
    assert len(everything) == 26
    assert set(codes("", {"sector": "CT"})) == CERTIFICATION
    assert set(codes("", {"sector": "CT", "level": "district"})) == {"2.001008"}
    assert set(codes("chứng thực", {"online_mode": "information"})) == {"2.000884", "2.001008"}
    assert codes("khai sinh", {"sector": "HKD"}) == []


def test_inactive_procedures_are_hidden_unless_asked(catalog_data):
    procedure = services.search("1.001193")[0]
    services.update_procedure(procedure, is_active=False)
    assert "1.001193" not in codes("dang ky khai sinh")
    assert codes("dang ky khai sinh", include_inactive=True)[0] == "1.001193"


def test_no_match_is_empty(catalog_data):
    assert codes("zzzz qqqq") == []


def test_results_paginate(catalog_data):
    from django.core.paginator import Paginator

    results = search.search("dang ky")
    page = Paginator(results, 5).get_page(2)
    assert page.paginator.count == len(results) > 5
    assert [p.code for p in page] == [p.code for p in list(results)[5:10]]


@pytest.mark.postgres
def test_postgresql_uses_the_trigram_index(require_postgres, catalog_data):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_procedure_search_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        queryset = search.search("khai sinh")
        sql, params = queryset.query.sql_with_params()
        # a 26-row table is read whole; forbid that to see which index the search can use
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalog_procedure_search_trgm" in plan
