"""Due-date API: when is the result of a dossier received at a given moment due?"""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.org.models import Unit

from .deadlines import TimeUnit, due_at
from .services import FIRST_YEAR, LAST_YEAR, calendar_for

#: Longer than any processing time in the catalogue; bounds the work one request can ask for.
MAX_AMOUNT = 1000


class DueDateQuery(serializers.Serializer):
    received_at = serializers.DateTimeField(
        error_messages={
            "required": gettext_lazy("Thiếu thời điểm tiếp nhận (received_at)."),
            "invalid": gettext_lazy(
                "Thời điểm tiếp nhận phải theo ISO 8601, ví dụ 2026-02-13T09:30:00+07:00."
            ),
        }
    )
    procedure = serializers.CharField(required=False, max_length=50)
    amount = serializers.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=3,
        min_value=Decimal(0),
        max_value=Decimal(MAX_AMOUNT),
        error_messages={
            "invalid": gettext_lazy("Thời hạn (amount) phải là một số."),
            "min_value": gettext_lazy("Thời hạn (amount) không được âm."),
            "max_value": gettext_lazy("Thời hạn (amount) tối đa là {max_value}."),
            "max_digits": gettext_lazy("Thời hạn (amount) quá lớn."),
            "max_whole_digits": gettext_lazy("Thời hạn (amount) quá lớn."),
            "max_decimal_places": gettext_lazy("Thời hạn (amount) có tối đa 3 chữ số thập phân."),
        },
    )
    unit = serializers.ChoiceField(
        required=False,
        choices=TimeUnit.choices,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Đơn vị thời hạn (unit) phải là working_days, calendar_days, "
                "working_hours hoặc same_day."
            )
        },
    )
    unit_id = serializers.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("Mã đơn vị (unit_id) phải là số nguyên.")},
    )

    def validate_received_at(self, value):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise serializers.ValidationError(
                _("Thời điểm tiếp nhận phải trong các năm %(first)s–%(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def validate_unit_id(self, value):
        unit = Unit.objects.filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError(
                _("Không tìm thấy đơn vị có mã %(id)s.") % {"id": value}
            )
        return unit

    def validate(self, attrs):
        has_procedure = "procedure" in attrs
        has_amount = "amount" in attrs or "unit" in attrs
        if has_procedure and has_amount:
            raise serializers.ValidationError(
                {"procedure": _("Chỉ dùng một cách: mã thủ tục (procedure) hoặc amount và unit.")}
            )
        if has_procedure:
            return attrs
        if "unit" not in attrs:
            raise serializers.ValidationError(
                {"unit": _("Cần mã thủ tục (procedure) hoặc đơn vị thời hạn (unit).")}
            )
        if "amount" not in attrs:
            if attrs["unit"] != TimeUnit.SAME_DAY:
                raise serializers.ValidationError({"amount": _("Thiếu thời hạn (amount).")})
            attrs["amount"] = Decimal(0)
        return attrs


class DueDateAnswer(serializers.Serializer):
    received_at = serializers.DateTimeField()
    procedure = serializers.CharField(required=False)
    amount = serializers.DecimalField(max_digits=8, decimal_places=3, coerce_to_string=False)
    unit = serializers.ChoiceField(choices=TimeUnit.choices)
    unit_id = serializers.IntegerField(required=False)
    due_at = serializers.DateTimeField()


#: Where ``procedure=<code>`` finds a procedure's processing time: ``lookup(code, channel=…)``
#: answering ``.amount`` and ``.unit`` or raising ``ObjectDoesNotExist``. The catalogue plugs its
#: ``get_processing_time`` in at start-up (``CatalogConfig.ready``): the calendar sits below the
#: catalogue and does not import it.
PROCESSING_TIMES = {}


def _processing_time(code: str) -> tuple[Decimal, str]:
    """The desk-channel processing time of a procedure, from the catalogue."""
    try:
        found = PROCESSING_TIMES["lookup"](code, channel="desk")
    except ObjectDoesNotExist:
        raise ValidationError(
            {"procedure": [_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code}]}
        ) from None
    return Decimal(str(found.amount)), TimeUnit(found.unit)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class DueDate(APIView):
    """Compute a due date from a receipt time and a processing time (regulations §4)."""

    @extend_schema(
        summary="Tính ngày hẹn trả kết quả",
        description=(
            "Cho thời điểm tiếp nhận (ISO 8601) và thời hạn giải quyết — theo mã thủ tục "
            "(thời hạn nộp trực tiếp trong danh mục) hoặc theo amount và unit — trả về thời điểm "
            "hẹn trả theo lịch làm việc (ngày lễ, ngày nghỉ thêm, ngày làm bù, giờ làm việc của "
            "đơn vị)."
        ),
        parameters=[
            OpenApiParameter(
                "received_at",
                OpenApiTypes.DATETIME,
                required=True,
                description="Thời điểm tiếp nhận, ISO 8601, ví dụ 2026-02-13T09:30:00+07:00.",
            ),
            OpenApiParameter(
                "procedure", str, description="Mã thủ tục, ví dụ 1.001193 (thay cho amount/unit)."
            ),
            OpenApiParameter(
                "amount",
                OpenApiTypes.DECIMAL,
                description="Thời hạn, số không âm (không cần khi unit=same_day).",
            ),
            OpenApiParameter("unit", str, enum=TimeUnit.values, description="Đơn vị của thời hạn."),
            OpenApiParameter(
                "unit_id", int, description="Mã đơn vị, để dùng giờ làm việc của đơn vị đó."
            ),
        ],
        responses={
            200: DueDateAnswer,
            400: OpenApiResponse(
                description="Tham số thiếu hoặc sai; lỗi theo định dạng chung {error: …}."
            ),
        },
    )
    def get(self, request):
        query = DueDateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if "procedure" in params:
            amount, unit = _processing_time(params["procedure"])
        else:
            amount, unit = params["amount"], TimeUnit(params["unit"])
        if unit is TimeUnit.CALENDAR_DAYS and amount != amount.to_integral_value():
            raise ValidationError(
                {"amount": [_("Thời hạn tính theo ngày (calendar_days) phải là số nguyên.")]}
            )
        office = params.get("unit_id")
        calendar = calendar_for(office)
        received = params["received_at"].astimezone(calendar.time_zone)
        due = due_at(calendar, received, amount, unit)
        answer = {
            "received_at": received.isoformat(),
            "amount": _number(amount),
            "unit": unit.value,
            "due_at": due.isoformat(),
        }
        if "procedure" in params:
            answer["procedure"] = params["procedure"]
        if office is not None:
            answer["unit_id"] = office.pk
        return Response(answer)


urlpatterns = [path("calendar/due-date/", DueDate.as_view(), name="api-due-date")]
