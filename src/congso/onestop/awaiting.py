"""Dossiers waiting for an official, for the inbox (``core.awaiting``): the actionable queues."""

from congso.core.awaiting import Batch

from . import queues, results
from .items import item

#: The queues whose dossiers need this official's action (the deadline views repeat them).
ACTIONABLE = ("to_receive", "to_hand_over", "to_process", "to_approve", "supplement", "to_return")


def awaiting(user, limit: int) -> Batch:
    batch = Batch()
    for key in ACTIONABLE:
        dossiers = queues.queue(user, key)
        batch.count += dossiers.count()
        if not limit:
            continue
        label = str(queues.BY_KEY[key].label)
        for dossier in dossiers.select_related("procedure")[:limit]:
            batch.items.append(item(dossier, label))
    waiting = results.awaiting_signature(user)
    batch.count += waiting.count()
    for result in waiting[:limit] if limit else []:
        batch.items.append(item(result.dossier, results.AWAITING_KIND))
    return batch
