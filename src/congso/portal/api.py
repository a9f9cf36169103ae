"""The citizen's API: the same flows as the pages (drafts, submit, my dossiers, supplement,
withdraw, data store). Objects are looked up within the caller's own, so another citizen's code
or id answers 404 like one that does not exist."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.api.errors import error_response
from congso.catalog.services import procedures
from congso.onestop import services as onestop
from congso.onestop.choices import ResultDelivery
from congso.onestop.serializers import CitizenDossierSerializer

from . import services
from .models import Draft, DraftDocument, StoredDocument


class DraftDocumentSerializer(serializers.ModelSerializer):
    reused = serializers.BooleanField(read_only=True)

    class Meta:
        model = DraftDocument
        fields = ["required_document", "original_name", "size", "content_type", "reused"]


class DraftSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    procedure = serializers.CharField(source="procedure.code", read_only=True)
    documents = DraftDocumentSerializer(many=True, read_only=True)
    problems = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = [
            "id",
            "procedure",
            "unit",
            "answers",
            "result_delivery",
            "copies",
            "pages",
            "documents",
            "problems",
            "updated_at",
        ]

    def get_problems(self, draft) -> dict[str, list[str]]:
        return services.problems(draft)


class DraftCreateInput(serializers.Serializer):
    procedure = serializers.CharField(max_length=30)


class DraftUpdateInput(serializers.Serializer):
    unit = serializers.IntegerField(required=False)
    answers = serializers.JSONField(required=False)
    result_delivery = serializers.ChoiceField(ResultDelivery.choices, required=False)
    copies = serializers.IntegerField(required=False, help_text="Số bản (phí tính theo bản).")
    pages = serializers.IntegerField(required=False, help_text="Số trang mỗi bản (phí theo trang).")


class DraftDocumentInput(serializers.Serializer):
    required_document = serializers.IntegerField()
    file = serializers.FileField(required=False)
    stored = serializers.UUIDField(required=False)

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("stored")):
            raise serializers.ValidationError(
                {"file": ["Gửi một tệp hoặc chọn một giấy tờ trong kho dữ liệu."]}
            )
        return attrs


class MyDossierSerializer(CitizenDossierSerializer):
    result_available = serializers.SerializerMethodField()

    class Meta(CitizenDossierSerializer.Meta):
        fields = [*CitizenDossierSerializer.Meta.fields, "result_available"]

    def get_result_available(self, dossier) -> bool:
        return services.result_available(dossier)


class StoredSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = StoredDocument
        fields = ["id", "kind", "title", "sha256", "size", "source_code", "signed", "added_at"]


class PortalWithdrawInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True)


class PortalSupplementInput(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


def _act(action):
    try:
        return action()
    except onestop.Conflict as exc:
        return error_response(str(exc), code="conflict", status_code=status.HTTP_409_CONFLICT)


class Drafts(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Hồ sơ nháp của tôi", responses=DraftSerializer(many=True))
    def get(self, request):
        drafts = Draft.objects.filter(owner=request.user).select_related("procedure")
        return Response(DraftSerializer(drafts, many=True).data)

    @extend_schema(
        summary="Bắt đầu hồ sơ nháp", request=DraftCreateInput, responses={201: DraftSerializer}
    )
    def post(self, request):
        data = DraftCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = get_object_or_404(
            procedures(), code=data.validated_data["procedure"], is_active=True
        )
        draft = services.start_draft(request.user, procedure)
        return Response(DraftSerializer(draft).data, status=status.HTTP_201_CREATED)


class DraftDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Chi tiết hồ sơ nháp", responses=DraftSerializer)
    def get(self, request, draft_id):
        return Response(DraftSerializer(services.own_draft(request.user, draft_id)).data)

    @extend_schema(summary="Lưu hồ sơ nháp", request=DraftUpdateInput, responses=DraftSerializer)
    def patch(self, request, draft_id):
        draft = services.own_draft(request.user, draft_id)
        data = DraftUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "unit" in values:
            services.set_unit(draft, values["unit"])
        if "answers" in values:
            services.save_answers(draft, values["answers"])
        if "result_delivery" in values:
            services.set_delivery(draft, values["result_delivery"])
        if "copies" in values or "pages" in values:
            services.set_fee_inputs(
                draft, values.get("copies", draft.copies), values.get("pages", draft.pages)
            )
        return Response(DraftSerializer(draft).data)

    @extend_schema(summary="Huỷ hồ sơ nháp", responses={204: None})
    def delete(self, request, draft_id):
        services.discard_draft(services.own_draft(request.user, draft_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftDocuments(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Đính kèm giấy tờ (tải lên hoặc từ kho dữ liệu)",
        request={"multipart/form-data": DraftDocumentInput},
        responses=DraftSerializer,
    )
    def post(self, request, draft_id):
        draft = services.own_draft(request.user, draft_id)
        data = DraftDocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("stored"):
            services.attach_stored(draft, values["required_document"], values["stored"])
        else:
            services.attach_upload(draft, values["required_document"], values["file"])
        return Response(DraftSerializer(draft).data)


class DraftSubmit(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Nộp hồ sơ", request=None, responses={201: MyDossierSerializer})
    def post(self, request, draft_id):
        dossier = services.submit(services.own_draft(request.user, draft_id))
        return Response(MyDossierSerializer(dossier).data, status=status.HTTP_201_CREATED)


class MyDossiers(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Hồ sơ của tôi", responses=MyDossierSerializer(many=True))
    def get(self, request):
        return Response(
            MyDossierSerializer(services.own_dossiers(request.user)[:200], many=True).data
        )


class MyDossier(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Một hồ sơ của tôi", responses=MyDossierSerializer)
    def get(self, request, code):
        return Response(MyDossierSerializer(services.own_dossier(request.user, code)).data)


class MySupplement(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Nộp bổ sung hồ sơ",
        request={"multipart/form-data": PortalSupplementInput},
        responses=MyDossierSerializer,
    )
    def post(self, request, code):
        dossier = services.own_dossier(request.user, code)
        files = request.FILES.getlist("files")
        note = str(request.data.get("note", ""))[:2000]
        result = _act(lambda: services.answer_supplement(dossier, request.user, files, note))
        return (
            result if isinstance(result, Response) else Response(MyDossierSerializer(result).data)
        )


class MyWithdraw(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Rút hồ sơ", request=PortalWithdrawInput, responses=MyDossierSerializer)
    def post(self, request, code):
        dossier = services.own_dossier(request.user, code)
        data = PortalWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = _act(lambda: services.withdraw(dossier, request.user, data.validated_data["note"]))
        return (
            result if isinstance(result, Response) else Response(MyDossierSerializer(result).data)
        )


class DataStore(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Kho dữ liệu cá nhân", responses=StoredSerializer(many=True))
    def get(self, request):
        items = StoredDocument.objects.filter(owner=request.user)
        return Response(StoredSerializer(items, many=True).data)


urlpatterns = [
    path("drafts/", Drafts.as_view(), name="api-drafts"),
    path("drafts/<uuid:draft_id>/", DraftDetail.as_view(), name="api-draft"),
    path("drafts/<uuid:draft_id>/documents/", DraftDocuments.as_view(), name="api-draft-documents"),
    path("drafts/<uuid:draft_id>/submit/", DraftSubmit.as_view(), name="api-draft-submit"),
    path("my-dossiers/", MyDossiers.as_view(), name="api-my-dossiers"),
    path("my-dossiers/<str:code>/", MyDossier.as_view(), name="api-my-dossier"),
    path("my-dossiers/<str:code>/supplement/", MySupplement.as_view(), name="api-my-supplement"),
    path("my-dossiers/<str:code>/withdraw/", MyWithdraw.as_view(), name="api-my-withdraw"),
    path("datastore/", DataStore.as_view(), name="api-datastore"),
]
