"""The inbox for a mobile client: ``GET /api/v1/inbox/``."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services


class ItemSerializer(serializers.Serializer):
    source = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    reference = serializers.CharField()
    url = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    urgency = serializers.IntegerField()
    urgency_label = serializers.CharField()
    secrecy = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)


class InboxSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    items = ItemSerializer(many=True)


class Inbox(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=InboxSerializer)
    def get(self, request):
        if not request.user.is_official:
            raise PermissionDenied
        total, items = services.items_for(request.user)
        return Response(InboxSerializer({"count": total, "items": items}).data)


urlpatterns = [path("inbox/", Inbox.as_view(), name="api-inbox")]
