"""Rate limits of the API, keyed by the client address from ``core.middleware.client_ip``.

DRF's own throttles key anonymous clients by X-Forwarded-For as the client sent it, so changing
the header bought a fresh allowance; these use the one trusted-proxy answer instead.
"""

from rest_framework import throttling

from congso.core.middleware import client_ip


class ClientAddress:
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class ScopedRateThrottle(ClientAddress, throttling.ScopedRateThrottle):
    pass


class SimpleRateThrottle(ClientAddress, throttling.SimpleRateThrottle):
    pass
