"""Public read API of the catalogue: search and the full record of a procedure.

``GET /api/v1/procedures/?search=…&sector=…&level=…&mode=…`` — ranked search, paginated.
``GET /api/v1/procedures/{code}/?at=YYYY-MM-DD`` — the version in force (today by default):
times and fees per channel, documents, steps and the form's JSON Schema.
``GET /api/v1/sectors/`` — the sectors.
"""

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.exceptions import ValidationError

from congso.core import ratelimit

from . import services
from .models import (
    ChannelTerms,
    Level,
    OnlineMode,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
    RequiredDocument,
    Sector,
)
from .views import too_many_searches


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class ProcedureSummarySerializer(serializers.ModelSerializer):
    sector = SectorSerializer(read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    online_mode_display = serializers.CharField(source="get_online_mode_display", read_only=True)
    score = serializers.SerializerMethodField(help_text="Điểm xếp hạng khi tìm kiếm.")

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "sector",
            "level",
            "level_display",
            "online_mode",
            "online_mode_display",
            "score",
        ]

    def get_score(self, procedure) -> float | None:
        value = getattr(procedure, "score", None)
        return round(float(value), 3) if value is not None else None


class ChannelSerializer(serializers.ModelSerializer):
    time_display = serializers.CharField(read_only=True)
    fee_display = serializers.CharField(read_only=True)
    fee = serializers.JSONField(
        help_text="Quy tắc tính phí: kind free|fixed|per_copy|per_page, amount, tiers, "
        "max_per_copy, exemptions, note."
    )

    class Meta:
        model = ChannelTerms
        fields = [
            "channel",
            "time_amount",
            "time_unit",
            "time_note",
            "time_display",
            "fee",
            "fee_display",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = [
            "position",
            "name",
            "copy_kind",
            "count",
            "mandatory",
            "template",
            "is_declaration",
        ]


class StepSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(read_only=True, help_text="working_hours hoặc working_days")

    class Meta:
        model = ProcessingStep
        fields = ["position", "name", "role", "responsible", "amount", "unit"]


class VersionSerializer(serializers.ModelSerializer):
    channels = ChannelSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    form_schema = serializers.JSONField(help_text="Tờ khai dạng JSON Schema (rỗng: không có).")

    class Meta:
        model = ProcedureVersion
        fields = [
            "number",
            "valid_from",
            "valid_until",
            "applicants",
            "deciding_agency",
            "coordinating_agencies",
            "where_to_file",
            "result",
            "conditions",
            "legal_basis",
            "change_note",
            "channels",
            "documents",
            "steps",
            "form_schema",
        ]


class ProcedureDetailSerializer(ProcedureSummarySerializer):
    version = serializers.SerializerMethodField()

    class Meta(ProcedureSummarySerializer.Meta):
        fields = [f for f in ProcedureSummarySerializer.Meta.fields if f != "score"] + ["version"]

    @extend_schema_field(VersionSerializer)
    def get_version(self, procedure) -> dict:
        return VersionSerializer(self.context["version"]).data


def _choice(params, name: str, choices) -> str:
    value = params.get(name, "")
    if value and value not in choices.values:
        raise ValidationError(
            {name: [_("Giá trị không hợp lệ; chọn một trong: %s.") % ", ".join(choices.values)]}
        )
    return value


class SearchThrottle(ratelimit.throttle("search", lambda: settings.CONGSO_SEARCH_RATE)):
    """The search page's limit (``CONGSO_SEARCH_RATE``), counted together; listing without a
    query is not counted."""

    def allow_request(self, request, view) -> bool:
        if not request.query_params.get("search", "").strip():
            return True
        return super().allow_request(request, view)


@extend_schema(
    summary="Tìm thủ tục hành chính",
    parameters=[
        OpenApiParameter("search", str, description="Từ khóa, có hoặc không dấu; mã thủ tục."),
        OpenApiParameter("sector", str, description="Mã lĩnh vực, ví dụ HT."),
        OpenApiParameter("level", str, enum=Level.values, description="Cấp thực hiện."),
        OpenApiParameter("mode", str, enum=OnlineMode.values, description="Mức độ trực tuyến."),
    ],
)
class ProcedureList(generics.ListAPIView):
    """Procedures ranked by relevance to ``search`` (all of them, by sector, when empty)."""

    serializer_class = ProcedureSummarySerializer
    throttle_classes = [SearchThrottle]

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=too_many_searches())

    def get_queryset(self):
        params = self.request.query_params
        filters = {
            "sector": params.get("sector", ""),
            "level": _choice(params, "level", Level),
            "online_mode": _choice(params, "mode", OnlineMode),
        }
        return services.search(params.get("search", ""), filters)


@extend_schema(
    summary="Chi tiết thủ tục hành chính",
    parameters=[
        OpenApiParameter(
            "at",
            OpenApiTypes.DATE,
            description="Ngày cần xem quy định (mặc định hôm nay), dạng YYYY-MM-DD.",
        )
    ],
)
class ProcedureDetail(generics.RetrieveAPIView):
    """A procedure with the whole version in force: times and fees per channel, required
    documents, processing steps and the declaration form's JSON Schema."""

    serializer_class = ProcedureDetailSerializer
    lookup_field = "code"

    def get_queryset(self):
        return Procedure.objects.filter(is_active=True).select_related("sector")

    def _at(self) -> dt.date | None:
        value = self.request.query_params.get("at")
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError({"at": [_("Ngày phải có dạng YYYY-MM-DD.")]}) from exc

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        try:
            context["version"] = services.version_in_force(self.get_object(), self._at())
        except ProcedureVersion.DoesNotExist as exc:
            raise Http404 from exc
        return context


@extend_schema(summary="Danh sách lĩnh vực")
class SectorList(generics.ListAPIView):
    serializer_class = SectorSerializer
    queryset = Sector.objects.all()
    pagination_class = None


urlpatterns = [
    path("procedures/", ProcedureList.as_view(), name="api-procedures"),
    path("procedures/<str:code>/", ProcedureDetail.as_view(), name="api-procedure"),
    path("sectors/", SectorList.as_view(), name="api-sectors"),
]
