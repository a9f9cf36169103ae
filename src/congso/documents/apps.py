from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "congso.documents"
    label = "documents"
    verbose_name = "Văn bản điện tử"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant, signs
        from congso.api.partners import PARTNER_ROLE
        from congso.core import exports
        from congso.core import figures as core_figures
        from congso.notify import channels as mail_channels

        from . import (
            exchange,  # noqa: F401 - registers the exchange transports
            figures,
            registers,
        )
        from .exchange.registry import registry as transports
        from .lifecycle import APPROVE, ASSIGN, DRAFT, HANDLE, ISSUE, REGISTER, SIGN, VIEW
        from .mailbox import MANAGE as MANAGE_MAILBOX
        from .mailbox import dispatch_sender

        grant(Role.SPECIALIST, VIEW, DRAFT, HANDLE)
        grant(Role.LEADER, VIEW, DRAFT, APPROVE, SIGN, ASSIGN, HANDLE)
        grant(Role.DEPUTY_LEADER, VIEW, DRAFT, APPROVE, SIGN, ASSIGN, HANDLE)
        # the office's clerk drafts too (Decree 30/2020 art. 10: the head assigns drafting to
        # any official; at a commune the office clerk prepares most outgoing letters)
        grant(Role.CLERK, VIEW, DRAFT, ISSUE, REGISTER, HANDLE)
        grant(Role.SYSTEM_ADMIN, VIEW, MANAGE_MAILBOX)
        grant(Role.UNIT_ADMIN, MANAGE_MAILBOX)
        grant(PARTNER_ROLE, VIEW, REGISTER)  # partners file incoming documents (documents.api)
        mail_channels.provide_sender("documents.dispatched", dispatch_sender)
        signs(SIGN, ISSUE)  # a personal signature; the seal at issue
        core_figures.provide("documents", figures.provide)
        exports.register("documents.register_pdf", registers.build_pdf)
        exports.register("documents.register_xlsx", registers.build_xlsx)
        from congso.org import signals as org_signals

        from . import services

        org_signals.unit_retiring.connect(
            services.refuse_retirement_with_later_activity, dispatch_uid="documents-retiring"
        )
        org_signals.unit_merged.connect(services.move_to_successor, dispatch_uid="documents-merged")
        _register_transport_check(transports)
        section = _("Văn bản điện tử")
        workspace.register(section, VIEW, _("Văn bản đi, văn bản đến"), "documents:list")
        workspace.register(section, DRAFT, _("Soạn văn bản đi"), "documents:create")
        workspace.register(section, REGISTER, _("Vào sổ văn bản đến"), "documents:register")
        workspace.register(section, VIEW, _("Sổ đăng ký văn bản"), "documents:registers")
        workspace.register(section, VIEW, _("Hồ sơ công việc"), "documents:work_files")

        from congso.core import awaiting as inbox

        from . import awaiting

        inbox.provide("documents", awaiting.awaiting)  # what waits for an official


def _register_transport_check(transports):
    """An unknown ``CONGSO_EXCHANGE_TRANSPORT`` fails the checks (congso.E010), not a send."""
    from django.conf import settings
    from django.core.checks import register

    @register()
    def exchange_transport_is_registered(app_configs, **kwargs):
        identifier = settings.CONGSO_EXCHANGE_TRANSPORT
        if not identifier:
            return []
        return transports.check_setting("CONGSO_EXCHANGE_TRANSPORT", identifier)
