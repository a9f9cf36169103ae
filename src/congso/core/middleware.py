from .context import acting_as, actor_for


def client_ip(request) -> str | None:
    """The peer address; behind a trusted proxy the first X-Forwarded-For hop."""
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded and settings.PRODUCTION:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(actor_for(getattr(request, "user", None), client_ip(request))):
            return self.get_response(request)
