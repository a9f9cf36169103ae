"""In-app notifications of the caller. Another user's notification is a 404, never a 403."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_unread = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "template", "subject", "body", "url", "created_at", "read_at", "is_unread"]


class NotificationList(generics.ListAPIView):
    """The caller's in-app notifications, newest first. ``?unread=true`` keeps unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("unread", bool, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = Notification.objects.inbox_of(self.request.user)
        if self.request.query_params.get("unread") == "true":
            rows = rows.unread()
        return rows


class NotificationRead(APIView):
    """Mark one of the caller's notifications read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        return Response(NotificationSerializer(services.mark_read(request.user, pk)).data)


class NotificationReadAll(APIView):
    """Mark every notification of the caller read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        return Response({"marked": services.mark_all_read(request.user)})


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", NotificationRead.as_view(), name="api-notification-read"),
    path(
        "notifications/read-all/",
        NotificationReadAll.as_view(),
        name="api-notifications-read-all",
    ),
]
