"""Another area attaches a registered document by its number: the issued, seal-signed file, and
only for someone who may see the document."""

import pytest

from congso.documents import services

pytestmark = pytest.mark.django_db


def test_an_issued_document_is_found_by_its_number_as_its_sealed_file(issued, people):
    document = issued()
    subject, name, data = services.registered_file(people["clerk"], document.notation.lower())
    assert subject == document.subject and name.endswith(".pdf")
    assert data == document.current_version().read()


def test_someone_who_may_not_see_it_finds_nothing(issued, people):
    document = issued()
    assert services.registered_file(people["clerk_b"], document.notation) is None


def test_an_unknown_or_empty_number_finds_nothing(people):
    assert services.registered_file(people["clerk"], "999/QĐ-UBND") is None
    assert services.registered_file(people["clerk"], "  ") is None
