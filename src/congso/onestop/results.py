"""The result of a dossier: drafted from a template when the specialist attached none, and signed
with the organisation's signature of the deciding agency when the leader approves.

The draft file is never touched once stored: the signed copy is a separate ``SignedFile`` (signing
app) with its own SHA-256, so both the draft and the issued original can be checked later. A unit
without a usable organisation key leaves the result *unsigned* and says why.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.uploads import PDF, inert

from .models import Dossier, Result
from .printing import html_to_pdf, issuer, lead_unit, place_and_date


def template_names(dossier: Dossier) -> list[str]:
    """A template per kind of procedure (its sector code), falling back to the general one."""
    sector = dossier.procedure.sector
    names = [f"onestop/pdf/result_{sector.code.lower()}.html"] if sector else []
    return [*names, "onestop/pdf/result.html"]


def draft_pdf(dossier: Dossier, *, when=None) -> bytes:
    """The result drafted from the procedure's template (A4, Times New Roman metrics)."""
    unit = lead_unit(dossier)
    upper, lower = issuer(unit)
    context = {
        "title": dossier.version.result or dossier.procedure.name,
        "dossier": dossier,
        "issuer_upper": upper,
        "issuer_lower": lower,
        "place_date": place_and_date(unit, when or timezone.now()),
        "page": "A4",
        "unit": unit,
    }
    return html_to_pdf(select_template(template_names(dossier)).render(context))


def create_draft(dossier: Dossier, user, *, when=None) -> Result:
    """Register a result generated from the template (the caller holds the dossier's lock)."""
    data = draft_pdf(dossier, when=when)
    digest = hashlib.sha256(data).hexdigest()
    title = (dossier.version.result or dossier.procedure.name)[:300]
    result = Result(dossier=dossier, title=title, sha256=digest, created_by=user, generated=True)
    result.file.save(
        f"{dossier.code}-ket-qua.pdf", inert(data, "ket-qua.pdf", allowed=(PDF,)), save=False
    )
    result.save()
    audit.record(
        "onestop.result_generated",
        dossier,
        unit_id=dossier.current_unit_id,
        data={"sha256": digest, "title": title},
    )
    return result


def sign(result: Result, user) -> Result:
    """Sign the draft with the deciding agency's seal; store the signed copy beside it.

    A missing or unusable key (or a signing failure) keeps the result unsigned with the reason.
    """
    from congso.signing import services as signing

    dossier = result.dossier
    unit = lead_unit(dossier)
    key = signing.organisation_key(unit)
    if key is None:
        return _unsigned(result, _("%(unit)s chưa có chữ ký số của cơ quan.") % {"unit": unit})
    with result.file.open("rb") as handle:
        draft = handle.read()
    try:
        signed = signing.sign_pdf(
            draft,
            key=key,
            reason=_("Kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code},
            location=unit.short_name or unit.name,
            signer_user=user,
        )
    except ValidationError as exc:
        return _unsigned(result, "; ".join(exc.messages))
    result.signed_file = signing.store_signed_file(signed, name=f"{dossier.code}-ket-qua-da-ky.pdf")
    result.signed, result.unsigned_reason = True, ""
    result.save(update_fields=["signed_file", "signed", "unsigned_reason"])
    audit.record(
        "onestop.result_signed",
        dossier,
        unit_id=unit.pk,
        data={
            "draft_sha256": result.sha256,
            "signed_sha256": result.signed_file.sha256,
            "certificate": key.certificate.fingerprint,
        },
    )
    return result


def _unsigned(result: Result, reason: str) -> Result:
    result.signed, result.unsigned_reason = False, reason[:300]
    result.save(update_fields=["signed", "unsigned_reason"])
    audit.record(
        "onestop.result_unsigned",
        result.dossier,
        unit_id=result.dossier.current_unit_id,
        data={"reason": result.unsigned_reason},
    )
    return result


def issue(dossier: Dossier, user, *, when=None) -> Result:
    """On the final approval: the result (drafted if none was attached), then signed."""
    result = Result.objects.filter(dossier=dossier).first() or create_draft(
        dossier, user, when=when
    )
    return sign(result, user)
