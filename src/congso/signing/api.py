"""Signature verification API, mounted under ``/api/v1/``.

``POST /signatures/verify/`` (multipart ``file``) → ``{"file": ..., "sha256": ..., "signatures":
[...]}``, one object per signature. Public: anyone may check a document they received.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.core import ratelimit

from . import services
from .views import VERIFY_SCOPE, too_many_checks


class SignatureReportSerializer(serializers.Serializer):
    field_name = serializers.CharField()
    signer = serializers.CharField()
    organisation = serializers.CharField()
    serial = serializers.CharField()
    issuer = serializers.CharField()
    signing_time = serializers.CharField(allow_null=True)
    timestamp = serializers.CharField(allow_null=True)
    signing_time_text = serializers.CharField()
    timestamp_text = serializers.CharField()
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    revoked = serializers.BooleanField()
    covers_whole_document = serializers.BooleanField()
    ok = serializers.BooleanField()
    bottom_line = serializers.CharField()
    chain = serializers.ListField(child=serializers.CharField())
    trust_anchor = serializers.CharField()
    expired = serializers.BooleanField()
    revocation = serializers.ChoiceField(choices=["good", "revoked", "unknown"])
    revocation_source = serializers.ChoiceField(choices=["dss", "platform", "online", ""])
    revocation_source_text = serializers.CharField()
    level = serializers.ChoiceField(choices=["B-B", "B-T", "B-LT", "B-LTA"])
    modified_after_signing = serializers.BooleanField()
    modifications = serializers.ChoiceField(
        choices=["NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER"]
    )
    modifications_text = serializers.CharField()


#: Verification parses untrusted PDFs: the page's limit (``CONGSO_VERIFY_RATE``), shared.
VerifyThrottle = ratelimit.throttle(VERIFY_SCOPE, lambda: settings.CONGSO_VERIFY_RATE)


class VerifyInput(serializers.Serializer):
    file = serializers.FileField()


class VerifyView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]
    throttle_classes = [VerifyThrottle]

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=too_many_checks())

    @extend_schema(
        request={"multipart/form-data": VerifyInput},
        responses={
            200: inline_serializer(
                "SignatureVerification",
                {
                    "file": serializers.CharField(),
                    "sha256": serializers.CharField(),
                    "signatures": SignatureReportSerializer(many=True),
                },
            ),
            400: OpenApiResponse(description=_("Tệp không phải PDF, có mật khẩu hoặc bị hỏng.")),
        },
        summary="Kiểm tra chữ ký số trong tệp PDF",
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": [_("Hãy chọn tệp PDF cần kiểm tra.")]})
        try:
            result = services.verify_upload(upload)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"file": exc.messages}) from exc
        return Response(
            {
                "file": result.name,
                "sha256": services.data_sha256(result.data),
                "signatures": [report.as_dict() for report in result.reports],
            }
        )


urlpatterns = [
    path("signatures/verify/", VerifyView.as_view(), name="signature-verify"),
]
