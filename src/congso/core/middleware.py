import ipaddress
from functools import lru_cache, partial

from django.contrib.messages import middleware as messages_middleware
from django.contrib.messages.storage import default_storage
from django.core.exceptions import BadRequest
from django.utils.functional import SimpleLazyObject, empty

from .context import acting_as, actor_for


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    from django.conf import settings

    return _trusted(address, tuple(settings.CONGSO_TRUSTED_PROXIES))


@lru_cache(maxsize=4096)
def _trusted(address: str, proxies: tuple[str, ...]) -> bool:
    """Is ``address`` within ``proxies``? Kept per address: parsing it was a sixtieth of the
    public lookup's CPU, asked at every request for the same few peers (issue 16)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(proxies))


def client_ip(request) -> str | None:
    """The client's address: the peer's, unless the peer is one of our reverse proxies
    (``CONGSO_TRUSTED_PROXIES``).

    Behind a trusted proxy, X-Forwarded-For is read from the right (each proxy appends the address
    it saw) and the first address that is not a trusted proxy is the client's; everything left of
    it was written by the client and is ignored. Rate limits, the audit log and the payment
    gateway all use this one answer, so a forged header buys nothing.
    """
    peer = request.META.get("REMOTE_ADDR") or None
    if peer is None or not _is_trusted(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage from the client: fall back to the proxy we trust
    return peer


class NullCharacterMiddleware:
    """A NUL character in the path or the query string is refused with a 400 (the one error
    format under /api/) before any view runs: PostgreSQL cannot hold one in a text, so a code or
    a search word carrying it failed in the database driver as a server error. Forms and the
    API's serializers already refuse it in what is posted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            raise BadRequest("NUL in the path or the query string")
        return self.get_response(request)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = client_ip(request)
        # Lazy: an API view authenticates its token after this middleware (see core.context).
        with acting_as(lambda: actor_for(getattr(request, "user", None), ip)):
            return self.get_response(request)


class RefusalAuditMiddleware:
    """Every refused attempt to change something (a 403 to a POST, PUT, PATCH or DELETE, from a
    page, the API or the second-factor gate) is written to the audit log with who, from where,
    and what was tried: a refusal is evidence, and repeated ones are how an attack shows."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and request.method in self.UNSAFE:
            from . import audit

            audit.record(
                "security.refused",
                object_type="url",
                object_repr=request.path,
                data={"method": request.method, "path": request.path},
            )
        return response


class LanguageMiddleware:
    """Vietnamese unless the visitor chose English with the language switch (its cookie).

    Pages do not follow the browser's Accept-Language: the shared computers of a commune hall are
    often set to English, and their users expect Vietnamese. API clients may ask for English with
    Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        supported = dict(settings.LANGUAGES)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):  # no language leaks into the next request
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(*, docs: bool = False) -> str:
    """The site's policy: scripts, styles and everything else from the platform only, no
    plug-ins, no ``<base>``, never framed; forms post to the platform (and the payment gateway,
    whose page the payment form redirects to). The API docs (Swagger UI) also need inline styles
    and ``data:`` icons; its script is served from the platform (``SpectacularSwaggerSplitView``)."""
    from django.conf import settings

    form_action = " ".join(filter(None, ["'self'", _origin(settings.CONGSO_PAYMENT_URL)]))
    # the page's script hands signing requests to the official's local signing agent
    connect = " ".join(filter(None, ["'self'", _origin(settings.CONGSO_SIGNING_AGENT_URL)]))
    return "; ".join(
        [
            "default-src 'self'",
            f"connect-src {connect}",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'" if docs else "style-src 'self'",
            "img-src 'self' data:" if docs else "img-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            f"form-action {form_action}",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """Every response carries the policy; a file response keeps its own (``sandbox``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            # Built per response (a few string joins): the gateway's origin follows the setting.
            docs = request.path.startswith("/api/docs/")
            response["Content-Security-Policy"] = content_security_policy(docs=docs)
        return response


class MessageMiddleware(messages_middleware.MessageMiddleware):
    """Django's messages with their storage made only when a request adds or reads one: the API,
    the public lookup and most pages do neither, and making the storage builds a cookie signer
    and a session-backed fallback for nothing (a few per cent of a cached lookup). A page that
    shows the messages (``base.html``) makes it and stores what is left, as Django does."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(partial(default_storage, request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response  # never made: nothing added, nothing read, nothing to store
        return super().process_response(request, response)
