"""Issue: the gap-free number, the organisation's seal signature and dispatch."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import numbering
from ..models import Document, VersionKind
from .sending import dispatch
from .versions import _add_version


def _issue(document: Document, user, *, now=None, **options):
    """Number, seal signature and dispatch, all in the caller's transaction: a failure (no seal
    key, a broken file) rolls the number back, so the register has no hole."""
    from congso.signing.services import level_for, organisation_key, sign_pdf, store_signed_file

    now = timezone.localtime(now or timezone.now())
    key = organisation_key(document.unit)
    if key is None:
        raise ValidationError(
            _(
                "%(organ)s chưa có chứng thư số của cơ quan còn hiệu lực (chưa cấp, hết hạn "
                "hoặc đã bị thu hồi); chưa thể phát hành."
            )
            % {"organ": document.unit},
            code="no_seal",
        )
    series = document.doc_type
    document.number = numbering.next_outgoing(document.unit_id, now.year, series)
    drafting = document.drafting_unit.symbol if document.drafting_unit else ""
    document.notation = numbering.notation(
        document.number, document.doc_type, document.unit.symbol, drafting
    )
    document.issued_on = now.date()
    personal = document.versions.filter(kind=VersionKind.PERSONAL_SIGNED).order_by("-number")
    sealed = sign_pdf(
        personal.first().read(),
        key=key,
        reason=_("Phát hành văn bản"),
        location=document.place,
        signer_user=user,
        layout="seal",
        notation=document.notation,
        fill=header_at_issue(document),
        level=level_for(document.unit),
    )
    name = f"{document.unit.symbol or 'UBND'}-{document.number:02d}-{now.year}.pdf"
    stored = store_signed_file(sealed, name=name)
    _add_version(
        document, sealed, name=name, kind=VersionKind.ISSUED, user=user, signed_file=stored
    )
    dispatch(document, sealed, actor=user, now=now)
    return {"number": document.number, "notation": document.notation, "sha256": stored.sha256}


def header_at_issue(document: Document) -> dict[str, str]:
    """What the clerk writes into the header at issue, before the organisation signs (Decree
    30, art. 15 and appendix I): the number and notation after ``Số:``, place and issue date."""
    from congso.signing.services import DATE_FIELD, NUMBER_FIELD

    from ..compose import place_and_date

    return {
        NUMBER_FIELD: _("Số: %(notation)s") % {"notation": document.notation},
        DATE_FIELD: place_and_date(document.place, document.issued_on),
    }
