"""Dossier API of the one-stop shop, mounted under ``/api/v1/``.

``POST /dossiers/`` receive at the desk (or file online); ``GET /dossiers/`` the caller's dossiers,
filtered and paginated; ``GET /dossiers/{code}/`` the whole dossier with the transitions the
caller may apply; ``POST /dossiers/{code}/transitions/``; ``GET /dossiers/{code}/sync/`` the
national-portal record (officials); ``GET /dossiers/{code}/forms/NN.pdf`` the
one-stop forms 01–07; public ``GET /lookup/`` status by code and ID or phone.
Everything goes through ``services``: this module only translates HTTP to calls and back.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.api import changes
from congso.api.errors import error_response
from congso.api.pagination import KeysetPagination
from congso.api.partners import HasScope, accepting_partners
from congso.core import ratelimit
from congso.core.downloads import PDF, download
from congso.core.params import query_id
from congso.core.text import tokens

from . import services, sync
from .lifecycle import State
from .listing import PreparedList, listed
from .models import Dossier
from .serializers import (
    DossierDetailSerializer,
    DossierInput,
    DossierSummarySerializer,
    LookupSerializer,
    TransitionInput,
    dossier_detail,
    dossier_summary,
)

NOT_FOUND = _("Không tìm thấy hồ sơ.")


def _visible(request, code: str, *, whole: bool = False) -> Dossier:
    """The dossier if the caller may see it; the same 404 whether it exists or not. ``whole``
    loads what the detail answer's rules read too (``services.visible_with_plan``)."""
    if whole:
        dossier = services.visible_with_plan(request.user, code)
    else:
        dossier = services.the_dossier(
            services.visible_dossier(request.user, code).select_related(
                "procedure", "receiving_unit", "current_unit"
            )
        )
    if dossier is None:
        raise exceptions.NotFound(NOT_FOUND)
    return dossier


# --- Filters ----------------------------------------------------------------------------------


def _date(params, name: str) -> dt.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise exceptions.ValidationError({name: [_("Ngày phải có dạng dd/mm/yyyy.")]})


def _integer(params, name: str) -> int | None:
    return query_id(params, name)


def _choice(params, name: str, values) -> str:
    value = (params.get(name) or "").strip()
    if value and value not in values:
        raise exceptions.ValidationError(
            {name: [_("Giá trị không hợp lệ; chọn một trong: %s.") % ", ".join(values)]}
        )
    return value


def filter_dossiers(queryset, params):
    """Apply the list filters; ``q`` matches every folded word in the search text (code,
    applicant name, ID, phone, procedure name), so ``nguyen thi mai`` finds ``Nguyễn Thị Mai``."""
    state = _choice(params, "state", State.values)
    channel = _choice(params, "channel", ["desk", "online", "post"])
    if state:
        queryset = queryset.filter(state=state)
    if channel:
        queryset = queryset.filter(channel=channel)
    if procedure := (params.get("procedure") or "").strip():
        queryset = queryset.filter(procedure__code=procedure)
    if (unit := _integer(params, "unit")) is not None:
        queryset = queryset.filter(Q(receiving_unit_id=unit) | Q(current_unit_id=unit))
    if received_from := _date(params, "received_from"):
        queryset = queryset.filter(received_at__date__gte=received_from)
    if received_to := _date(params, "received_to"):
        queryset = queryset.filter(received_at__date__lte=received_to)
    for word in tokens(params.get("q", ""))[:8]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


LIST_PARAMETERS = [
    OpenApiParameter("state", str, enum=State.values, description="Trạng thái hồ sơ."),
    OpenApiParameter("procedure", str, description="Mã thủ tục."),
    OpenApiParameter("channel", str, enum=["desk", "online", "post"], description="Kênh nộp."),
    OpenApiParameter("unit", int, description="Đơn vị tiếp nhận hoặc đang xử lý (id)."),
    OpenApiParameter("received_from", str, description="Tiếp nhận từ ngày (dd/mm/yyyy)."),
    OpenApiParameter("received_to", str, description="Tiếp nhận đến ngày (dd/mm/yyyy)."),
    OpenApiParameter("q", str, description="Tìm theo mã, họ tên, số định danh (có/không dấu)."),
    changes.PARAMETER,
]


# --- Views ------------------------------------------------------------------------------------


class DossierListCreate(generics.ListAPIView):
    """The caller's dossiers (scoped like the work queues), newest first; or receive one."""

    permission_classes = [IsAuthenticated]
    serializer_class = DossierSummarySerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        queryset = listed(services.visible_dossiers(self.request.user))
        queryset = changes.changed_since(queryset, self.request.query_params, "onestop.dossier")
        return filter_dossiers(queryset, self.request.query_params)

    @extend_schema(summary="Danh sách hồ sơ", parameters=LIST_PARAMETERS)
    def get(self, request, *args, **kwargs):
        """The page's rows as ``DossierSummarySerializer`` gives them, built by hand
        (``dossier_summary``); unfiltered at the default page size, from queries compiled once
        (``PreparedList``: one per page offered, a bounded number)."""
        params = request.query_params
        asked = [parameter.name for parameter in LIST_PARAMETERS]
        if any(params.get(name) for name in (*asked, self.paginator.page_size_query_param)):
            dossiers = self.filter_queryset(self.get_queryset())
        else:
            dossiers = PreparedList(request.user)
        page = self.paginate_queryset(dossiers)
        return self.get_paginated_response([dossier_summary(dossier) for dossier in page])

    @extend_schema(
        summary="Tiếp nhận hồ sơ",
        request=DossierInput,
        responses={201: DossierDetailSerializer},
    )
    def post(self, request):
        data = DossierInput(data=request.data)
        data.is_valid(raise_exception=True)
        intake = data.to_intake()
        online = data.validated_data["channel"] == "online"
        if online and request.user.is_official:
            raise exceptions.PermissionDenied(
                _("Hồ sơ trực tuyến do công dân tự nộp bằng tài khoản của mình.")
            )
        if online:
            dossier = services.file_online(request.user, intake)
        else:
            dossier = services.receive_at_desk(request.user, intake)
        return Response(dossier_detail(dossier, request.user), status=status.HTTP_201_CREATED)


class DossierDetail(APIView):
    authentication_classes = accepting_partners()
    permission_classes = [IsAuthenticated, HasScope("dossiers.read")]

    @extend_schema(summary="Chi tiết hồ sơ", responses=DossierDetailSerializer)
    def get(self, request, code):
        dossier = _visible(request, code, whole=True)
        return Response(dossier_detail(dossier, request.user))


class DossierTransition(APIView):
    """Apply a transition. ``revision`` is the dossier's revision the caller saw: if someone
    changed the dossier meanwhile, nothing is applied and the answer is 409."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Chuyển trạng thái hồ sơ",
        request=TransitionInput,
        responses={
            200: DossierDetailSerializer,
            400: OpenApiResponse(description="Dữ liệu không hợp lệ"),
            403: OpenApiResponse(description="Không được phép"),
            404: OpenApiResponse(description="Không tìm thấy hồ sơ"),
            409: OpenApiResponse(description="Hồ sơ vừa được người khác cập nhật"),
        },
    )
    def post(self, request, code):
        dossier = _visible(request, code)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            dossier = services.transition(
                dossier,
                data.validated_data["transition"],
                actor=request.user,
                revision=data.validated_data["revision"],
                **data.payload(dossier),
            )
        except services.Conflict as exc:
            return error_response(str(exc), code="conflict", status_code=status.HTTP_409_CONFLICT)
        return Response(dossier_detail(dossier, request.user))


class DossierSync(APIView):
    authentication_classes = accepting_partners()
    permission_classes = [IsAuthenticated, HasScope("dossiers.sync")]

    @extend_schema(
        summary="Hồ sơ theo cấu trúc đồng bộ Cổng DVC quốc gia",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, code):
        if not request.user.is_official and not request.user.is_superuser:
            raise exceptions.PermissionDenied(_("Chỉ cán bộ, công chức được xuất dữ liệu đồng bộ."))
        dossier = _visible(request, code)
        return Response(sync.national_record(sync.for_sync().get(pk=dossier.pk)))


class DossierForm(APIView):
    """A one-stop form of the dossier as PDF. Forms 01–05 are addressed to the applicant, who may
    download them; the control sheet (06) and the register (07) are for officials only."""

    permission_classes = [IsAuthenticated]
    APPLICANT_FORMS = ("01", "02", "03", "04", "05")

    @extend_schema(
        summary="Tải biểu mẫu của hồ sơ (PDF)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, code, form):
        from . import printing

        dossier = _visible(request, code)
        if form not in printing.FORMS:
            raise exceptions.NotFound(_("Không có mẫu số %(form)s.") % {"form": form})
        if form not in self.APPLICANT_FORMS and not (
            request.user.is_official or request.user.is_superuser
        ):
            raise exceptions.PermissionDenied(_("Biểu mẫu này chỉ dành cho cán bộ, công chức."))
        try:
            pdf = printing.render_form(dossier, form)
        except printing.FormNotApplicable as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return download(pdf, PDF, f"{dossier.code}-mau-{form}.pdf", inline=True)


#: The lookup page's limit (``CONGSO_LOOKUP_RATE``), counted together with it, per client
#: address as ``core.middleware.client_ip`` sees it (a forged X-Forwarded-For is no new one).
LookupThrottle = ratelimit.throttle("lookup", lambda: settings.CONGSO_LOOKUP_RATE)


def _lookup_answer(status: services.PublicStatus) -> dict:
    """The API's answer, JSON-ready, kept by ``public_status`` (serialized once a minute)."""
    return dict(LookupSerializer(status).data)


class Lookup(APIView):
    """Public status of a dossier for whoever holds its code and the applicant's personal ID
    number or phone. Unknown code and wrong ID get the same answer, and the rate limit keeps
    anyone from trying codes in bulk."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]

    def throttled(self, request, wait):
        raise exceptions.Throttled(
            wait,
            detail=_("Bạn đã tra cứu quá nhiều lần; vui lòng thử lại sau ít phút."),
        )

    @extend_schema(
        summary="Tra cứu tình trạng hồ sơ",
        parameters=[
            OpenApiParameter("code", str, required=True, description="Mã hồ sơ."),
            OpenApiParameter(
                "id_number",
                str,
                required=True,
                description="Số định danh cá nhân hoặc số điện thoại của người nộp.",
            ),
        ],
        responses={200: LookupSerializer, 404: OpenApiResponse(description=NOT_FOUND)},
    )
    def get(self, request):
        code = (request.query_params.get("code") or "").strip().upper()
        secret = (request.query_params.get("id_number") or "").strip()
        missing = {
            name: [_("Trường này là bắt buộc.")]
            for name, value in (("code", code), ("id_number", secret))
            if not value
        }
        if missing:
            raise exceptions.ValidationError(missing)
        answer = services.public_status(code, secret, present=_lookup_answer)
        if answer is None:
            raise exceptions.NotFound(_("Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập."))
        return Response(answer)


urlpatterns = [
    path("dossiers/", DossierListCreate.as_view(), name="api-dossiers"),
    path("dossiers/<str:code>/", DossierDetail.as_view(), name="api-dossier"),
    path(
        "dossiers/<str:code>/transitions/",
        DossierTransition.as_view(),
        name="api-dossier-transitions",
    ),
    path("dossiers/<str:code>/sync/", DossierSync.as_view(), name="api-dossier-sync"),
    path(
        "dossiers/<str:code>/forms/<str:form>.pdf", DossierForm.as_view(), name="api-dossier-form"
    ),
    path("lookup/", Lookup.as_view(), name="api-lookup"),
]
