"""REST endpoints of the dashboard app, mounted under ``/api/v1/``: the indicators and the
Decision 766 index of one unit (and its subtree) for one period — the same numbers as the
overview page. Officials with ``dashboard.view`` only, for the units they reach."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.accounts.permissions import acting_units, may

from . import board
from .forms import PeriodForm

ACTION = "dashboard.view"


class DashboardIndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(source="indicator.label")
    section = serializers.CharField(source="indicator.section")
    kind = serializers.CharField(source="indicator.kind", help_text="percent, count, money, ratio")
    available = serializers.BooleanField(help_text=_("Sai khi nguồn số liệu chưa có"))
    value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    display = serializers.CharField()
    target = serializers.DecimalField(
        source="indicator.target.value", max_digits=20, decimal_places=2, allow_null=True
    )
    target_label = serializers.CharField(source="indicator.target.label", allow_null=True)
    status = serializers.CharField(help_text="green, amber, red, none")


class ServiceIndexCriterionSerializer(serializers.Serializer):
    label = serializers.CharField()
    points = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    available = serializers.BooleanField()
    score = serializers.IntegerField()


class ServiceIndexGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    points = serializers.IntegerField()
    score = serializers.IntegerField()
    criteria = ServiceIndexCriterionSerializer(many=True)


class ServiceIndexSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    points = serializers.IntegerField()
    assessed = serializers.IntegerField(help_text=_("Số điểm có số liệu để đánh giá"))
    verified = serializers.BooleanField(help_text=_("Thang điểm đã đối chiếu Phụ lục QĐ 766"))
    groups = ServiceIndexGroupSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    not_available = serializers.ListField(child=serializers.CharField(), source="missing_sources")
    indicators = DashboardIndicatorSerializer(many=True, source="values")
    index = ServiceIndexSerializer()


def _parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, str, OpenApiParameter.QUERY, required=False, description=description
    )


class IndicatorsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Chỉ tiêu chuyển đổi số của một đơn vị trong một kỳ",
        parameters=[
            _parameter("unit", "Mã đơn vị (mặc định: đơn vị cao nhất được xem)"),
            _parameter("kind", "month | quarter | year | custom"),
            _parameter("day", "Một ngày trong kỳ, dd/mm/yyyy (mặc định hôm nay)"),
            _parameter("start", "Kỳ tuỳ chọn: từ ngày, dd/mm/yyyy"),
            _parameter("end", "Kỳ tuỳ chọn: đến ngày, dd/mm/yyyy"),
        ],
        responses=DashboardSerializer,
    )
    def get(self, request):
        if not may(request.user, ACTION):
            raise exceptions.PermissionDenied(_("Bạn không có quyền xem bảng điều hành."))
        units = acting_units(request.user, ACTION)
        data = request.query_params.copy()
        if not data.get("unit"):
            data["unit"] = str(units.order_by("path").values_list("pk", flat=True).first())
        form = PeriodForm(data, units)
        if not form.is_valid():
            if "unit" in form.errors:
                raise exceptions.NotFound(_("Không tìm thấy đơn vị."))
            raise exceptions.ValidationError(
                {field: list(errors) for field, errors in form.errors.items()}
            )
        result = board.build(form.cleaned_data["unit"], form.cleaned_data["period"], details=False)
        return Response(DashboardSerializer(result).data)


urlpatterns: list = [
    path("dashboard/indicators/", IndicatorsView.as_view(), name="dashboard-indicators"),
]
