"""Background exports over the API (``core.exports``). A register or report asked for as a file
is built by a worker: the request answers 202 Accepted with where to follow it, and its owner
polls the export and downloads the file once it is ready — another caller's export is as unknown
as a missing one."""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.core.downloads import stored
from congso.core.models import Export

ExportSerializer = inline_serializer(
    "Export",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "state": serializers.ChoiceField(choices=Export.State.choices),
        "done": serializers.IntegerField(help_text="Số dòng đã ghi"),
        "url": serializers.CharField(),
        "file": serializers.CharField(allow_null=True),
        "page": serializers.CharField(),
    },
)


def described(export: Export) -> dict:
    ready = export.state == Export.State.READY
    return {
        "id": export.pk,
        "title": export.title,
        "state": export.state,
        "done": export.done,
        "url": reverse("api-export", args=[export.pk]),
        "file": reverse("api-export-file", args=[export.pk]) if ready else None,
        "page": reverse("exports:export", args=[export.pk]),
    }


def accepted(export: Export) -> Response:
    """The answer to a request that queued ``export``: 202, ``Location`` its status."""
    body = described(export)
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


def _own(request, pk: int) -> Export:
    return get_object_or_404(Export, pk=pk, owner=request.user)


class ExportDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ExportSerializer})
    def get(self, request, pk: int):
        return Response(described(_own(request, pk)))


class ExportFile(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        export = _own(request, pk)
        if export.state != Export.State.READY:
            raise exceptions.NotFound(_("Tệp chưa lập xong."))
        return stored(export.file, export.filename)


urlpatterns = [
    path("exports/<int:pk>/", ExportDetail.as_view(), name="api-export"),
    path("exports/<int:pk>/file/", ExportFile.as_view(), name="api-export-file"),
]
