"""``capped_counts`` gives each queryset's ``capped_count`` in one query, an impossible condition
counting 0, a count past the cap stopping at ``cap + 1``."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.accounts.models import User
from congso.core.pagination import capped_count, capped_counts


def test_each_count_as_capped_count_in_one_query(db):
    for number in range(7):
        User.objects.create_user(f"u{number}", password="x", is_staff=number % 2 == 0)
    querysets = [
        User.objects.filter(is_staff=True),
        User.objects.filter(username__in=[]),  # nothing can match: no SQL for it
        User.objects.order_by("-username"),
        User.objects.filter(username__startswith="u").exclude(username="u3"),
    ]
    expected = [capped_count(queryset, cap=5) for queryset in querysets]
    with CaptureQueriesContext(connection) as captured:
        counts = capped_counts(querysets, cap=5)
    assert counts == expected == [4, 0, 6, 6]  # 7 users: the cap of 5 reads 6
    assert len(captured) == 1
    assert capped_counts([]) == []
