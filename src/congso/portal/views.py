from django.db.models import Count, Q
from django.shortcuts import render

from congso.catalog.models import Sector
from congso.catalog.services import popular_procedures


def home(request):
    """The citizen's front door: search, the procedures most used, and the sectors."""
    sectors = (
        Sector.objects.annotate(count=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(count__gt=0)
        .order_by("name")
    )
    return render(
        request, "portal/home.html", {"popular": popular_procedures(), "sectors": sectors}
    )
