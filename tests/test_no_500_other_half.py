"""The junk walk of ``test_no_500`` over the URL patterns that module leaves to this one
(``OTHER_HALF``), so that two test workers share the walk."""

import pytest

from tests.test_no_500 import OTHER_HALF, VISITORS, demo_people, walk_with_junk

pytestmark = pytest.mark.slow

__all__ = ["demo_people"]  # this module's own demo district (a module-scoped fixture)


@pytest.mark.parametrize("visitor", list(VISITORS))
@pytest.mark.parametrize("endpoint", OTHER_HALF, ids=[e.name or e.route for e in OTHER_HALF])
def test_no_server_error(endpoint, visitor, demo_people, db):
    walk_with_junk(endpoint, visitor, demo_people)
