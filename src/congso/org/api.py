from django.urls import path
from rest_framework import generics, serializers

from .models import Unit


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "agency_id",
            "admin_code",
            "valid_from",
            "valid_until",
            "successor",
            "is_active",
            "address",
            "phone",
            "email",
        ]


class UnitList(generics.ListAPIView):
    """Administrative units (public reference data). Filter with ``?parent=`` or ``?kind=``."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        units = Unit.objects.all()
        parent = self.request.query_params.get("parent", "")
        kind = self.request.query_params.get("kind", "")
        if parent.isascii() and parent.isdigit() and len(parent) <= 18:
            units = units.filter(parent_id=int(parent))
        if kind:
            units = units.filter(kind=kind)
        if self.request.query_params.get("active") == "true":
            units = units.active()
        return units


urlpatterns = [path("units/", UnitList.as_view(), name="api-units")]
