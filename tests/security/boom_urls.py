"""The project's URLs plus three views that fail, for the error-format tests."""

from django.urls import path
from rest_framework.views import APIView

from congso.urls import handler400, handler403, handler404, handler500  # noqa: F401
from congso.urls import urlpatterns as project_urlpatterns


class Boom(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        raise RuntimeError("boom")


def plain_boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("api/v1/boom/", Boom.as_view()),
    path("api/v1/plain-boom/", plain_boom),
    path("plain-boom/", plain_boom),
    *project_urlpatterns,
]
