import base64
import binascii
import datetime as dt
import json

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from congso.core.formatting import count as count_label
from congso.core.pagination import COUNT_CAP, capped_count


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(Pagination):
    """Newest first by ``(time_field, id)``, reached by a cursor rather than an offset, with a
    capped count: page 50,000 costs what page 1 costs, and no request counts a whole table.

    ``next`` carries ``cursor`` (the last row's time and id, opaque); ``page`` still works for the
    first pages. ``count`` stops at ``COUNT_CAP + 1`` and ``count_capped`` says so
    (``count_label`` reads "hơn 1.000")."""

    time_field = "filed_at"
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        """A page of ``queryset`` — or of a list that reads and counts itself (``keyset_page``,
        ``capped_count``: ``onestop.listing.PreparedList``, compiled once)."""
        self.request = request
        size = self.get_page_size(request)
        self.count = capped_count(queryset)
        position = self._decode(request.query_params.get(self.cursor_query_param))
        self.number = None if position is not None else self._page_number(request, size)
        start = 0 if position is not None else (self.number - 1) * size
        if hasattr(queryset, "keyset_page"):  # a prepared list reads its own pages
            rows = queryset.keyset_page(position, start, start + size + 1)
        else:
            rows = list(self._after(queryset, position)[start : start + size + 1])
        self.more = len(rows) > size
        self.rows = rows[:size]
        return self.rows

    def _after(self, queryset, position):
        """``queryset`` newest first, after the cursor's ``position`` when there is one."""
        ordered = queryset.order_by(f"-{self.time_field}", "-id")
        if position is None:
            return ordered
        at, pk = position
        return ordered.filter(
            Q(**{f"{self.time_field}__lt": at}) | Q(**{self.time_field: at, "id__lt": pk})
        )

    def _page_number(self, request, size: int) -> int:
        value = request.query_params.get(self.page_query_param, "1")
        number = int(value) if value.isdigit() and int(value) > 0 else 1
        return min(number, COUNT_CAP // size + 1)

    def _decode(self, value):
        if not value:
            return None
        try:
            at, pk = json.loads(base64.urlsafe_b64decode(value.encode()).decode())
            return dt.datetime.fromisoformat(at), int(pk)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("Con trỏ trang không hợp lệ.")]}
            ) from None

    def _encode(self, row) -> str:
        at = getattr(row, self.time_field)
        return base64.urlsafe_b64encode(json.dumps([at.isoformat(), row.pk]).encode()).decode()

    def get_next_link(self):
        if not self.more:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self._encode(self.rows[-1]))

    def get_previous_link(self):
        if not self.number or self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_capped": self.count > COUNT_CAP,
                "count_label": count_label(self.count, COUNT_CAP),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_capped"] = {"type": "boolean"}
        answer["properties"]["count_label"] = {"type": "string", "example": "hơn 1.000"}
        return answer
