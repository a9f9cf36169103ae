"""Feedback API, mounted under ``/api/v1/``: ratings (citizens create and list their own,
officials list their units') and complaints (citizens file, follow, withdraw and evaluate;
officials list, assign, answer, reject, close). Everything goes through ``services``; this
module only translates HTTP to calls and back. Another citizen's object is 404.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.accounts.services import officials
from congso.catalog.services import procedures
from congso.core.uploads import check_files
from congso.onestop.services import visible_dossiers
from congso.org.services import units

from . import lifecycle, services
from .models import CRITERIA, Attachment, Complaint, ComplaintKind, Overall, Rating


class RatingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "dossier_code",
            "unit",
            "unit_name",
            "procedure_name",
            "overall",
            "scores",
            "comment",
            "channel",
            "created_at",
        ]


class RatingInput(serializers.Serializer):
    dossier_code = serializers.CharField(max_length=40)
    overall = serializers.ChoiceField(choices=Overall.choices)
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=2),
        required=False,
        help_text=", ".join(CRITERIA),
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RatingList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = RatingSerializer

    def get_queryset(self):
        return services.visible_ratings(self.request.user).select_related("unit", "procedure")

    @extend_schema(request=RatingInput, responses={201: RatingSerializer})
    def post(self, request):
        data = RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        dossier = visible_dossiers(request.user).filter(code=fields["dossier_code"].strip()).first()
        if dossier is None or (
            dossier.applicant_id != request.user.pk and not services.at_desk(request.user, dossier)
        ):
            raise exceptions.NotFound(_("Không tìm thấy hồ sơ."))
        rating = services.rate(
            dossier,
            actor=request.user,
            overall=fields["overall"],
            scores=fields.get("scores"),
            comment=fields.get("comment", ""),
        )
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class RatingDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RatingSerializer)
    def get(self, request, pk: int):
        rating = services.visible_ratings(request.user).filter(pk=pk).first()
        if rating is None:
            raise exceptions.NotFound(_("Không tìm thấy đánh giá."))
        return Response(RatingSerializer(rating).data)


class ComplaintAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "role", "name", "content_type", "size"]


class ComplaintSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)
    attachments = ComplaintAttachmentSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "code",
            "kind",
            "subject",
            "content",
            "unit",
            "unit_name",
            "dossier_code",
            "procedure",
            "state",
            "received_at",
            "due_at",
            "answer",
            "answered_at",
            "on_time",
            "rejection_reason",
            "citizen_satisfied",
            "attachments",
            "allowed_actions",
        ]

    def get_allowed_actions(self, complaint) -> list[str]:
        return services.allowed_actions(self.context["request"].user, complaint)


class ComplaintInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    subject = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=10000)
    dossier_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=units(), required=False, allow_null=True)
    procedure = serializers.PrimaryKeyRelatedField(
        queryset=procedures(), required=False, allow_null=True
    )
    anonymous = serializers.BooleanField(default=False)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=16, required=False, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False)


class ComplaintActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(lifecycle.ACTIONS))
    text = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=officials(), required=False, allow_null=True
    )
    revision = serializers.IntegerField(required=False, min_value=1)
    files = serializers.ListField(child=serializers.FileField(), required=False)


class ComplaintList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ComplaintSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = services.visible_complaints(self.request.user).select_related("unit")
        state = self.request.query_params.get("state")
        if state in lifecycle.ComplaintState.values:
            queryset = queryset.filter(state=state)
        return queryset.prefetch_related("attachments")

    @extend_schema(request=ComplaintInput, responses={201: ComplaintSerializer})
    def post(self, request):
        data = ComplaintInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        files = check_files(request.FILES.getlist("files")) if request.FILES else []
        fields.pop("files", None)
        complaint = services.file_complaint(actor=request.user, files=files, **fields)
        return Response(
            ComplaintSerializer(complaint, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _complaint(request, code: str) -> Complaint:
    complaint = services.visible_complaints(request.user).filter(code=code).first()
    if complaint is None:
        raise exceptions.NotFound(_("Không tìm thấy phản ánh, kiến nghị."))
    return complaint


class ComplaintDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ComplaintSerializer)
    def get(self, request, code: str):
        complaint = _complaint(request, code)
        return Response(ComplaintSerializer(complaint, context={"request": request}).data)


class ComplaintActions(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=ComplaintActionInput, responses=ComplaintSerializer)
    def post(self, request, code: str):
        complaint = _complaint(request, code)
        data = ComplaintActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("files", None)
        files = check_files(request.FILES.getlist("files")) if request.FILES else []
        action = fields.pop("action")
        try:
            complaint = services.act(complaint, action, actor=request.user, files=files, **fields)
        except services.Conflict as exc:
            raise exceptions.ValidationError({"revision": [str(exc)]}) from exc
        return Response(ComplaintSerializer(complaint, context={"request": request}).data)


urlpatterns = [
    path("feedback/ratings/", RatingList.as_view(), name="api-feedback-ratings"),
    path("feedback/ratings/<int:pk>/", RatingDetail.as_view(), name="api-feedback-rating"),
    path("feedback/complaints/", ComplaintList.as_view(), name="api-feedback-complaints"),
    path(
        "feedback/complaints/<str:code>/",
        ComplaintDetail.as_view(),
        name="api-feedback-complaint",
    ),
    path(
        "feedback/complaints/<str:code>/actions/",
        ComplaintActions.as_view(),
        name="api-feedback-complaint-actions",
    ),
]
