"""The list-and-create endpoint of unit-scoped records, shared by the apps' ``api.py`` (skills, ict)."""

from collections.abc import Callable

from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from congso.core.params import query_id
from congso.org.models import Unit


class UnitScopedList(generics.ListCreateAPIView):
    """List what the caller may see, optionally under one unit (``?unit=<id>`` and its subtree);
    create through ``save`` (a service call). Each app names the service that scopes its rows
    to what the caller may see: ``visible_rows(queryset, user, unit_field)``."""

    permission_classes = [IsAuthenticated]
    model = None
    unit_field = "unit"
    visible_rows: Callable

    def get_queryset(self):
        queryset = self.visible_rows(self.model.objects.all(), self.request.user, self.unit_field)
        unit = Unit.objects.filter(pk=query_id(self.request.query_params, "unit")).first()
        if unit is not None:
            queryset = queryset.filter(**{f"{self.unit_field}__path__startswith": unit.path})
        return queryset.order_by("pk")

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = self.save(request.user, dict(data.validated_data))
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)
