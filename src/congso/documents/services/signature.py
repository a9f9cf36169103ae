"""The signer's personal signature, made by their own signer (desk token or remote service)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import lifecycle
from ..lifecycle import TransitionRefused
from ..models import Document, VersionKind
from .versions import _add_version


def _sign(document: Document, user, *, signed_pdf=None, **options):
    """The personal signature: ``signed_pdf`` made by the official's own signer (desk token or
    remote service, see ``start_signing``); the server never holds a person's key."""
    from congso.signing.services import store_signed_file

    if signed_pdf is None:
        raise ValidationError(
            _("Chữ ký cá nhân được tạo bằng token USB hoặc dịch vụ ký số từ xa của người ký."),
            code="own_signer_required",
        )
    signed = signed_pdf
    name = f"{document.pk}-ky-ca-nhan.pdf"
    stored = store_signed_file(signed, name=name)
    _add_version(
        document, signed, name=name, kind=VersionKind.PERSONAL_SIGNED, user=user, signed_file=stored
    )
    document.signer = user
    if not document.signer_position:
        position = user.positions.first()
        document.signer_position = position.title if position else ""
    return {"sha256": stored.sha256}


def signing_purpose(document: Document) -> str:
    """What a pending signature is for: this document's current version (a new version since
    the request was prepared makes the answer useless)."""
    return f"documents.sign:{document.pk}:{document.current_version().number}"


def start_signing(document: Document, *, actor):
    """Begin the official's personal signature with their own signer (token at the desk or the
    CA's remote service): the draft is prepared, the signer asked; nothing changes on the
    document until ``finish_signing``. Returns ``(pending, step)`` (``signing.services``)."""
    from congso.signing.services import personal_certificate, start_signature

    try:
        lifecycle.check("outgoing", document.state, "sign", user=actor, organ=document.unit)
    except TransitionRefused as exc:
        raise ValidationError(str(exc), code="refused") from exc
    certificate = personal_certificate(actor)
    if certificate is None:
        raise ValidationError(_("Bạn chưa có chứng thư số cá nhân để ký văn bản."), code="no_key")
    return start_signature(
        document.current_version().read(),
        actor=actor,
        certificate=certificate,
        reason=_("Người ký văn bản"),
        purpose=signing_purpose(document),
    )


def finish_signing(document: Document, pending, *, actor, signature: bytes | None = None):
    """Embed the signer's answer and record the signature (the ``sign`` transition); None while
    the official has not confirmed yet (``outcome`` says what it did)."""
    from congso.signing.services import collect_signature

    from .gate import transition  # the gate runs this module's ``_sign``: imported when used

    if pending.purpose != signing_purpose(document):
        raise ValidationError(_("Yêu cầu ký không thuộc văn bản này."), code="wrong_document")
    with transaction.atomic():
        signed = collect_signature(pending, actor=actor, signature=signature)
        if signed is None:
            return None
        return transition(document, "sign", actor=actor, signed_pdf=signed)
