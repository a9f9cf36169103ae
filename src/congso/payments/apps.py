from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "congso.payments"
    label = "payments"
    verbose_name = "Thanh toán trực tuyến"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant
        from congso.core import awaiting as inbox
        from congso.core import figures as core_figures
        from congso.onestop import sync

        from . import (
            awaiting,
            checks,  # noqa: F401 - registers the deploy check
            figures,
            services,
        )

        view, reconcile, refund = "payments.view", "payments.reconcile", "payments.refund"
        grant(Role.DESK_OFFICER, view, reconcile, refund)
        grant(Role.LEADER, view, reconcile, refund)
        grant(Role.DEPUTY_LEADER, view, reconcile, refund)
        grant(Role.SPECIALIST, view)
        grant(Role.DESK_OFFICER, "payments.collect")  # cash taken at the desk
        grant(Role.SYSTEM_ADMIN, view, reconcile)
        workspace.register(
            _("Thanh toán trực tuyến"), reconcile, _("Đối soát thanh toán"), "payments:reconcile"
        )
        core_figures.provide("payments", figures.provide)
        inbox.provide("payments", awaiting.awaiting)  # refunds to pay back by transfer
        sync.register_payments(services.portal_payment_codes, services.dossiers_paid_between)
