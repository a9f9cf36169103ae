"""Reorganisation hooks. ``org`` is below the apps that keep rows at units (one-stop dossiers,
documents, meetings, queues), so it cannot call them: each registers its own receivers in its
``AppConfig.ready`` and moves or checks its own rows through its services.

Both are sent with ``send`` (not ``send_robust``) inside ``retire_unit``'s transaction: a
receiver's ``ValidationError`` refuses the whole retirement and nothing changes.
"""

from django.dispatch import Signal

#: Before a unit is retired (kwargs ``unit``, ``successor``, ``on``): a receiver raises a
#: ``ValidationError`` (Vietnamese) when the unit has activity after ``on``.
unit_retiring = Signal()

#: After a unit is retired with a successor (kwargs ``unit``, ``successor``, ``on``): each app
#: moves its open rows to the successor, keeping history and codes unchanged.
unit_merged = Signal()
