"""Serializers of the documents API."""

from rest_framework import serializers

from congso.accounts import services as accounts
from congso.org import services as org

from . import lifecycle
from .models import (
    Comment,
    Direction,
    Document,
    DocumentType,
    Recipient,
    Secrecy,
    StatusEntry,
    Urgency,
    Version,
)


class DocumentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Version
        fields = ["id", "number", "kind", "name", "content_type", "sha256", "size", "created_at"]


class DocumentStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusEntry
        fields = ["code", "at", "description", "staff_name"]


class DocumentRecipientSerializer(serializers.ModelSerializer):
    statuses = DocumentStatusSerializer(many=True, read_only=True)
    on_platform = serializers.BooleanField(source="unit_id", read_only=True)

    class Meta:
        model = Recipient
        fields = ["id", "name", "agency_id", "unit", "on_platform", "status", "statuses"]


class DocumentCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name", read_only=True, default="")

    class Meta:
        model = Comment
        fields = ["author_name", "action", "text", "created_at"]


class DocumentSummarySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    state_label = serializers.CharField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "direction",
            "unit",
            "unit_name",
            "state",
            "state_label",
            "revision",
            "doc_type",
            "subject",
            "notation",
            "issued_on",
            "arrival_number",
            "received_at",
            "author",
            "due_on",
            "urgency",
            "page_count",
            "created_at",
        ]


class DocumentDetailSerializer(DocumentSummarySerializer):
    versions = DocumentVersionSerializer(many=True, read_only=True)
    recipients = DocumentRecipientSerializer(many=True, read_only=True)
    comments = DocumentCommentSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(DocumentSummarySerializer.Meta):
        fields = [
            *DocumentSummarySerializer.Meta.fields,
            "body",
            "signer_position",
            "recipients_text",
            "recall_requested",
            "lead_unit",
            "lead_user",
            "versions",
            "recipients",
            "comments",
            "allowed_transitions",
        ]

    def get_allowed_transitions(self, document) -> list[str]:
        machine = document.machine
        user = self.context["request"].user
        return lifecycle.allowed(machine, document.state, user=user, organ=document.unit)


class DocumentCreateInput(serializers.Serializer):
    direction = serializers.ChoiceField(choices=Direction.choices)
    unit = serializers.PrimaryKeyRelatedField(queryset=org.units())
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    subject = serializers.CharField(max_length=500)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, required=False, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=0)
    file = serializers.FileField(
        required=False,
        help_text="Văn bản đi: PDF hoặc DOCX (giữ bản gốc, dàn trang thành PDF để ký), để trống "
        "để dàn trang phần nội dung; văn bản đến: PDF, JPG hoặc PNG",
    )
    # outgoing
    drafting_unit = serializers.PrimaryKeyRelatedField(
        queryset=org.units(), required=False, allow_null=True
    )
    signer = serializers.PrimaryKeyRelatedField(
        queryset=accounts.officials(), required=False, allow_null=True
    )
    signer_position = serializers.CharField(required=False, allow_blank=True, default="")
    recipient_units = serializers.PrimaryKeyRelatedField(
        queryset=org.units(), many=True, required=False
    )
    recipient_groups = serializers.ListField(
        child=serializers.CharField(max_length=30),
        required=False,
        help_text="Nhóm nơi nhận: communes, departments, list:<id> (mở rộng khi gửi)",
    )
    # incoming
    author = serializers.CharField(required=False, allow_blank=True, default="")
    notation = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    issued_on = serializers.DateField(required=False, allow_null=True)


class DocumentTransitionInput(serializers.Serializer):
    transition = serializers.ChoiceField(
        choices=sorted({*lifecycle.OUTGOING_LABELS, *lifecycle.INCOMING_LABELS})
    )
    revision = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    pin = serializers.CharField(required=False, allow_blank=True, write_only=True)
    lead_unit = serializers.PrimaryKeyRelatedField(
        queryset=org.units(), required=False, allow_null=True
    )
    lead_user = serializers.PrimaryKeyRelatedField(
        queryset=accounts.officials(), required=False, allow_null=True
    )
    coordinators = serializers.PrimaryKeyRelatedField(
        queryset=org.units(), many=True, required=False
    )
    due_on = serializers.DateField(required=False, allow_null=True)
    due_days = serializers.IntegerField(required=False, min_value=1, max_value=90)

    def options(self) -> dict:
        data = dict(self.validated_data)
        data.pop("transition")
        data.pop("revision", None)
        return {k: v for k, v in data.items() if v not in (None, "")}


class DocumentRegisterSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
