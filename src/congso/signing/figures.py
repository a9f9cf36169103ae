"""The ``signing`` figures for the digital-transformation dashboard (``congso.core.figures``).

A state on the last day of the period (``end``), for the units ``unit_ids`` (a unit and its
subtree):

* ``officials`` — officials (user kind *official*) holding a position in force at one of the
  units; ``officials_with_certificate`` — of those, the ones with a personal certificate valid
  that day (begun, not expired, not revoked);
* ``units`` — people's committees (localities: province, district, commune, township, ward) in
  force among the units; ``units_with_certificate`` — of those, the ones with an organisation
  (seal) certificate valid that day.

``start`` is not used: having a certificate is a state, not a flow.
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q

from congso.accounts import services as accounts
from congso.core.periods import local_midnight
from congso.org import services as org

from .models import Certificate, CertificateKind


def _valid_on(day: dt.date) -> Q:
    """Certificates in force at some moment of ``day`` (Vietnam time) and not revoked by then."""
    begin = local_midnight(day)
    after = begin + dt.timedelta(days=1)
    return (
        Q(not_before__lt=after)
        & Q(not_after__gte=begin)
        & (Q(revoked_at__isnull=True) | Q(revoked_at__gte=after))
    )


def figures(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[str, int]:
    ids = list(unit_ids)
    official_ids = set(
        accounts.officials_in_post(end, unit_id__in=ids).values_list("user_id", flat=True)
    )
    valid = Certificate.objects.filter(_valid_on(end))
    with_personal = set(
        valid.filter(kind=CertificateKind.PERSONAL, owner_user_id__in=official_ids).values_list(
            "owner_user_id", flat=True
        )
    )
    localities = set(
        org.units().filter(pk__in=ids).localities().active(end).values_list("pk", flat=True)
    )
    with_seal = set(
        valid.filter(kind=CertificateKind.ORGANISATION, owner_unit_id__in=localities).values_list(
            "owner_unit_id", flat=True
        )
    )
    return {
        "officials": len(official_ids),
        "officials_with_certificate": len(with_personal),
        "units": len(localities),
        "units_with_certificate": len(with_seal),
    }
