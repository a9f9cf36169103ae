"""The dashboard's pre-aggregation: one row of one-stop facts per (day, receiving unit,
procedure), and the days a change has made stale. Filled only by ``store``; the dashboard reads
these rows, never the dossiers (``congso.onestop.facts`` defines what each column counts)."""

from django.db import models


class FactColumns(models.Model):
    """One column per figure key of ``congso.onestop.facts.KEYS``."""

    day = models.DateField()
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_desk = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    received_fully_online = models.PositiveIntegerField(default=0)
    received_acknowledged = models.PositiveIntegerField(default=0)
    fee_dossiers = models.PositiveIntegerField(default=0)
    dossiers_digitised = models.PositiveIntegerField(default=0)
    dossiers_reused = models.PositiveIntegerField(default=0)
    results_electronic = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    finished_early = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    finished_late = models.PositiveIntegerField(default=0)
    finished_refused = models.PositiveIntegerField(default=0)
    finished_withdrawn = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    supplements = models.PositiveIntegerField(default=0)
    apologised = models.PositiveIntegerField(default=0)
    documents = models.PositiveIntegerField(default=0)
    documents_digitised = models.PositiveIntegerField(default=0)
    documents_reused = models.PositiveIntegerField(default=0)
    open_within_time = models.PositiveIntegerField(default=0)
    open_overdue = models.PositiveIntegerField(default=0)
    open_waiting = models.PositiveIntegerField(default=0)
    open_waiting_late = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyFact(FactColumns):
    """Per (day, receiving unit, procedure): the drill-down by procedure reads these."""

    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "procedure"], name="daily_fact_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["day", "unit"]), models.Index(fields=["unit", "day"])]

    def __str__(self):
        return f"{self.day} · {self.unit_id} · {self.procedure_id}"


class UnitDayFact(FactColumns):
    """The same per (day, receiving unit), all procedures summed: what the overview, the units
    below, the ranking and the trend read (a procedure-count times fewer rows)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "unit"], name="unit_day_fact_once_per_key")
        ]
        indexes = [models.Index(fields=["unit", "day"])]

    def __str__(self):
        return f"{self.day} · {self.unit_id}"


class StaleDay(models.Model):
    """A (day, unit) whose facts a dossier change has made wrong; the next refresh redoes it."""

    day = models.DateField()
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "unit"], name="stale_day_once_per_unit")
        ]
