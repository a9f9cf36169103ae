"""The signers by identifier, and which one a certificate uses (its owner's choice, as data)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.core.plugins import Registry, UnknownPlugin

from .base import Signer

registry: Registry[type[Signer]] = Registry("signer")

DESK_TOKEN, REMOTE, SERVER_KEY = "desk_token", "remote", "server_key"


def method_for(certificate) -> str:
    """The certificate's chosen way to sign; without a choice, ``server_key`` for an
    organisation whose key the server (HSM) holds, ``desk_token`` for a person."""
    if certificate.signing_method:
        return certificate.signing_method
    if certificate.owner_unit_id:
        return SERVER_KEY
    return DESK_TOKEN


def signer_for(certificate) -> Signer:
    """The signer plugin of ``certificate``, refused (in Vietnamese) when it may not be used."""
    identifier = method_for(certificate)
    try:
        plugin = registry.get(identifier)
    except UnknownPlugin as exc:
        raise ValidationError(
            _("Cách ký “%(method)s” không được hỗ trợ.") % {"method": identifier},
            code="unknown_method",
        ) from exc
    if certificate.owner_user_id and not plugin.for_person:
        raise ValidationError(
            _("Chữ ký số cá nhân không được tạo bằng khoá trên máy chủ."), code="not_for_person"
        )
    if certificate.owner_unit_id and not plugin.for_organisation:
        raise ValidationError(
            _("Cách ký này không dùng cho chữ ký số của cơ quan."), code="not_for_organisation"
        )
    return plugin.from_settings()


def load_contrib() -> None:
    """Import the bundled signers so that they register (called from ``AppConfig.ready``)."""
    from .contrib import desk_token, remote, server_key  # noqa: F401
