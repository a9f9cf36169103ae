"""The ``skills`` figures for the dashboard (keys in docs/digital-skills-and-ict.md)."""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Sum

from .models import AdultPopulation, Completion, Session, Topic

TOPIC_KEYS = {
    Topic.INTERNET: "people_trained_internet",
    Topic.EMAIL: "people_trained_email",
    Topic.SHOPPING: "people_trained_shopping",
    Topic.PAYMENT: "people_trained_payment",
    Topic.PUBLIC_SERVICES: "people_trained_public_services",
    Topic.DATA_SAFETY: "people_trained_data_safety",
}


def adult_population(unit_ids: Sequence[int], year: int) -> dict[int, int]:
    """Each unit's latest reported adult population up to ``year`` (units without a figure are
    left out: a missing statistic is not a population of zero)."""
    latest: dict[int, int] = {}
    rows = AdultPopulation.objects.filter(unit_id__in=unit_ids, year__lte=year)
    for unit_id, count in rows.order_by("unit_id", "-year").values_list("unit_id", "count"):
        latest.setdefault(unit_id, count)
    return latest


def trained_by_topic(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        Session.objects.filter(unit_id__in=unit_ids, date__range=(start, end))
        .values_list("topic")
        .annotate(Sum("attendance"))
    )
    return {topic: total for topic, total in rows}


def provide(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    by_topic = trained_by_topic(unit_ids, start, end)
    sessions = Session.objects.filter(unit_id__in=unit_ids, date__range=(start, end))
    completions = Completion.objects.filter(
        unit_id__in=unit_ids, completed_at__date__range=(start, end)
    ).aggregate(n=Count("pk"))["n"]
    figures = {key: by_topic.get(topic, 0) for topic, key in TOPIC_KEYS.items()}
    return {
        "people_trained": sum(by_topic.values()),
        **figures,
        "adult_population": sum(adult_population(unit_ids, end.year).values()),
        "lessons_completed": completions,
        "sessions": sessions.count(),
    }
