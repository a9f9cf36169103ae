from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "congso.signing"
    label = "signing"
    verbose_name = "Chữ ký số"

    def ready(self):
        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant
        from congso.core import figures as dashboard

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            figures,
        )
        from .signers.registry import load_contrib

        load_contrib()

        grant(Role.SYSTEM_ADMIN, "signing.manage", "signing.manage_trust", "signing.manage_seals")
        grant(Role.UNIT_ADMIN, "signing.manage")
        admin = _("Quản trị")
        workspace.register(
            admin, "signing.manage", _("Chứng thư số và khoá ký"), "signing:certificates"
        )
        workspace.register(
            admin, "signing.manage_trust", _("Chứng thư gốc tin cậy"), "signing:roots"
        )
        dashboard.provide("signing", figures.figures)
