"""Payment orders of dossier fees and the refunds recorded against them.

One ``Payment`` is one order sent to the gateway (its ``ref`` is the gateway's ``vnp_TxnRef``);
a dossier may have several when earlier attempts failed or were cancelled. Only the gateway's
server-to-server notification (IPN) settles an order; the browser's return is never trusted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .lifecycle import PaymentState


class Payment(models.Model):
    ref = models.CharField(_("mã giao dịch"), max_length=34, unique=True)
    dossier = models.ForeignKey(
        "onestop.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị thu"), on_delete=models.PROTECT, related_name="+"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thanh toán"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    amount = models.PositiveBigIntegerField(_("số tiền"))
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=PaymentState.choices,
        default=PaymentState.PENDING,
        db_index=True,
    )
    provider = models.CharField(_("cổng thanh toán"), max_length=20)
    client_ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    settled_at = models.DateTimeField(_("thời điểm cổng xác nhận"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=4, blank=True)
    transaction_status = models.CharField(_("tình trạng giao dịch"), max_length=4, blank=True)
    transaction_no = models.CharField(_("mã giao dịch tại cổng"), max_length=20, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=20, blank=True)
    refunded_amount = models.PositiveBigIntegerField(_("đã hoàn"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        indexes = [models.Index(fields=["unit", "created_at"])]
        constraints = [
            # one order, one charge: at most one open order per dossier
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(state=PaymentState.PENDING),
                name="payments_one_pending_order_per_dossier",
            )
        ]

    def __str__(self):
        return self.ref


class RefundStatus(models.TextChoices):
    RECORDED = "recorded", _("Ghi nhận (trước khi hoàn qua cổng)")
    REQUESTED = "requested", _("Đã ghi nhận, chờ cổng thanh toán hoàn")
    DONE = "done", _("Cổng thanh toán đã nhận yêu cầu hoàn")
    REFUSED = "refused", _("Cổng thanh toán từ chối, kế toán hoàn bằng chuyển khoản")
    TRANSFERRED = "transferred", _("Kế toán đã hoàn bằng chuyển khoản")


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("số tiền hoàn"))
    reason = models.TextField(_("lý do hoàn tiền"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"))
    # the gateway's refund API (issue 20): its answer is kept as evidence
    status = models.CharField(
        _("tình trạng hoàn"),
        max_length=12,
        choices=RefundStatus.choices,
        default=RefundStatus.RECORDED,
    )
    gateway_code = models.CharField(_("mã phản hồi của cổng"), max_length=4, blank=True)
    gateway_message = models.CharField(_("thông báo của cổng"), max_length=255, blank=True)
    gateway_transaction_no = models.CharField(
        _("mã giao dịch hoàn tại cổng"), max_length=20, blank=True
    )
    # a refund the gateway refused is paid back by bank transfer, confirmed by the accountant
    transfer_reference = models.CharField(_("số chứng từ chuyển khoản"), max_length=100, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("khoản hoàn tiền")
        verbose_name_plural = _("khoản hoàn tiền")
