"""The national public-service portal's single sign-on (VNeID through the portal): OpenID
Connect answering in the portal's claim names (``SoDinhDanh``, ``HoVaTen``,
``NgayThangNamSinh``, ``GioiTinh``, ``LoaiTaiKhoan``) with the level of assurance in ``acr``."""

from django.utils.translation import gettext_lazy as _

from congso.accounts.identity_providers.contrib.oidc.plugin import OidcProvider

from ...registry import registry


@registry.register("vneid_portal")
class PortalSsoProvider(OidcProvider):
    verbose_name = _("Đăng nhập một lần của Cổng Dịch vụ công quốc gia (VNeID)")
    claim_dialect = "portal"
