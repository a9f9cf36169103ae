"""B-LTA archives kept alive: before the certificate of a file's last document time-stamp expires,
add the validation data of everything in the file and a new document time-stamp (ETSI EN 319
142-1, PAdES-LTA: each time-stamp protects the ones before it, so the file stays verifiable
after the earlier TSA certificates and algorithms have expired).

The original is never rewritten: the renewed file is a new ``SignedFile`` (an incremental update,
the old bytes are its prefix) pointing back at the one it renews.
"""

import datetime as dt
import io

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

from congso.core import audit

from .engine import default_timestamper, make_validation_context
from .models import SignatureLevel, SignedFile


def last_timestamp_expiry(data: bytes) -> dt.datetime | None:
    """When the certificate of the file's last document time-stamp expires (None: no stamp)."""
    stamps = PdfFileReader(io.BytesIO(data), strict=False).embedded_timestamp_signatures
    if not stamps:
        return None
    return stamps[-1].signer_cert["tbs_certificate"]["validity"]["not_after"].native


def retimestamp(data: bytes, *, timestamper=None) -> bytes:
    """``data`` plus the validation data and a new document time-stamp."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    output = io.BytesIO()
    PdfTimeStamper(timestamper or default_timestamper()).update_archival_timestamp_chain(
        reader, make_validation_context(for_signing=False), in_place=False, output=output
    )
    return output.getvalue()


def due(now=None):
    """Latest B-LTA files whose last time-stamp certificate expires within the renewal margin."""
    now = now or timezone.now()
    limit = now + dt.timedelta(days=settings.CONGSO_RETIMESTAMP_MARGIN_DAYS)
    files = SignedFile.objects.filter(
        signatures__level=SignatureLevel.B_LTA, renewals__isnull=True
    ).distinct()
    for signed_file in files.iterator():
        with signed_file.file.open("rb") as handle:
            data = handle.read()
        expiry = last_timestamp_expiry(data)
        if expiry is not None and expiry <= limit:
            yield signed_file, data


def renew_archives(*, now=None, timestamper=None) -> int:
    """Re-time-stamp every due archive; returns how many were renewed."""
    from .services import store_signed_file

    renewed = 0
    for signed_file, data in list(due(now)):
        fresh = retimestamp(data, timestamper=timestamper)
        with transaction.atomic():
            stored = store_signed_file(fresh, name=signed_file.name)
            stored.renews = signed_file
            stored.save(update_fields=["renews"])
            audit.record(
                "signing.archive_retimestamped",
                stored,
                data={"from": signed_file.sha256, "to": stored.sha256},
            )
        renewed += 1
    return renewed
