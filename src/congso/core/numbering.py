"""Gap-free sequences. The caller's transaction holds the row lock until it commits, so two
concurrent callers get consecutive numbers and a rolled-back caller leaves no hole."""

from django.db import IntegrityError, transaction

from .models import Counter


def next_value(key: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value must run inside the transaction that uses the number")
    try:
        with transaction.atomic():
            Counter.objects.get_or_create(key=key)
    except IntegrityError:
        pass  # another transaction created it first; the row exists now
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
