"""Payments API, mounted under ``/api/v1/``: the orders of a dossier (its applicant and the
officials who see it), starting a payment (the applicant), and the reconciliation of a unit for
a period (officials). Everything goes through ``services``; this module only translates."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.accounts.permissions import acting_units
from congso.core.middleware import client_ip
from congso.onestop.reports import Period
from congso.onestop.services import visible_dossiers

from . import reports, services
from .models import Payment

DATE_FORMATS = ["%d/%m/%Y", "iso-8601"]


class PaymentSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code", read_only=True)
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "ref",
            "dossier",
            "amount",
            "state",
            "provider",
            "created_at",
            "expires_at",
            "paid_at",
            "transaction_no",
            "bank_code",
            "receipt_number",
            "refunded_amount",
            "receipt_url",
        ]

    def get_receipt_url(self, payment) -> str | None:
        if not payment.receipt_number:
            return None
        return reverse("payments:receipt", args=[payment.ref])


class DossierPaymentsSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="none | unpaid | pending | paid | cancelled | refunded (regulations §7)"
    )
    amount = serializers.IntegerField()
    payments = PaymentSerializer(many=True)


class StartedSerializer(serializers.Serializer):
    ref = serializers.CharField()
    redirect_url = serializers.URLField()


class ReconcileQuery(serializers.Serializer):
    unit = serializers.IntegerField(label=gettext_lazy("Đơn vị"))
    start = serializers.DateField(label=gettext_lazy("Từ ngày"), input_formats=DATE_FORMATS)
    end = serializers.DateField(label=gettext_lazy("Đến ngày"), input_formats=DATE_FORMATS)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError(
                {"end": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")}
            )
        if (data["end"] - data["start"]).days > 3 * 366:
            raise serializers.ValidationError({"end": _("Kỳ báo cáo dài tối đa 3 năm.")})
        return data


class ReconcileLineSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    problems = serializers.ListField(child=serializers.CharField())


class ReconcileSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    orders = serializers.IntegerField()
    paid = serializers.IntegerField()
    amount_paid = serializers.IntegerField()
    amount_refunded = serializers.IntegerField()
    mismatches = serializers.SerializerMethodField()
    lines = ReconcileLineSerializer(many=True)

    def get_mismatches(self, report) -> int:
        return len(report.mismatches)


def _dossier(request, code: str):
    dossier = visible_dossiers(request.user).filter(code=code).first()
    if dossier is None:
        raise exceptions.NotFound(_("Không tìm thấy hồ sơ."))
    return dossier


class DossierPayments(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Các lần thanh toán của hồ sơ", responses=DossierPaymentsSerializer)
    def get(self, request, code):
        dossier = _dossier(request, code)
        data = {
            "status": services.status_for(dossier),
            "amount": dossier.fee_amount,
            "payments": services.orders_of(dossier),
        }
        return Response(DossierPaymentsSerializer(data).data)

    @extend_schema(
        summary="Bắt đầu thanh toán lệ phí",
        request=None,
        responses={201: StartedSerializer},
    )
    def post(self, request, code):
        dossier = services.owned_dossiers(request.user).filter(code=code).first()
        if dossier is None:
            raise exceptions.NotFound(_("Không tìm thấy hồ sơ."))

        url = services.start(
            dossier,
            actor=request.user,
            client_ip=client_ip(request) or "",
            return_url=request.build_absolute_uri(reverse("payments:return")),
            notify_url=request.build_absolute_uri(reverse("payments:ipn")),
        )
        ref = services.orders_of(dossier)[0].ref
        return Response({"ref": ref, "redirect_url": url}, status=201)


class Reconciliation(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Đối soát thanh toán của đơn vị trong kỳ",
        parameters=[ReconcileQuery],
        responses=ReconcileSerializer,
    )
    def get(self, request):
        query = ReconcileQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = (
            acting_units(request.user, "payments.reconcile")
            .filter(pk=query.validated_data["unit"])
            .first()
        )
        if unit is None:
            raise exceptions.ValidationError(
                {"unit": [_("Đơn vị không có hoặc nằm ngoài phạm vi của bạn.")]}
            )
        period = Period(query.validated_data["start"], query.validated_data["end"])
        return Response(ReconcileSerializer(reports.reconcile(unit, period)).data)


urlpatterns = [
    path("dossiers/<str:code>/payments/", DossierPayments.as_view(), name="api-dossier-payments"),
    path("payments/reconciliation/", Reconciliation.as_view(), name="api-payments-reconciliation"),
]
