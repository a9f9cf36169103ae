"""REST endpoints of the ict app, mounted under ``/api/v1/``: equipment (one record per unit,
created or replaced), training courses and investment items, listed for the units the caller
may see (``?unit=<id>`` narrows to a unit and its subtree) and written through ``services``."""

from django.urls import path
from rest_framework import serializers

from congso.api.lists import UnitScopedList

from . import services
from .models import Equipment, Investment, Training


class IctEquipmentSerializer(serializers.ModelSerializer):
    ipv6_ready = serializers.BooleanField(read_only=True)

    class Meta:
        model = Equipment
        fields = [
            "id",
            "unit",
            "computers",
            "computers_for_officials",
            "ipv6_address_plan",
            "dual_stack",
            "ipv6_checked_on",
            "ipv6_check_result",
            "ipv6_ready",
        ]
        read_only_fields = ["ipv6_checked_on", "ipv6_check_result"]
        extra_kwargs = {"unit": {"validators": []}}


class IctTrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Training
        fields = ["id", "unit", "date", "course", "hours", "participants"]


class IctInvestmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Investment
        fields = ["id", "unit", "year", "item", "planned", "spent", "source"]


class IctList(UnitScopedList):
    visible_rows = staticmethod(services.visible)


class EquipmentList(IctList):
    """Each unit's computers and IPv6 status; a POST replaces the unit's record."""

    model = Equipment
    serializer_class = IctEquipmentSerializer

    def save(self, actor, fields):
        return services.save_equipment(actor=actor, **fields)


class TrainingList(IctList):
    """Training courses for officials."""

    model = Training
    serializer_class = IctTrainingSerializer

    def save(self, actor, fields):
        return services.record_training(actor=actor, **fields)


class InvestmentList(IctList):
    """Investment plan items and spending (VND)."""

    model = Investment
    serializer_class = IctInvestmentSerializer

    def save(self, actor, fields):
        return services.record_investment(actor=actor, **fields)


urlpatterns = [
    path("ict/equipment/", EquipmentList.as_view(), name="api-ict-equipment"),
    path("ict/trainings/", TrainingList.as_view(), name="api-ict-trainings"),
    path("ict/investments/", InvestmentList.as_view(), name="api-ict-investments"),
]
