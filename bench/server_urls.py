"""The platform's URLs and ``/bench/empty/``: an empty answer through the same middleware
(session, authentication, second factor, CSP, language), the baseline of every ratio."""

from django.http import HttpResponse
from django.urls import path

from congso.urls import urlpatterns as platform


def empty(request):
    return HttpResponse(b"", content_type="text/plain")


urlpatterns = [path("bench/empty/", empty), *platform]
