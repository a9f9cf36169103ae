"""What other apps may listen to. Sent once the change is committed, so a listener never sees a
transition that was rolled back (the portal files results into the data store, the dashboard
marks a day's facts stale)."""

from django.dispatch import Signal

#: Sent with ``dossier`` (the committed Dossier), ``transition`` (a lifecycle name, or
#: ``"receive"`` / ``"file"`` for a new dossier) and ``to_state``.
dossier_changed = Signal()

#: Sent with ``dossier`` when the national portal answered a pushed revision (accepted or
#: refused): what criterion 1.4 counts for the dossier's receipt day changed.
portal_answered = Signal()
