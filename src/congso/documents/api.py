"""REST endpoints of the documents app, mounted under ``/api/v1/``: list (filtered, paginated,
scoped to the caller's organs), create (outgoing draft or incoming registration), detail with the
transitions the caller may apply, transitions (409 on a stale revision), file download, edXML
import, partners' status messages, registers and annex VI metadata. Everything goes through
``services``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.api import changes
from congso.api.errors import error_response
from congso.api.exports import ExportSerializer, accepted
from congso.api.partners import HasScope, accepting_partners
from congso.core.downloads import download
from congso.core.params import query_id
from congso.org import services as org

from . import drafts, metadata, registers, search, services
from .models import Direction, Document
from .serializers import (
    DocumentCreateInput,
    DocumentDetailSerializer,
    DocumentRegisterSerializer,
    DocumentSummarySerializer,
    DocumentTransitionInput,
)

if TYPE_CHECKING:
    from congso.org.models import Unit


def _visible(request, pk) -> Document:
    document = services.visible_documents(request.user).filter(pk=pk).first()
    if document is None:
        raise exceptions.NotFound(_("Không tìm thấy văn bản."))
    return document


def _detail(request, document) -> Response:
    document.refresh_from_db()
    return Response(DocumentDetailSerializer(document, context={"request": request}).data)


class DocumentListCreate(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = DocumentSummarySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            *(
                OpenApiParameter(name, str, required=False)
                for name in ("q", "direction", "type", "state", "unit", "from", "to")
            ),
            changes.PARAMETER,
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = services.visible_documents(self.request.user).select_related("unit")
        query_id(self.request.query_params, "unit")  # a 400, not a silently ignored filter
        queryset = changes.changed_since(queryset, self.request.query_params, "documents.document")
        return search.search(queryset, self.request.query_params)

    @extend_schema(request=DocumentCreateInput, responses={201: DocumentDetailSerializer})
    def post(self, request):
        data = DocumentCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if fields["direction"] == Direction.OUTGOING:
            document = services.create_outgoing(
                services.Draft(
                    unit=fields["unit"],
                    doc_type=fields["doc_type"],
                    subject=fields["subject"],
                    body=fields["body"],
                    drafting_unit=fields.get("drafting_unit"),
                    signer=fields.get("signer"),
                    signer_position=fields["signer_position"],
                    urgency=fields["urgency"],
                    secrecy=fields["secrecy"],
                    recipient_units=fields.get("recipient_units", []),
                    recipient_groups=fields.get("recipient_groups", []),
                ),
                actor=request.user,
                upload=fields.get("file"),
            )
        else:
            arrival = services.Arrival(
                unit=fields["unit"],
                doc_type=fields["doc_type"],
                subject=fields["subject"],
                author=fields["author"],
                notation=fields["notation"],
                issued_on=fields.get("issued_on"),
                urgency=fields["urgency"],
                secrecy=fields["secrecy"],
            )
            services.refuse_secret(arrival.secrecy)
            if not fields.get("file"):
                raise serializers.ValidationError({"file": _("Cần tải lên tệp văn bản.")})
            document = services.register_upload(arrival, fields["file"], actor=request.user)
        response = _detail(request, document)
        response.status_code = status.HTTP_201_CREATED
        return response


class DocumentDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DocumentDetailSerializer)
    def get(self, request, pk: int):
        return _detail(request, _visible(request, pk))


class DocumentTransition(APIView):
    """Apply a transition; ``revision`` is what the caller saw (409 when stale)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=DocumentTransitionInput,
        responses={
            200: DocumentDetailSerializer,
            400: OpenApiResponse(description="Dữ liệu không hợp lệ hoặc không được phép"),
            409: OpenApiResponse(description="Văn bản vừa được người khác cập nhật"),
        },
    )
    def post(self, request, pk: int):
        document = _visible(request, pk)
        data = DocumentTransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            document = services.transition(
                document,
                data.validated_data["transition"],
                actor=request.user,
                revision=data.validated_data.get("revision"),
                **data.options(),
            )
        except services.Conflict as exc:
            return error_response(str(exc), code="conflict", status_code=status.HTTP_409_CONFLICT)
        return _detail(request, document)


def file_response(version, *, inline=True) -> HttpResponse:
    response = download(version.read(), version.content_type, version.name, inline=inline)
    response["X-Content-SHA256"] = version.sha256
    return response


class DocumentFile(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            (200, drafts.PDF): OpenApiTypes.BINARY,
            (200, drafts.DOCX): OpenApiTypes.BINARY,
        }
    )
    def get(self, request, pk: int, number: int):
        version = _visible(request, pk).versions.filter(number=number).first()
        if version is None:
            raise exceptions.NotFound(_("Không tìm thấy tệp."))
        return file_response(version)


class DocumentImportInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=org.units())
    file = serializers.FileField()


class DocumentImport(APIView):
    """Import an edXML package (QCVN 102:2016) into the organ's incoming register."""

    authentication_classes = accepting_partners()
    permission_classes = [IsAuthenticated, HasScope("documents.exchange")]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=DocumentImportInput, responses={201: DocumentDetailSerializer})
    def post(self, request):
        data = DocumentImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.import_package(
            data.validated_data["unit"], data.validated_data["file"].read(), actor=request.user
        )
        response = _detail(request, document)
        response.status_code = status.HTTP_201_CREATED
        return response


class DocumentStatusInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="Thông điệp trạng thái edXML (QCVN 102:2016) nhận từ trục liên thông"
    )


class DocumentStatusImport(APIView):
    """Bring in a status message (edXML) that a recipient outside the platform sent back about
    one of the caller's issued documents; the answer is that document with its statuses."""

    authentication_classes = accepting_partners()
    permission_classes = [IsAuthenticated, HasScope("documents.exchange")]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Nhập thông điệp trạng thái edXML của cơ quan ngoài hệ thống",
        request={"multipart/form-data": DocumentStatusInput},
        responses={
            201: DocumentDetailSerializer,
            400: OpenApiResponse(
                description="Không phải thông điệp trạng thái edXML, văn bản hoặc cơ quan gửi "
                "không khớp, hoặc đã nhập trước đó"
            ),
            403: OpenApiResponse(description="Không phải văn thư của cơ quan ban hành"),
        },
    )
    def post(self, request):
        data = DocumentStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        entry = services.import_status(
            upload.read(services.STATUS_MAX_BYTES + 1), actor=request.user
        )
        response = _detail(request, entry.recipient.document)
        response.status_code = status.HTTP_201_CREATED
        return response


def register_unit_and_year(request) -> tuple[Unit, int]:
    """The organ and year asked for, refused outside the caller's scope (404)."""
    organs = services.viewable_organs(request.user)
    unit_id = query_id(getattr(request, "query_params", request.GET), "unit")
    unit = organs.filter(pk=unit_id).first() if unit_id else organs.first()
    if unit is None:
        raise exceptions.NotFound(_("Không tìm thấy sổ văn bản."))
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    return unit, year


class Register(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=False),
            OpenApiParameter("year", int, required=False),
            OpenApiParameter("output", str, enum=["json", "pdf", "xlsx"], required=False),
            OpenApiParameter("page", int, required=False),
        ],
        responses={200: DocumentRegisterSerializer, 202: ExportSerializer},
    )
    def get(self, request, direction: str):
        if direction not in Direction.values:
            raise exceptions.NotFound(_("Không tìm thấy sổ văn bản."))
        unit, year = register_unit_and_year(request)
        kind = request.GET.get("output", "json")
        return register_response(request, unit, year, direction, kind, page=request.GET.get("page"))


#: Rows of a register per page of the JSON answer.
REGISTER_PAGE = 100


def register_response(request, unit, year, direction, kind, *, page=None):
    """A page of the register (JSON), or its PDF or workbook queued as a background export."""
    if kind in ("pdf", "xlsx"):
        return accepted(registers.start_export(request.user, unit, year, direction, kind))
    chosen = Paginator(registers.documents(unit, year, direction), REGISTER_PAGE).get_page(page)
    return Response(
        {
            "columns": registers.columns(direction),
            "rows": registers.rows(unit, year, direction, chosen.object_list),
            "count": chosen.paginator.count,
            "page": chosen.number,
            "pages": chosen.paginator.num_pages,
        }
    )


class DocumentMetadata(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("output", str, enum=["json", "xml"], required=False)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk: int):
        fields = metadata.document_fields(_visible(request, pk))
        if request.GET.get("output") == "xml":
            return HttpResponse(metadata.to_xml(fields), content_type="application/xml")
        return Response(fields)


urlpatterns = [
    path("documents/", DocumentListCreate.as_view(), name="api-documents"),
    path("documents/import/", DocumentImport.as_view(), name="api-documents-import"),
    path("documents/status/", DocumentStatusImport.as_view(), name="api-documents-status"),
    path("documents/registers/<str:direction>/", Register.as_view(), name="api-documents-register"),
    path("documents/<int:pk>/", DocumentDetail.as_view(), name="api-document"),
    path(
        "documents/<int:pk>/transitions/",
        DocumentTransition.as_view(),
        name="api-document-transitions",
    ),
    path(
        "documents/<int:pk>/files/<int:number>/", DocumentFile.as_view(), name="api-document-file"
    ),
    path("documents/<int:pk>/metadata/", DocumentMetadata.as_view(), name="api-document-metadata"),
]
